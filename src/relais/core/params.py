"""Reading numbers typed into URLs and forms by hand, without a server error.

`str.isdigit()` is not enough: it accepts "²" and other digits `int()` refuses,
and a huge number overflows the dates computed from it.
"""

import re

_NUMBER = re.compile(r"[0-9]{1,18}")


def int_param(value, *, low: int = 0, high: int | None = None) -> int | None:
    """`value` as an int within [low, high], or None when it is anything else."""
    if not isinstance(value, str) or not _NUMBER.fullmatch(value):
        return None
    number = int(value)
    if number < low or (high is not None and number > high):
        return None
    return number
