"""Estimates, trainer effects and item losses, computed by hand on small numbers."""

import math

import pytest

from relais.monitoring.statistics import (
    Estimate,
    ItemLoss,
    estimate,
    item_losses,
    t_quantile,
    trainer_effects,
)

# Estimate


def test_the_estimate_of_one_two_three_uses_student_s_t_with_two_df():
    """Values 1, 2, 3: n 3, sum 6, sum of squares 1 + 4 + 9 = 14."""
    result = estimate(3, 6, 14)
    # Mean 6 / 3 = 2; variance (14 - 6² / 3) / 2 = 1; t(2) = 4.303.
    half_width = 4.303 * 1 / math.sqrt(3)
    assert result.n == 3
    assert result.mean == pytest.approx(2)
    assert result.low == pytest.approx(2 - half_width)
    assert result.high == pytest.approx(2 + half_width)


def test_one_value_gives_a_mean_but_no_interval():
    assert estimate(1, 5, 25) == Estimate(n=1, mean=5, low=None, high=None)


def test_no_value_gives_nothing():
    assert estimate(0, 0, 0) == Estimate(n=0, mean=None, low=None, high=None)


def test_identical_values_give_an_interval_of_no_width():
    """Four 2s: variance (16 - 8² / 4) / 3 = 0."""
    assert estimate(4, 8, 16) == Estimate(n=4, mean=2, low=2, high=2)


def test_a_large_sample_uses_t_beyond_the_table():
    """Fifty 0s and fifty 2s: mean 1, variance (200 - 100² / 100) / 99 = 100 / 99."""
    result = estimate(100, 100, 200)
    # t with 99 degrees of freedom is 1.984 (from a printed table).
    half_width = 1.984 * math.sqrt(100 / 99) / math.sqrt(100)
    assert result.low == pytest.approx(1 - half_width, abs=1e-3)
    assert result.high == pytest.approx(1 + half_width, abs=1e-3)


def test_t_joins_the_table_smoothly_and_tends_to_the_normal():
    assert t_quantile(2) == 4.303
    assert t_quantile(30) == 2.042
    # Printed tables: t(31) = 2.040, t(60) = 2.000, t(120) = 1.980.
    assert t_quantile(31) == pytest.approx(2.040, abs=1e-3)
    assert t_quantile(60) == pytest.approx(2.000, abs=1e-3)
    assert t_quantile(120) == pytest.approx(1.980, abs=1e-3)
    assert t_quantile(100_000) == pytest.approx(1.960, abs=1e-3)


def test_a_negative_count_is_a_mistake():
    with pytest.raises(ValueError):
        estimate(-1, 0, 0)


# Trainer effects


def _group(key, values):
    return (key, len(values), sum(values), sum(v * v for v in values))


def test_trainers_who_differ_no_more_than_chance_are_all_shrunk_to_the_mean():
    """A: 1, 3 (mean 2); B: 2, 4 (mean 3); C: 1, 5 (mean 3)."""
    groups = [_group("A", [1, 3]), _group("B", [2, 4]), _group("C", [1, 5])]
    grand_mean, effects = trainer_effects(groups, min_trainees=1)
    # μ = (4 + 6 + 6) / 6 = 8 / 3.
    # Within: A (10 - 4² / 2) = 2, B (20 - 6² / 2) = 2, C (26 - 6² / 2) = 8;
    # σ² = (2 + 2 + 8) / (6 - 3) = 4, so σ² / n = 2 for everyone.
    # The raw means 2, 3, 3 average 8 / 3 with variance
    # ((2 - 8/3)² + 2 × (3 - 8/3)²) / 2 = (4/9 + 2/9) / 2 = 1/3 < 2: τ² = 0.
    assert grand_mean == pytest.approx(8 / 3)
    assert [e.raw_mean for e in effects] == pytest.approx([2, 3, 3])
    for effect in effects:
        assert effect.shrunk_mean == pytest.approx(8 / 3)
        assert effect.low == pytest.approx(8 / 3)
        assert effect.high == pytest.approx(8 / 3)
        assert effect.flag == ""


# Ten trainees each: A scores five 0s and five 2s, B five 4s and five 6s, C five
# 8s and five 10s.
TEN_EACH = [
    _group("A", [0] * 5 + [2] * 5),
    _group("B", [4] * 5 + [6] * 5),
    _group("C", [8] * 5 + [10] * 5),
]


def test_a_clear_difference_with_many_trainees_is_flagged():
    grand_mean, effects = trainer_effects(TEN_EACH)
    # μ = (10 + 50 + 90) / 30 = 5.
    # Within: A 20 - 10² / 10 = 10, B 260 - 50² / 10 = 10, C 820 - 90² / 10 = 10;
    # σ² = 30 / (30 - 3) = 10 / 9, σ² / n = 1 / 9.
    # Raw means 1, 5, 9: variance (16 + 0 + 16) / 2 = 16; τ² = 16 - 1/9 = 143 / 9.
    # B = (143/9) / (143/9 + 1/9) = 143 / 144; sd = √(143/144 × 1/9) = √143 / 36.
    shrink = 143 / 144
    sd = math.sqrt(143) / 36
    assert grand_mean == pytest.approx(5)
    a, b, c = effects
    assert (a.key, a.n, a.raw_mean) == ("A", 10, 1)
    assert a.shrunk_mean == pytest.approx(5 + shrink * (1 - 5))  # 37 / 36
    assert a.low == pytest.approx(5 + shrink * (1 - 5) - 1.96 * sd, abs=1e-4)
    assert a.high == pytest.approx(5 + shrink * (1 - 5) + 1.96 * sd, abs=1e-4)
    assert c.shrunk_mean == pytest.approx(5 + shrink * (9 - 5))
    assert b.shrunk_mean == pytest.approx(5)
    assert [e.flag for e in effects] == ["below", "", "above"]


