"""Numbers in plain language: amounts, ages, years, pay frequency and match formulas.

One module a job: `lexing` (spelled-out numbers, amounts, numbers that are names),
`slots` (which amount is deferrals, employer money, salary …), `dates` (ages and years),
`paychecks` (pay frequency and paychecks left), `formulas` (match formulas, true-up),
`options` (`key=value` options) and `reader`, which runs them in order. Their words
come from `knowledge/numbers.yaml` (`vocabulary`; `checks` is what `kb check` says of
it). `Numbers` (in `record`) is the one record they fill, and what the calculators take.
"""

from bot.numbers.options import merge, read_args
from bot.numbers.reader import Reader, builtin_reader, read_numbers
from bot.numbers.record import MONEY_SLOTS, Numbers
from bot.numbers.slots import MAX_AMOUNTS

__all__ = [
    "MAX_AMOUNTS",
    "MONEY_SLOTS",
    "Numbers",
    "Reader",
    "builtin_reader",
    "merge",
    "read_args",
    "read_numbers",
]
