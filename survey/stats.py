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