def test_small_groups_are_not_flagged_even_when_their_interval_excludes_the_mean():
    """Two trainees each: A 0, 2; B 4, 6; C 8, 10."""
    groups = [_group("A", [0, 2]), _group("B", [4, 6]), _group("C", [8, 10])]
    grand_mean, effects = trainer_effects(groups)
    # σ² = (2 + 2 + 2) / (6 - 3) = 2, σ² / n = 1; τ² = 16 - 1 = 15; B = 15 / 16.
    # A: 5 + 15/16 × (1 - 5) = 1.25, sd √(15/16) ≈ 0.968: interval about
    # -0.65 to 3.15, below 5, but two trainees are fewer than five.
    a = effects[0]
    assert a.shrunk_mean == pytest.approx(1.25)
    assert a.high == pytest.approx(1.25 + 1.96 * math.sqrt(15 / 16), abs=1e-4)
    assert a.high < grand_mean
    assert [e.flag for e in effects] == ["", "", ""]
    # With a threshold of two, the same intervals flag A and C.
    _mean, effects = trainer_effects(groups, min_trainees=2)
    assert [e.flag for e in effects] == ["below", "", "above"]


def test_a_single_trainer_is_the_mean_and_is_not_flagged():
    grand_mean, (effect,) = trainer_effects([_group("A", [1, 2, 3, 4, 5, 6])])
    # μ = 21 / 6 = 3.5.
    assert grand_mean == pytest.approx(3.5)
    assert effect.shrunk_mean == effect.low == effect.high == pytest.approx(3.5)
    assert effect.flag == ""


def test_identical_scores_everywhere_divide_nothing_by_zero():
    groups = [_group("A", [3] * 5), _group("B", [3] * 5)]
    grand_mean, effects = trainer_effects(groups)
    assert grand_mean == 3
    assert [(e.shrunk_mean, e.low, e.high, e.flag) for e in effects] == [
        (3, 3, 3, ""),
        (3, 3, 3, ""),
    ]


def test_no_scatter_within_trainers_keeps_their_means_as_they_are():
    """A: five 2s; B: five 4s. σ² = 0, so nothing is chance: B = 1."""
    groups = [_group("A", [2] * 5), _group("B", [4] * 5)]
    grand_mean, effects = trainer_effects(groups)
    assert grand_mean == 3
    assert [(e.shrunk_mean, e.low, e.high) for e in effects] == [(2, 2, 2), (4, 4, 4)]
    assert [e.flag for e in effects] == ["below", "above"]


def test_one_trainee_per_trainer_cannot_tell_trainers_apart():
    groups = [_group("A", [0]), _group("B", [10]), _group("C", [20])]
    grand_mean, effects = trainer_effects(groups, min_trainees=1)
    assert grand_mean == 10
    assert [(e.raw_mean, e.shrunk_mean, e.flag) for e in effects] == [
        (0, 10, ""),
        (10, 10, ""),
        (20, 10, ""),
    ]


def test_trainers_without_trainees_are_left_out():
    grand_mean, effects = trainer_effects([("A", 0, 0, 0), _group("B", [1, 3])])
    assert grand_mean == 2
    assert [e.key for e in effects] == ["B"]
    assert trainer_effects([]) == (None, [])
    assert trainer_effects([("A", 0, 0, 0)]) == (None, [])


# Item losses


def test_item_losses_compare_consecutive_generations_largest_first():
    rows = [
        ("Q1", 0, 10, 18, 20),  # 18 / 20 = 0.9
        ("Q1", 1, 20, 28, 40),  # 28 / 40 = 0.7
        ("Q1", 2, 10, 7, 10),  # 7 / 10 = 0.7
        ("Q2", 0, 10, 10, 20),  # 0.5
        ("Q2", 2, 5, 2, 10),  # 0.2, generation 1 never answered Q2
        ("Q3", 1, 4, 4, 8),  # one generation: nothing to compare
        ("Q4", 0, 0, 0, 0),  # no answers: skipped
        ("Q4", 1, 5, 5, 5),
        ("Q5", 0, 5, 4, 5),  # two rows of a generation add up: 9 / 10 = 0.9
        ("Q5", 0, 5, 5, 5),
        ("Q5", 1, 10, 10, 10),  # 1.0: a gain is a negative loss
    ]
    losses = item_losses(rows)
    assert [(x.item, x.from_generation, x.to_generation) for x in losses] == [
        ("Q2", 0, 2),  # 0.5 - 0.2 = 0.3
        ("Q1", 0, 1),  # 0.9 - 0.7 = 0.2
        ("Q1", 1, 2),  # 0.7 - 0.7 = 0
        ("Q5", 0, 1),  # 0.9 - 1.0 = -0.1
    ]
    assert losses[0] == ItemLoss(
        item="Q2",
        from_generation=0,
        to_generation=2,
        from_rate=pytest.approx(0.5),
        to_rate=pytest.approx(0.2),
        loss=pytest.approx(0.3),
    )
    assert [x.loss for x in losses] == pytest.approx([0.3, 0.2, 0, -0.1])


def test_no_rows_give_no_losses():
    assert item_losses([]) == []
