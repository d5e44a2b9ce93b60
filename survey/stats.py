"""Pure statistics: no Flask, no SQL. Definitions in docs/definitions.md."""

import math
from dataclasses import dataclass

Z95 = 1.959963984540054


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval for a proportion; None when n == 0."""
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def is_satisfied(value: int | None) -> bool:
    """4 (satisfied) and 5 (very satisfied) count; neutral (3) does not."""
    return value is not None and value >= 4


@dataclass(frozen=True)
class Rate:
    """A satisfaction rate with its sample size, withheld below the minimum."""

    satisfied: int
    n: int
    min_sample: int

    @property
    def enough(self) -> bool:
        return self.n >= self.min_sample and self.n > 0

    @property
    def value(self) -> float | None:
        return self.satisfied / self.n if self.enough else None

    @property
    def ci95(self) -> tuple[float, float] | None:
        return wilson_interval(self.satisfied, self.n) if self.enough else None


def target_status(ci: tuple[float, float] | None, target: float) -> str | None:
    """'met' if the lower bound reaches the target, 'not_met' if the upper
    bound is below it, otherwise 'uncertain' (domain guide §4)."""
    if ci is None:
        return None
    low, high = ci
    if low >= target:
        return "met"
    if high < target:
        return "not_met"
    return "uncertain"


def mean_score(counts: dict[int, int]) -> float | None:
    """Mean of 1-5 answers (N/A already left out); None with no answers."""
    n = sum(counts.values())
    return sum(value * count for value, count in counts.items()) / n if n else None


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def two_proportion_p(x1: int, n1: int, x2: int, n2: int) -> float | None:
    """Two-sided p-value of the pooled two-proportion z-test; None if undefined."""
    if n1 <= 0 or n2 <= 0:
        return None
    pooled = (x1 + x2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance <= 0:
        return 1.0
    z = (x1 / n1 - x2 / n2) / math.sqrt(variance)
    return math.erfc(abs(z) / math.sqrt(2))


@dataclass(frozen=True)
class Comparison:
    """Current rate against an earlier one: the difference and whether it is real."""

    difference: float | None  # current - earlier, as a share (0.05 = 5 points)
    p_value: float | None
    intervals_overlap: bool | None

    @property
    def significant(self) -> bool:
        """Domain guide §4: real only if the intervals do not overlap or p < 0.05."""
        if self.difference is None:
            return False
        return (self.intervals_overlap is False) or (self.p_value is not None and self.p_value < 0.05)

    @property
    def direction(self) -> str | None:
        """'up', 'down', 'steady' (no real change) or None (not comparable)."""
        if self.difference is None:
            return None
        if not self.significant:
            return "steady"
        return "up" if self.difference > 0 else "down"


def compare(current: Rate, earlier: Rate) -> Comparison:
    """Both rates must meet the minimum sample, otherwise nothing is claimed."""
    if current.value is None or earlier.value is None:
        return Comparison(None, None, None)
    (lo1, hi1), (lo2, hi2) = current.ci95, earlier.ci95
    overlap = lo1 <= hi2 and lo2 <= hi1
    p = two_proportion_p(current.satisfied, current.n, earlier.satisfied, earlier.n)
    return Comparison(current.value - earlier.value, p, overlap)


@dataclass(frozen=True)
class Gap:
    """Self-collected rate minus the independent one (points as a share)."""

    difference: float | None
    threshold: float
    p_value: float | None

    @property
    def flagged(self) -> bool:
        """Flag when self-collected runs more than the threshold above independent."""
        return self.difference is not None and self.difference > self.threshold

    @property
    def significant(self) -> bool:
        return self.p_value is not None and self.p_value < 0.05


def self_vs_independent(own: Rate, independent: Rate, threshold: float) -> Gap:
    if own.value is None or independent.value is None:
        return Gap(None, threshold, None)
    p = two_proportion_p(own.satisfied, own.n, independent.satisfied, independent.n)
    return Gap(own.value - independent.value, threshold, p)


def per_hundred(responses: int, dossiers: int | None) -> float | None:
    """Answers per 100 dossiers (response rate); None when dossiers are unknown."""
    if not dossiers:
        return None
    return 100 * responses / dossiers


def sample_flag(rate: Rate, low_sample: int) -> str | None:
    """'none' below the minimum sample, 'low' below LOW_SAMPLE, else None."""
    if not rate.enough:
        return "none"
    return "low" if rate.n < low_sample else None
