"""Pure statistics against known values (docs/definitions.md)."""

import pytest

from survey.stats import (
    Rate,
    compare,
    mean_score,
    per_hundred,
    sample_flag,
    self_vs_independent,
    target_status,
    two_proportion_p,
    wilson_interval,
)


def test_wilson_known_values():
    low, high = wilson_interval(45, 50)
    assert (round(low, 3), round(high, 3)) == (0.786, 0.957)
    low, high = wilson_interval(27, 30)  # 90 % of 30, domain guide: 74.4-96.5
    assert (round(low * 100, 1), round(high * 100, 1)) == (74.4, 96.5)
    low, high = wilson_interval(360, 400)
    assert (round(low * 100, 1), round(high * 100, 1)) == (86.7, 92.6)
    low, high = wilson_interval(5, 5)
    assert round(low * 100, 1) == 56.6 and high == 1.0


def test_wilson_empty_and_one_answer():
    assert wilson_interval(0, 0) is None
    low, high = wilson_interval(1, 1)
    assert round(low, 3) == 0.207 and high == 1.0
    low, high = wilson_interval(0, 1)
    assert low == 0.0 and round(high, 3) == 0.793
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def test_rate_withheld_below_minimum_sample():
    assert Rate(29, 29, 30).value is None and Rate(29, 29, 30).ci95 is None
    assert Rate(0, 0, 30).value is None
    assert Rate(27, 30, 30).value == 0.9
    assert Rate(1, 1, 1).value == 1.0  # one answer, minimum 1: shown, wide interval
    assert sample_flag(Rate(10, 20, 30), 100) == "none"
    assert sample_flag(Rate(40, 50, 30), 100) == "low"
    assert sample_flag(Rate(400, 500, 30), 100) is None


def test_mean_ignores_not_applicable_and_empty():
    assert mean_score({1: 0, 2: 0, 3: 1, 4: 1, 5: 2}) == 4.25
    assert mean_score({1: 0, 2: 0, 3: 0, 4: 0, 5: 0}) is None


def test_target_status_uses_the_interval():
    assert target_status((0.91, 0.95), 0.9) == "met"
    assert target_status((0.85, 0.95), 0.9) == "uncertain"
    assert target_status((0.80, 0.89), 0.9) == "not_met"
    assert target_status(None, 0.9) is None


def test_two_proportion_test_known_value():
    # 90/100 vs 75/100: pooled 0.825, z = 2.79, two-sided p = 0.0052
    assert round(two_proportion_p(90, 100, 75, 100), 4) == 0.0052
    assert two_proportion_p(1, 0, 1, 1) is None
    assert two_proportion_p(10, 10, 20, 20) == 1.0


def test_comparison_claims_change_only_when_real():
    falling = compare(Rate(150, 200, 30), Rate(190, 200, 30))
    assert falling.direction == "down" and falling.significant
    assert round(falling.difference, 3) == -0.2
    noise = compare(Rate(28, 30, 30), Rate(27, 30, 30))
    assert noise.direction == "steady" and not noise.significant
    assert compare(Rate(5, 5, 30), Rate(27, 30, 30)).direction is None


def test_self_vs_independent_gap():
    gap = self_vs_independent(Rate(190, 200, 30), Rate(150, 200, 30), 0.10)
    assert gap.flagged and gap.significant and round(gap.difference, 2) == 0.2
    small = self_vs_independent(Rate(180, 200, 30), Rate(170, 200, 30), 0.10)
    assert not small.flagged
    assert not self_vs_independent(Rate(30, 30, 30), Rate(1, 2, 30), 0.10).flagged


def test_answers_per_hundred_dossiers():
    assert per_hundred(40, 4000) == 1.0
    assert per_hundred(40, 50) == 80.0
    assert per_hundred(40, None) is None and per_hundred(40, 0) is None
