"""Learning gains, trainer effects and item losses from sufficient statistics.

Every function here takes counts, sums and sums of squares rather than the
scores themselves: the database aggregates them in one GROUP BY, and no list of
individual results leaves it.
"""

import math
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

# The 97.5th percentile of Student's t for 1 to 30 degrees of freedom: a 95 %
# two-sided interval.
T_975 = (
    12.706,
    4.303,
    3.182,
    2.776,
    2.571,
    2.447,
    2.365,
    2.306,
    2.262,
    2.228,
    2.201,
    2.179,
    2.160,
    2.145,
    2.131,
    2.120,
    2.110,
    2.101,
    2.093,
    2.086,
    2.080,
    2.074,
    2.069,
    2.064,
    2.060,
    2.056,
    2.052,
    2.048,
    2.045,
    2.042,
)
Z_975 = 1.959964
# Variances below this (relative to the scale of the data) are rounding noise.
TOLERANCE = 1e-12


def t_quantile(df: int) -> float:
    """The t value of a 95 % two-sided interval with `df` degrees of freedom."""
    if df < 1:
        raise ValueError("At least one degree of freedom is needed.")
    if df <= len(T_975):
        return T_975[df - 1]
    # Beyond the table, the first terms of the Cornish-Fisher expansion are
    # exact to three decimals; falling straight to 1.96 at 31 would narrow the
    # interval by 4 % from one trainee to the next.
    z = Z_975
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def _sum_of_squared_deviations(n: int, total: float, total_squares: float) -> float:
    # Subtracting two large sums can go a hair below zero.
    return max(0.0, total_squares - total * total / n)


@dataclass(frozen=True)
class Estimate:
    """A mean with its 95 % confidence interval; None where it cannot be told."""

    n: int
    mean: float | None
    low: float | None
    high: float | None


def estimate(n: int, total: float, total_squares: float) -> Estimate:
    """The mean of n values from their sum and sum of squares, with its interval.

    One value gives a mean but no interval; none gives nothing.
    """
    if n < 0:
        raise ValueError("A count cannot be negative.")
    if n == 0:
        return Estimate(n=0, mean=None, low=None, high=None)
    mean = total / n
    if n == 1:
        return Estimate(n=1, mean=mean, low=None, high=None)
    sd = math.sqrt(_sum_of_squared_deviations(n, total, total_squares) / (n - 1))
    half_width = t_quantile(n - 1) * sd / math.sqrt(n)
    return Estimate(n=n, mean=mean, low=mean - half_width, high=mean + half_width)


@dataclass(frozen=True)
class TrainerEffect:
    key: object
    n: int
    raw_mean: float
    shrunk_mean: float
    low: float
    high: float
    flag: str  # "", "below" or "above" the grand mean


def trainer_effects(
    groups: list[tuple[object, int, float, float]], *, min_trainees: int = 5
) -> tuple[float | None, list[TrainerEffect]]:
    """The gain of each trainer's trainees, pulled towards the mean of everyone.

    groups: (trainer key, number of trainees, sum of gains, sum of squared gains).
    Returns the grand mean (None without trainees) and one effect per trainer
    with trainees, in the order given.

    Why pull towards the mean: a trainer with three trainees who had a bad day
    shows a low average by chance alone. Each raw mean is moved towards the
    grand mean in proportion to how little it can be trusted (few trainees,
    scattered scores, trainers who hardly differ overall), so a small group
    shames nobody and a trainer is flagged only when many trainees show a
    difference that chance does not explain.

    The method is the normal-normal empirical Bayes estimate: σ² is the pooled
    variance within trainers, τ² the variance between trainers by the method of
    moments (the scatter of the raw means beyond what σ² alone would give), and
    each mean keeps the share B = τ² / (τ² + σ²/n) of its distance to the grand
    mean. The interval is ±1.96 posterior standard deviations; it ignores the
    uncertainty of μ, σ² and τ² themselves, which is small next to a trainer's.
    """
    groups = [group for group in groups if group[1] > 0]
    trainees = sum(n for _key, n, _total, _squares in groups)
    if not trainees:
        return None, []
    grand_mean = sum(total for _key, _n, total, _squares in groups) / trainees
    means = [total / n for _key, n, total, _squares in groups]

    within_df = trainees - len(groups)
    if within_df > 0:
        sigma2 = (
            sum(_sum_of_squared_deviations(n, t, s) for _key, n, t, s in groups)
            / within_df
        )
    else:
        sigma2 = None  # one trainee each: chance and trainer cannot be told apart

    tau2 = 0.0
    if sigma2 is not None and len(groups) > 1:
        centre = sum(means) / len(means)
        spread = sum((m - centre) ** 2 for m in means) / (len(means) - 1)
        noise = sum(sigma2 / n for _key, n, _total, _squares in groups) / len(groups)
        tau2 = max(0.0, spread - noise)
        if tau2 <= TOLERANCE * (1 + grand_mean**2 + sigma2):
            tau2 = 0.0

    effects = []
    for (key, n, _total, _squares), raw_mean in zip(groups, means, strict=True):
        if tau2 == 0:
            # No difference between trainers beyond chance: everyone is the mean.
            shrink, posterior_sd = 0.0, 0.0
        else:
            shrink = tau2 / (tau2 + sigma2 / n)
            posterior_sd = math.sqrt(shrink * sigma2 / n)
        shrunk = grand_mean + shrink * (raw_mean - grand_mean)
        low, high = shrunk - Z_975 * posterior_sd, shrunk + Z_975 * posterior_sd
        flag = ""
        if n >= min_trainees and tau2 > 0:
            if high < grand_mean:
                flag = "below"
            elif low > grand_mean:
                flag = "above"
        effects.append(
            TrainerEffect(
                key=key,
                n=n,
                raw_mean=raw_mean,
                shrunk_mean=shrunk,
                low=low,
                high=high,
                flag=flag,
            )
        )
    return grand_mean, effects


@dataclass(frozen=True)
class ItemLoss:
    """How much of an item's success is lost from one generation to the next."""

    item: str
    from_generation: int
    to_generation: int
    from_rate: float  # mean score / max score, 0..1
    to_rate: float
    loss: float  # from_rate - to_rate: positive when the later generation does worse


def item_losses(rows: list[tuple[str, int, int, float, float]]) -> list[ItemLoss]:
    """Each item compared between consecutive generations, largest loss first.

    rows: (item code, generation, number of answers, sum of scores, sum of
    maximum scores). "Consecutive" means consecutive among the generations that
    answered the item: with answers from generations 0, 1 and 3, the pairs are
    0 to 1 and 1 to 3. Rows without answers or without a maximum are skipped.
    """
    scored = defaultdict(lambda: [0.0, 0.0])  # (item, generation) -> sums
    for item, generation, n, total, total_max in rows:
        if n > 0 and total_max > 0:
            sums = scored[item, generation]
            sums[0] += total
            sums[1] += total_max
    by_item = defaultdict(list)
    for (item, generation), (total, total_max) in scored.items():
        by_item[item].append((generation, total / total_max))
    losses = []
    for item, rates in by_item.items():
        rates.sort()
        for (before, before_rate), (after, after_rate) in pairwise(rates):
            losses.append(
                ItemLoss(
                    item=item,
                    from_generation=before,
                    to_generation=after,
                    from_rate=before_rate,
                    to_rate=after_rate,
                    loss=before_rate - after_rate,
                )
            )
    losses.sort(key=lambda loss: (-loss.loss, loss.item, loss.from_generation))
    return losses
