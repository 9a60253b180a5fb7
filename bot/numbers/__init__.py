"""Numbers in plain language: amounts, ages, years, pay frequency and match formulas.

`read_numbers` finds every number in a message and puts each in a slot of a `Numbers`
record; `read_args` does the same for `key=value` options, and `merge` lays one on the
other.
"""

from bot.numbers.reader import MAX_AMOUNTS, MONEY_SLOTS, Numbers, merge, read_args, read_numbers

__all__ = ["MAX_AMOUNTS", "MONEY_SLOTS", "Numbers", "merge", "read_args", "read_numbers"]
