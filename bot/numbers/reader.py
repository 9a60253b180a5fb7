"""Numbers in plain language: amounts, ages, years, pay frequency and match formulas.

`read_numbers` finds every number in a message and puts each in a slot (deferrals,
employer contributions, salary …) from the words around it. `read_args` does the same
for `key=value` options. Both are pure: relative years ("next year") come back as an
offset for the caller to resolve against its own date.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from calc.errors import CalcError, quoted, shown
from calc.formula import MatchFormula, find_formula, parse_formula
from calc.money import ACCEPTED, MAX_AMOUNT, format_money, parse_amount
from calc.paycheck import PAY_FREQUENCIES, normalize_frequency

MAX_AMOUNTS = 20
MONEY_SLOTS = ("deferrals", "employer", "profit_sharing", "salary", "after_tax_so_far")


@dataclass(frozen=True)
class Numbers:
    """What a message says in numbers; each slot None when it says nothing of it.

    `year_offset` is a relative year (0 this year, 1 next year, −1 last year);
    `age` is the age told, `year_end_age` one reached later this year ("turning 64 in
    November"), `age_year` the year a past-tense age was told for; `catch_up` the part of
    the deferrals called catch-up; `true_up` whether the plan trues up the match;
    `problems` are amounts that could not be used, each said in a sentence.
    """

    deferrals: Decimal | None = None
    max_deferrals: bool = False
    employer: Decimal | None = None
    profit_sharing: Decimal | None = None
    salary: Decimal | None = None
    after_tax_so_far: Decimal | None = None
    deferred_so_far: Decimal | None = None
    deferral_percent: Decimal | None = None
    employer_percent: Decimal | None = None
    formula: MatchFormula | None = None
    age: int | None = None
    year_end_age: int | None = None
    age_year: int | None = None
    catch_up: Decimal | None = None
    true_up: bool | None = None
    profit_sharing_percent: Decimal | None = None
    year: int | None = None
    year_offset: int | None = None
    frequency: str | None = None
    paychecks_left: int | None = None
    unassigned: tuple[Decimal, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def has_money(self) -> bool:
        """Whether any dollar slot, match formula or "max" was given."""
        return (
            any(getattr(self, slot) is not None for slot in MONEY_SLOTS)
            or self.deferred_so_far is not None
            or self.employer_percent is not None
            or self.formula is not None
            or self.max_deferrals
        )

    @property
    def has_pay_periods(self) -> bool:
        return self.frequency is not None or self.paychecks_left is not None


def _blank(text: str, start: int, end: int) -> str:
    """`text` with [start, end) replaced by spaces, so later positions stay put."""
    return text[:start] + " " * (end - start) + text[end:]


# Numbers that are names, not amounts: plan types, code sections, forms, notices.
_NAMES = re.compile(
    r"\b40[13]\s*(?:[-(]\s*)?[kb]\s*\)?s?(?![a-z])|\b457\s*(?:[-(]\s*)?b\s*\)?|\b41[45]\s*(?:[-(]\s*)?[cvq]\s*\)?"
    r"|(?<![$\d.,])\b457s?\b(?![\d,.%]|\s*(?:k|grand|thousand|dollars)\b)"
    r"|\b402\s*(?:[-(]\s*)?g\s*\)?|\b401\s*\(\s*a\s*\)\s*\(\s*17\s*\)|\b1099\s*(?:-\s*)?r\b|\b(?:form\s*)?8606\b"
    r"|\b5498\b|\b529s?\b|\bw-?2\b|\b(?:notice|ir|t\.?\s*d\.?|rev\.?\s*proc\.?)\s*(?:-\s*)?[\d-]{4,}"
    r"|\b(?:section|sec\.?|§)\s*\d+[a-z]?|\bsecure\s*(?:act\s*)?2(?:\.0)?\b"
    r"|\b(?:five|5)[\s-]*(?:year|yr)s?[\s-]+(?:rule|clock|period)s?"
    r"|(?<![$\d.,])\b101\b(?![\d,.%]|\s*(?:k|grand|thousand|dollars)\b)",
    re.IGNORECASE,
)

_UNIT_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
)
_TEN_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
_UNITS = {w: i for i, w in enumerate(_UNIT_WORDS.split(" "))}
_TENS = {w: 10 * (i + 2) for i, w in enumerate(_TEN_WORDS.split(" "))}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_NUMBER_WORD = "|".join([*_UNITS, *_TENS, *_SCALES])
_NUMBER_WORDS = re.compile(
    rf"\b(?:{_NUMBER_WORD})(?:(?:\s+and\s+|[\s-]+)(?:{_NUMBER_WORD}))*\b", re.IGNORECASE
)


def _words_value(words: list[str]) -> int | None:
    total = current = 0
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
        else:
            return None
    return total + current


def _spoken_thousands(words: list[str]) -> int | None:
    """Amounts said the way people say them aloud: "twenty four five" is 24,500."""
    if len(words) == 3 and words[0] in _TENS and words[1] in _UNITS and words[2] in _UNITS:
        tens, unit, hundreds = _TENS[words[0]], _UNITS[words[1]], _UNITS[words[2]]
        if 0 < unit < 10 and 0 < hundreds < 10:
            return (tens + unit) * 1000 + hundreds * 100
    return None


_DOLLAR_FOR_DOLLAR = re.compile(r"\bdollar[\s-]+(?:per|to|4|on|by)[\s-]+dollar\b", re.IGNORECASE)
_THOUSANDS_AFTER = re.compile(r"\s?(?:k|grand|thousand)\b", re.IGNORECASE)
_PERCENT_WORD = re.compile(r"(\d)\s?(?:percent|pct)\b", re.IGNORECASE)


def _spelled_numbers(text: str) -> str:
    """Spelled-out numbers ("twenty-four thousand five hundred") as digits."""

    def convert(match: re.Match[str]) -> str:
        words = [w for w in re.split(r"[\s-]+", match.group(0).lower()) if w and w != "and"]
        if words[0] in _SCALES:
            return match.group(0)  # "24 thousand" is read as an amount with a suffix
        spoken = _spoken_thousands(words)
        if spoken is not None:
            return str(spoken)
        value = _words_value(words)
        thousands = _THOUSANDS_AFTER.match(match.string, match.end()) is not None
        if value is None or (value < 10 and not thousands and not set(words) & set(_SCALES)):
            return match.group(0)
        return str(value)

    return _NUMBER_WORDS.sub(convert, text)


_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?s?"
_FREQUENCY_WORDS = (
    (
        rf"\bbi[\s-]?weekly\b|\bevery\s+(?:two|2|other)\s+(?:weeks?|{_WEEKDAY})\b"
        r"|\bfortnightly\b|\bbiwk\b",
        "biweekly",
    ),
    (
        r"\bsemi[\s-]?monthly\b|\btwice\s+(?:a|per|each)\s+month\b|\btwice\s+monthly\b"
        r"|\b2x\s+(?:a|per)\s+month\b|\b(?:the\s+)?1st\s+and\s+(?:the\s+)?15th\b"
        r"|\b(?:the\s+)?15th\s+and\s+(?:the\s+)?(?:last|30th|end)\b",
        "semimonthly",
    ),
    (rf"\bweekly\b|\bevery\s+(?:week|{_WEEKDAY})\b|\bonce\s+a\s+week\b", "weekly"),
    (r"\bmonthly\b|\bevery\s+month\b|\bonce\s+a\s+month\b|\b(?:a|per|each)\s+month\b", "monthly"),
)
_FREQUENCIES = tuple((re.compile(p, re.I), name) for p, name in _FREQUENCY_WORDS)
_PERIOD_WORD = r"(?:pay\s*checks?|pay\s*periods?|pay\s*days?|pays|checks)"
_LEFT = re.compile(
    rf"\b(\d{{1,3}})\s+(?:more\s+|remaining\s+)?{_PERIOD_WORD}\s+(?:left|remaining|remain|to\s+go)\b"
    rf"|\b(\d{{1,3}})\s+(?:more|remaining)\s+{_PERIOD_WORD}"
    rf"|\b{_PERIOD_WORD}\s+(?:left|remaining)\s*(?:[:=]\s*)?(\d{{1,3}})\b",
    re.IGNORECASE,
)
# "5 months left" is 5 paychecks when paid monthly, 10 when paid twice a month.
_TIME_LEFT = re.compile(
    r"\b(\d{1,2})\s+(?:more\s+)?(months?|weeks?)\s+(?:left|remaining|to\s+go)\b", re.IGNORECASE
)
_PER_UNIT = {("month", "monthly"): 1, ("month", "semimonthly"): 2, ("week", "weekly"): 1}
_PER_YEAR = re.compile(
    rf"\b(\d{{1,3}})\s+{_PERIOD_WORD}\b|\b(?:paid|pay(?:checks?)?)\s+(\d{{1,2}})\s*(?:times|x)\s+"
    r"(?:a|per|each|every)\s+year\b",
    re.IGNORECASE,
)
_BY_PERIODS = {periods: name for name, periods in PAY_FREQUENCIES.items()}

_AGE_NUMBER = (
    r"(\d{1,3})\b(?!\s*(?:%|percent|k\b|grand|thousand|,\d|\.\d|paychecks?|pay\s+periods?"
    r"|years?\s+(?:in|ago|left|of|to)))"
)
# An age now (or as plainly told), one reached later this year, and one told in the past.
_AGES = (
    (
        "now",
        re.compile(
            rf"\b(?:i\s*(?:['’]\s*)?m|i\s+am|im|if\s+i\s+were|i\s+were)\s+(?:now\s+|currently\s+|age\s+)?"
            rf"{_AGE_NUMBER}"
            r"|\b(?:age|aged)\s*(?:[:=]\s*)?(\d{1,3})\b"
            r"|\bat\s+(?:age\s+)?([2-9]\d)\b(?![\s,.]*\d|\s*(?:%|percent|k\b|grand|thousand"
            r"|paychecks?|pay\s+periods?|years?|months?|weeks?|days?|per\b|an?\s+hour))"
            r"|\b(\d{1,3})\s*(?:years?\s*old|yrs?\s*old|y/?o)\b"
            r"|\b(?:someone|person|employee|participant|people)\s+(?:who\s+is\s+|aged?\s+)?(\d{2})\b",
            re.IGNORECASE,
        ),
    ),
    (
        "later",
        re.compile(
            r"\b(?:turning|turn|turns|will\s+be|i['’]?ll\s+be|ill\s+be|be|becom(?:e|es|ing)"
            r"|hit|hits|hitting|reach|reaches|reaching)\s+" + _AGE_NUMBER,
            re.IGNORECASE,
        ),
    ),
    (
        "past",
        re.compile(r"\b(?:was|turned|had\s+turned)\s+" + _AGE_NUMBER, re.IGNORECASE),
    ),
)
_NEXT_YEAR_AFTER = re.compile(r"[^.;!?\n]{0,20}?\bnext\s+(?:tax\s+)?year\b", re.IGNORECASE)

_YEAR = re.compile(r"(?<![\w$.,])(20\d\d)(?!\w|,\d|\.\d)")
_YEAR_CUE = re.compile(r"(?:\b(?:in|for|of|year|during|by|from|tax|the)\s*[:=(]?\s*)$", re.I)
_RELATIVE_YEAR_WORDS = (
    (r"\b(?:this|current|the\s+current)\s+(?:tax\s+)?year\b|\bthis\s+yr\b", 0),
    (r"\bnext\s+(?:tax\s+)?year\b|\bnext\s+yr\b", 1),
    (r"\b(?:last|previous|prior)\s+(?:tax\s+)?year\b", -1),
)
_RELATIVE_YEAR = tuple((re.compile(p, re.I), offset) for p, offset in _RELATIVE_YEAR_WORDS)

_AMOUNT = re.compile(
    r"(?P<neg>(?<![\w.])[-−])?(?<![\w.])(?P<dollar>\$\s?)?(?P<neg2>[-−])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<suffix>k|m|mm|mil|thousand|million|grand)\b|(?![\w]))"
    r"(?P<pct>\s?(?:%|percent\b|pct\b))?",
    re.IGNORECASE,
)
_MULTIPLIERS = {"k": 1000, "thousand": 1000, "grand": 1000, "m": 10**6, "mm": 10**6}
_MULTIPLIERS |= {"mil": 10**6, "million": 10**6}

_CLAUSE_BREAK = re.compile(
    r"[.;!?\n]\s|[;!?\n()+&]|,|\s[-–—]+\s|\band\b|\bbut\b|\bplus\b|\bwhile\b|\bhow\b|\bwhat\b",
    re.I,
)
_SO_FAR = re.compile(
    r"\bso\s+far\b|\balready\b|\bto\s+date\b|\bytd\b|\bup\s+to\s+now\b|\bthus\s+far\b|\bhave\s+put\b"
    r"|\bi(?<!could\si)(?<!would\si)(?<!should\si)(?<!might\si)(?:['’]?ve|\s+have)\s+"
    r"(?:put|deferred|contributed|saved|done)\b|\b(?:i['’]?m|i\s+am|currently)\s+(?:at|up\s+to)\b",
    re.I,
)
_MAX = re.compile(
    r"\bmax(?:ed|ing|es)?\b(?!\s+(?:employer\s+|company\s+)?match)(?:\s+(?:out|it|my|the|our))?|\bmaxx?ing\b|\bmaximi[sz](?:e|ing)\b"
    r"|\bfull\s+(?:402\s*\(?g\)?\s+)?(?:deferral\s+)?(?:limit|amount)\b|\bto\s+the\s+limit\b",
    re.I,
)

# Words that name a slot, strongest first within a context window.
_CUES: tuple[tuple[str, str], ...] = (
    ("profit_sharing", r"profit[\s-]*shar(?:ing|e)\b|\bpsp?\b|non[\s-]*elective"),
    (
        "employer",
        r"\bemployer\w*|\bcompan(?:y|ies)|\bmatch\w*|\btrue[\s-]*ups?\b|\ber\b|\bfirm\b|\bemployers?['’]s?\b|\bkicks?\s+in"
        r"|\bcontributions?\s+from\s+(?:my\s+|the\s+)?(?:employer|company)",
    ),
    (
        "salary",
        r"\bearn\w*|\bmake\b|\bmakes\b|\bmaking\b|\bsalar\w*|\bincome|\bpaid\b|\bcomp\b|compensation"
        r"|\bwages?\b|\bgross\b|\bpay\b(?![\s-]*(?:check|period|day))|\bw-?2\b|\bannual\s+pay"
        r"|\bmatch(?:es|ed|ing)?\s+on\b|%\s*of(?:\s+(?:my|a|an|the|our))?(?=\s*$)",
    ),
    ("after_tax", r"after[\s-]*tax|post[\s-]*tax|non[\s-]*roth|\bmega"),
    (
        "deferrals",
        r"\bdefer\w*|\bcontribut\w*|\bpre[\s-]*tax|\broth\b|\belective|\bemployees?\b|\b401\s*\(?k|\bcatch[\s-]*ups?"
        r"|\bmax\w*|\bput(?:ting|s)?\b|\bsav(?:e|ed|ing)\b|\bstash|\badd(?:ed|ing|s)?\b|\bin\s+my\b",
    ),
)
_COMPILED_CUES = tuple((slot, re.compile(p, re.I)) for slot, p in _CUES)
_GENERIC_VERB = re.compile(
    r"\bput(?:ting|s)?\b|\badd(?:ed|ing|s)?\b|\bcontribut(?:e|es|ed|ing)\b|\bgives?\b"
    r"|\bgets?\b|\bkicks?\s+in|\bin\s+my\b",
    re.I,
)


@dataclass(frozen=True)
class _Amount:
    value: Decimal
    start: int
    end: int
    shown: str
    dollar: bool
    suffix: bool
    percent: bool


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """The words before an amount back to the clause start, and after it to the clause end."""
    before = text[max(0, start - 80) : start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    after = text[end : end + 40]
    first = _CLAUSE_BREAK.search(after)
    if first:
        after = after[: first.start()]
    return before, after


def _nearest(text: str, *, from_end: bool) -> tuple[str, re.Match[str]] | None:
    """The cue nearest the amount: the last one before it, or the first one after it."""
    best: tuple[int, str, re.Match[str]] | None = None
    for slot, pattern in _COMPILED_CUES:
        for found in pattern.finditer(text):
            distance = len(text) - found.end() if from_end else found.start()
            if best is None or distance < best[0]:
                best = (distance, slot, found)
    return (best[1], best[2]) if best else None


def _words_between(text: str) -> int:
    return len(re.findall(r"[\w$%.,]+", text))


_AMOUNT_BEFORE = re.compile(r"\d\s?(?:k|grand|thousand)?\s*$", re.IGNORECASE)


def _slot_for(text: str, amount: _Amount) -> str | None:
    """Which slot an amount fills: the nearer of the cue before it and the cue after it."""
    before, after = _context(text, amount.start, amount.end)
    following = _nearest(after, from_end=False)
    if following is not None and _GENERIC_VERB.fullmatch(following[1].group(0)):
        following = None
    preceding = _nearest(before, from_end=True)
    if following is not None:
        gap_after = _words_between(after[: following[1].start()])
        gap_before = 99
        if preceding is not None:
            gap_before = _words_between(before[preceding[1].end() :])
            if _GENERIC_VERB.fullmatch(preceding[1].group(0)):
                gap_before += 2  # "put 5k in after-tax": the noun after says more than the verb
            if _AMOUNT_BEFORE.search(before[: preceding[1].start()]):
                gap_before += 1  # "24500 deferred 0 employer": that cue names the amount before
        if gap_after <= 3 and gap_after < gap_before:
            return following[0]
    if preceding is None:
        return None
    slot, found = preceding
    if slot == "deferrals":
        # "my employer puts in $8k": a generic verb belongs to its subject, and
        # "employer contributions are $8k" are the employer's ("after-tax contributions so
        # far 9000" are after-tax money).
        owner = _nearest(before[: found.start()], from_end=True)
        if owner is not None and owner[0] in ("employer", "profit_sharing", "after_tax"):
            gap = _words_between(before[owner[1].end() : found.start()])
            verb = _GENERIC_VERB.fullmatch(found.group(0)) and owner[0] != "after_tax"
            if verb or gap == 0:
                return owner[0]
    return slot


def _amounts(text: str, most: int | None = None) -> list[_Amount]:
    """The amounts in `text`, in order; only the first `most` when given."""
    found: list[_Amount] = []
    for match in _AMOUNT.finditer(text):
        if most is not None and len(found) >= most:
            break
        try:
            value = Decimal(match["num"].replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern admits digits only
            continue
        suffix = (match["suffix"] or "").lower()
        value *= _MULTIPLIERS.get(suffix, 1)
        if match["neg"] or match["neg2"]:
            value = -value
        found.append(
            _Amount(
                value=value,
                start=match.start(),
                end=match.end(),
                shown=match.group(0).strip(),
                dollar=bool(match["dollar"]),
                suffix=bool(suffix),
                percent=bool(match["pct"]),
            )
        )
    return found


# More than anyone can defer in a year: an amount "already" in above this is a balance.
_YEAR_OF_DEFERRALS = Decimal(50_000)


def _is_bare_small(amount: _Amount) -> bool:
    return not amount.dollar and not amount.suffix and 0 < amount.value < 100


def _amount_problem(amount: _Amount) -> str | None:
    if amount.value < 0:
        return f"'{amount.shown}' is negative; amounts must be 0 or more."
    if amount.value > MAX_AMOUNT:
        return f"'{amount.shown}' is over $10,000,000; check the amount."
    if _is_bare_small(amount):
        thousands = format_money(amount.value * 1000)
        return (
            f"Did you mean {thousands} or {format_money(amount.value)} for '{amount.shown}'? "
            f"Write {thousands} (or {amount.shown}k) for thousands."
        )
    return None


# Amounts no one writes on purpose: odd digit grouping ("24,50,0"), two decimal
# separators ("24.500,00", "24.5.5k"), exponents ("1e308"), hex, and minus zero.
_NUMBER_RUN = re.compile(
    r"(?<![\w.,])(?P<sign>[-−]\$?)?(?P<num>\d[\d.,]*\d|\d)(?![.,]?\d)(?P<exp>e[-+]?\d+\b)?"
    r"(?:\s?(?:k|m|mm|mil|thousand|million|grand)\b|(?![\w]))"
    r"|(?<![\w.,])0x[\da-f]+\b",
    re.IGNORECASE,
)
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


def _is_unreadable(found: re.Match[str]) -> bool:
    number = found["num"]
    if number is None or found["exp"]:
        return True  # hex, or an exponent
    if found["sign"] and not number.strip("0.,"):
        return True  # "-0": a sign on nothing
    if _GROUPED.fullmatch(number):
        return False
    # "24500,10000" is two amounts in a list; "24,50,0" is one amount mistyped.
    two_separators = number.count(".") > 1 or ("." in number and "," in number)
    return two_separators or ("," in number and number.index(",") <= 3)


def _unreadable(text: str, problems: list[str]) -> str:
    """`text` with amounts that cannot be read blanked out, each added to `problems`."""
    for found in reversed(list(_NUMBER_RUN.finditer(text))):
        if _is_unreadable(found):
            token = found.group(0)
            problems.insert(0, f"I can't read {shown(token)} as an amount; write {ACCEPTED}.")
            text = _blank(text, found.start(), found.end())
    return text


# "50 cents on the dollar" is a 50% match rate.
_CENTS = re.compile(
    r"\b(\d{1,3})\s*(?:cents|¢)\s+(?:on|per|for)\s+(?:(?:the|each|every|a)\s+)?dollar\b", re.I
)
_SIMPLE_MATCH = re.compile(
    r"\b(?P<a>\d{1,2}(?:\.\d+)?)\s*%\s*(?:employer\s+|company\s+|401\s*\(?k\)?\s+)?match\b"
    r"|\bmatch(?:es|ing)?(?:\s*[:=])?\s+(?:of\s+|up\s+to\s+|the\s+first\s+|on\s+the\s+first\s+)?"
    r"(?P<b>\d{1,2}(?:\.\d+)?)\s*%",
    re.IGNORECASE,
)


def _simple_formula(text: str) -> tuple[MatchFormula, tuple[int, int]] | None:
    """A match given as one percent ("a 4% match", "matches up to 5%"): 100% of that much pay."""
    found = _SIMPLE_MATCH.search(text)
    if found is None:
        return None
    percent = found["a"] or found["b"]
    try:
        return parse_formula(f"100% up to {percent}%"), (found.start(), found.end())
    except CalcError:
        return None


def _take(pattern: re.Pattern[str], text: str) -> tuple[re.Match[str] | None, str]:
    found = pattern.search(text)
    if found is None:
        return None, text
    return found, _blank(text, found.start(), found.end())


def _read_ages(text: str) -> tuple[dict[str, int], str]:
    """The ages a message tells, and the text without them.

    Catch-ups follow the age on December 31, so an age reached later this year
    ("I'm 63 now and turn 64 in November") is the one the calculators use. An age told in
    the past tense next to a year ("I was 58 back in 2024") is the age for that year; the
    year is left for the year slot only when no other year is named.
    """
    told: dict[str, tuple[int, re.Match[str]]] = {}
    for kind, pattern in _AGES:
        for found in pattern.finditer(text):
            if kind == "later" and _NEXT_YEAR_AFTER.match(text, found.end()):
                text = _blank(text, found.start(), found.end())
                continue  # "turning 50 next year" is not this year's age
            if any(f.start() < found.end() and found.start() < f.end() for _, f in told.values()):
                continue
            told.setdefault(kind, (int(next(g for g in found.groups() if g)), found))
    slots: dict[str, int] = {}
    if "now" in told:
        slots["age"] = told["now"][0]
    if "later" in told:
        slots["year_end_age"] = told["later"][0]
        slots.setdefault("age", told["later"][0])
    if "past" in told and "age" not in slots:
        age, found = told["past"]
        slots["age"] = age
        offset = max(0, found.start() - 30)
        window = text[offset : found.end() + 30]
        years = [y for y in _YEAR.finditer(window) if 2000 <= int(y.group(1)) <= 2099]
        if years:
            nearest = min(years, key=lambda y: abs(offset + y.start() - found.start()))
            slots["age_year"] = int(nearest.group(1))
            if len({y.group(1) for y in _YEAR.finditer(text)}) > 1:
                text = _blank(text, offset + nearest.start(), offset + nearest.end())
    for _, found in told.values():
        text = _blank(text, found.start(), found.end())
    return slots, text


_CATCH_UP = re.compile(r"catch[\s-]*ups?\b", re.IGNORECASE)
# "32,500, including the 8k catch-up": the amount after names a part of the one before.
_PART_OF = re.compile(
    r"\b(?:including|includes?|incl\.?|of\s+which|inclusive\s+of|which\s+(?:is|includes))\s*"
    r"(?:(?:the|a|an|my)\s*)?(?:\$\s*)?$",
    re.IGNORECASE,
)
_MOST_PARTS = 4  # a breakdown names a few parts; a bound keeps the reading linear
_FAMILY = {"deferrals": "deferrals", "employer": "employer", "profit_sharing": "employer"}


def _parts(
    text: str, placed: list[tuple[_Amount, str | None, bool]]
) -> tuple[set[int], dict[int, str]]:
    """Which amounts are parts of a total given beside them, so the total counts once.

    A run of neighbouring amounts of one kind (or of no stated kind) that adds up
    exactly to an amount of that kind (or of no stated kind) next to it is its breakdown
    ("32,500 in all: 24,500 regular plus the 8k catch-up", "(24,500 + 8,000)"); so is an
    amount right after "including" that is smaller than the one before it. Returns the
    parts, and the kind of each total that had none of its own.
    """
    parts: set[int] = set()
    kinds: dict[int, str] = {}
    for index, (total, slot, _) in enumerate(placed):
        family = _FAMILY.get(slot or "")
        if (slot is not None and family is None) or index in parts:
            continue
        for run in (range(index + 1, len(placed)), range(index - 1, -1, -1)):
            summed, members = Decimal(0), []
            seen: set[str] = {family} if family is not None else set()
            for other in run[:_MOST_PARTS]:
                amount, other_slot, _ = placed[other]
                other_family = _FAMILY.get(other_slot or "")
                if other in parts or (other_slot is not None and other_family is None):
                    break
                if other_family is not None:
                    seen.add(other_family)
                if len(seen) > 1:
                    break
                summed += amount.value
                members.append(other)
                if summed >= total.value:
                    break
            if len(members) >= 2 and summed == total.value and len(seen) == 1:
                parts.update(members)
                if slot is None:
                    kinds[index] = next(iter(seen))
                break
        if family is not None and index + 1 < len(placed) and index + 1 not in parts:
            amount, other_slot, _ = placed[index + 1]
            between = text[max(total.end, amount.start - 40) : amount.start]
            same = other_slot is None or _FAMILY.get(other_slot) == family
            if same and amount.value < total.value and _PART_OF.search(between):
                parts.add(index + 1)
    return parts, kinds


# "Roth" beside an employer word names employer money ("6k of Roth employer contributions").
_ROTH_EMPLOYER = re.compile(
    r"\broth(?=[\s-]+(?:employer|match|company|nonelective|profit))"
    r"|(?<=employer\s)roth\b|(?<=employer['’]s\s)roth\b|(?<=company\s)roth\b",
    re.IGNORECASE,
)
_TRUE_UP = re.compile(r"\btrue[\s-]*(?:ups?|s\s+up|d\s+up|ing\s+up)\b", re.IGNORECASE)
_NO_TRUE_UP = re.compile(
    r"(?:\bno|\bnot|\bnever|\bwithout|n['’]?t)(?:\s+\w+){0,3}\s*$", re.IGNORECASE
)


def _true_up(text: str) -> bool | None:
    """Whether the message says the plan trues up the match: True, False, or None (unsaid)."""
    found = _TRUE_UP.search(text)
    if found is None:
        return None
    return not _NO_TRUE_UP.search(text[max(0, found.start() - 30) : found.start()])


def read_numbers(text: str, *, positional: bool = False) -> Numbers:
    """Every number in a message, each in its slot; see the module docstring.

    With `positional` (the `aftertaxroom 24500 10000` command form), amounts with no
    words around them are deferrals, then employer contributions.
    """
    text = _PERCENT_WORD.sub(r"\1%", _CENTS.sub(r"\1% ", _spelled_numbers(text)))
    text = _DOLLAR_FOR_DOLLAR.sub("dollar for dollar", text)
    slots: dict[str, object] = {}
    problems: list[str] = []

    args, text = _key_values(text)
    # A typed `deferrals=24.5` is as unclear as a bare 24.5: dollars or thousands?
    for key, raw in args.items():
        typed = _amounts(raw) if _KEYS[key] in _MONEY_KEYS else []
        if len(typed) == 1 and not typed[0].percent and 0 < typed[0].value < 100:
            problem = _amount_problem(typed[0])
            if problem:
                problems.append(problem)
    text = _NAMES.sub(lambda m: " " * len(m.group(0)), text)
    text = _unreadable(text, problems)

    try:
        found_formula = find_formula(text)
    except CalcError as exc:
        found_formula = None
        problems.append(str(exc))
    if found_formula is None:
        found_formula = _simple_formula(text)
    if found_formula is not None:
        slots["formula"], (start, end) = found_formula
        text = _blank(text, start, end)

    for pattern, name in _FREQUENCIES:
        freq, text = _take(pattern, text)
        if freq is not None:
            slots.setdefault("frequency", name)
    left, text = _take(_LEFT, text)
    if left is not None:
        slots["paychecks_left"] = int(next(g for g in left.groups() if g))
    time_left, text = _take(_TIME_LEFT, text)
    per_year, text = _take(_PER_YEAR, text)
    if per_year is not None:
        periods = int(next(g for g in per_year.groups() if g))
        if periods in _BY_PERIODS:
            slots.setdefault("frequency", _BY_PERIODS[periods])
        else:
            slots.setdefault("paychecks_left", periods)

    if time_left is not None and "paychecks_left" not in slots:
        unit = time_left.group(2).lower().rstrip("s")
        times = _PER_UNIT.get((unit, str(slots.get("frequency"))))
        if times is not None:
            slots["paychecks_left"] = int(time_left.group(1)) * times
        elif unit == "week" and slots.get("frequency") == "biweekly":
            slots["paychecks_left"] = max(1, int(time_left.group(1)) // 2)

    ages, text = _read_ages(text)
    slots.update(ages)

    for pattern, offset in _RELATIVE_YEAR:
        relative, text = _take(pattern, text)
        if relative is not None and "year_offset" not in slots:
            slots["year_offset"] = offset
    for year in list(_YEAR.finditer(text)):
        value = int(year.group(1))
        cued = _YEAR_CUE.search(text[max(0, year.start() - 12) : year.start()])
        if 2020 <= value <= 2039 or cued:
            slots.setdefault("year", value)
            text = _blank(text, year.start(), year.end())

    text = _ROTH_EMPLOYER.sub(lambda m: " " * len(m.group(0)), text)
    true_up = _true_up(text)
    if true_up is not None:
        slots["true_up"] = true_up

    max_found = _MAX.search(text)
    if max_found is not None:
        slots["max_deferrals"] = True

    totals: dict[str, Decimal] = {}
    unassigned: list[Decimal] = []
    placed: list[tuple[_Amount, str | None, bool]] = []
    amounts = _amounts(text, most=MAX_AMOUNTS + 1)
    if len(amounts) > MAX_AMOUNTS:
        # Nobody's question holds this many amounts; reading each costs time, not sense.
        problems.append(
            f"That message has more than {MAX_AMOUNTS} numbers; ask again with only the "
            "amounts that matter (deferrals, employer contributions, salary)."
        )
        amounts = []
    # "a 6k match and deferring 23.5": beside an amount in thousands, a bare small
    # amount is in thousands too.
    in_thousands = any(a.suffix or a.value >= 1000 for a in amounts if not a.percent)
    for amount in amounts:
        if amount.percent:
            percent_slot = _slot_for(text, amount)
            names = {
                "deferrals": "deferral_percent",
                "employer": "employer_percent",
                "profit_sharing": "profit_sharing_percent",
            }
            if percent_slot in names and 0 < amount.value <= 100:
                name = names[percent_slot]
                if name == "deferral_percent":
                    slots[name] = amount.value
                else:  # "a 3% nonelective and a 2% fixed match" add up
                    slots[name] = slots.get(name, Decimal(0)) + amount.value  # type: ignore[operator]
            continue
        slot = _slot_for(text, amount)
        before, after = _context(text, amount.start, amount.end)
        so_far = bool(_SO_FAR.search(before) or _SO_FAR.search(after))
        if slot == "after_tax":
            slot = "after_tax_so_far" if so_far else None
        elif slot == "deferrals" and so_far:
            slot = "deferred_so_far" if amount.value < _YEAR_OF_DEFERRALS else None
        if positional and slot == "deferrals" and slots.get("max_deferrals"):
            slot = None  # "max 10000": deferrals are the limit; the amount is positional
        if slot is None and positional:
            slot = next((s for s in ("deferrals", "employer") if s not in totals), None)
            if slot == "deferrals" and "max_deferrals" in slots:
                slot = "employer" if "employer" not in totals else None
        if slot is None and so_far and not positional and 0 < amount.value < _YEAR_OF_DEFERRALS:
            slot = "deferred_so_far"  # "already at 20,500": what has gone in this year
        if slot is None:
            placed.append((amount, None, False))
            continue
        if in_thousands and _is_bare_small(amount):
            amount = replace(amount, value=amount.value * 1000, suffix=True)
        problem = _amount_problem(amount)
        if problem is not None:
            problems.append(problem)
            continue
        catch_up = slot == "deferrals" and bool(
            _CATCH_UP.search(before[-24:]) or _CATCH_UP.search(after[:24])
        )
        placed.append((amount, slot, catch_up))
        totals.setdefault(slot, Decimal(0))
    totals.clear()
    parts, kinds = _parts(text, placed)
    catch_up_part = Decimal(0)
    for index, (amount, slot, catch_up) in enumerate(placed):
        slot = kinds.get(index, slot)
        if catch_up:
            catch_up_part += amount.value
        if index in parts:
            continue
        if slot is None:
            unassigned.append(amount.value)
        elif slot == "salary":
            totals.setdefault(slot, amount.value)
        else:
            totals[slot] = totals.get(slot, Decimal(0)) + amount.value
    if 0 < catch_up_part < totals.get("deferrals", Decimal(0)):
        slots["catch_up"] = catch_up_part
    slots.update(totals)
    if "deferrals" in slots:
        slots.pop("max_deferrals", None)
    if "formula" in slots and "salary" not in slots:
        # Beside a match formula, the one amount with no name is the pay it applies to
        # ("what's a 3% match on 80k").
        pay = [value for value in unassigned if value >= 1000]
        if len(pay) == 1:
            slots["salary"] = pay[0]
            unassigned.remove(pay[0])

    numbers = Numbers(unassigned=tuple(unassigned), problems=tuple(problems))
    numbers = replace(numbers, **slots)  # type: ignore[arg-type]
    return merge(numbers, args)


_KEY_VALUE = re.compile(
    r"(?<![\w-])(?P<key>[a-z][a-z_-]*)\s*=\s*(?P<value>\"[^\"]*\"|'[^']*'|“[^”]*”"
    r"|\$?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[^\s,;]+)",
    re.IGNORECASE,
)

_MONEY_KEYS = frozenset(
    {"deferrals", "employer", "profit_sharing", "salary", "after_tax_so_far", "deferred_so_far"}
)
_KEYS = {
    "deferrals": "deferrals",
    "deferral": "deferrals",
    "defer": "deferrals",
    "deferred": "deferrals",
    "employee": "deferrals",
    "employer": "employer",
    "employer_contributions": "employer",
    "er": "employer",
    "match": "match",
    "formula": "match",
    "profit_sharing": "profit_sharing",
    "profitsharing": "profit_sharing",
    "ps": "profit_sharing",
    "salary": "salary",
    "pay": "salary",
    "income": "salary",
    "compensation": "salary",
    "comp": "salary",
    "age": "age",
    "year": "year",
    "tax_year": "year",
    "frequency": "frequency",
    "pay_frequency": "frequency",
    "freq": "frequency",
    "paychecks": "paychecks_left",
    "paychecks_left": "paychecks_left",
    "periods": "paychecks_left",
    "after_tax_so_far": "after_tax_so_far",
    "aftertax_so_far": "after_tax_so_far",
    "after_tax": "after_tax_so_far",
    "aftertax": "after_tax_so_far",
    "deferred_so_far": "deferred_so_far",
    "so_far": "deferred_so_far",
    "true_up": "true_up",
    "trueup": "true_up",
}


def _key_values(text: str) -> tuple[dict[str, str], str]:
    """The `key=value` options in `text` whose key is known, and the text without them."""
    args: dict[str, str] = {}
    for found in reversed(list(_KEY_VALUE.finditer(text))):
        key = found["key"].lower().replace("-", "_")
        value = found["value"].strip("\"'“”")
        if _KEYS.get(key) == "match" and value.endswith("%"):
            continue  # "match = 50% of pay up to 6%": a formula, read from the text
        if key in _KEYS:
            args.setdefault(key, value)
            text = _blank(text, found.start(), found.end())
    return args, text


def _whole(value: str, what: str, low: int, high: int) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        typed = quoted(value)
        if typed is not None:
            raise CalcError(f"{what} {typed} is not a whole number") from None
        raise CalcError(f"{what} must be a whole number from {low} to {high}") from None
    if not low <= number <= high:
        raise CalcError(f"{what} {number} is out of range; use {low} to {high}")
    return number


def _yes_no(value: str) -> bool:
    word = value.strip().lower()
    if word in ("yes", "y", "true", "1", "on"):
        return True
    if word in ("no", "n", "false", "0", "off"):
        return False
    raise CalcError(f"'{value}' is not yes or no")


def read_args(args: Mapping[str, str]) -> Numbers:
    """Numbers from explicit options (slash-command options or `key=value` text)."""
    slots: dict[str, object] = {}
    problems: list[str] = []
    for raw_key, raw_value in args.items():
        key = _KEYS.get(raw_key.lower().replace("-", "_"))
        value = str(raw_value).strip()
        if key is None or not value:
            continue
        try:
            if key == "deferrals" and value.lower() in ("max", "maximum", "maxed", "max out"):
                slots["max_deferrals"] = True
            elif key == "match":
                try:
                    slots["formula"] = parse_formula(value)
                except CalcError:
                    slots["employer"] = parse_amount(value)
            elif key in ("age",):
                slots["age"] = _whole(value, "age", 1, 129)
            elif key == "year":
                slots["year"] = _whole(value, "year", 1900, 2200)
            elif key == "paychecks_left":
                slots["paychecks_left"] = _whole(value, "paychecks left", 1, 366)
            elif key == "true_up":
                slots["true_up"] = _yes_no(value)
            elif key == "frequency":
                slots["frequency"] = normalize_frequency(value)
            else:
                slots[key] = parse_amount(value)
        except CalcError as exc:
            problems.append(f"{raw_key}: {exc}.")
    return replace(Numbers(problems=tuple(problems)), **slots)  # type: ignore[arg-type]


def merge(base: Numbers, args: Mapping[str, str] | Numbers) -> Numbers:
    """`base` with every slot that `args` gives replaced; explicit options win over text."""
    if not args:
        return base
    explicit = args if isinstance(args, Numbers) else read_args(args)
    changes: dict[str, object] = {}
    for name in Numbers.__dataclass_fields__:
        value = getattr(explicit, name)
        if name == "problems":
            changes[name] = base.problems + explicit.problems
        elif name == "unassigned":
            continue
        elif value is not None and (value is not False or name == "true_up"):
            changes[name] = value
    if explicit.deferrals is not None:
        changes["max_deferrals"] = False
    if explicit.max_deferrals:
        changes["deferrals"] = None
    return replace(base, **changes)  # type: ignore[arg-type]
