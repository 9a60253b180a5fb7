"""Amounts in their slots: which amount is deferrals, employer money, salary, so far …

Each amount takes the slot named by the nearest cue word of its clause ("I defer 24.5k",
"my employer adds 10k", "salary 140k"); a run of amounts that adds up to one beside it is
its breakdown, counted once.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from bot.numbers.lexing import Amount, amounts, blank_all
from calc.money import MAX_AMOUNT, format_money

MAX_AMOUNTS = 20

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


def _slot_for(text: str, amount: Amount) -> str | None:
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


# More than anyone can defer in a year: an amount "already" in above this is a balance.
_YEAR_OF_DEFERRALS = Decimal(50_000)


def _is_bare_small(amount: Amount) -> bool:
    return not amount.dollar and not amount.suffix and 0 < amount.value < 100


def amount_problem(amount: Amount) -> str | None:
    """Why `amount` cannot be used as dollars (negative, too large, or unclear), if it cannot."""
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
    text: str, placed: list[tuple[Amount, str | None, bool]]
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


def without_roth_employer(text: str) -> str:
    """`text` without "Roth" where it names employer money, so it names no deferrals."""
    return blank_all(_ROTH_EMPLOYER, text)


def says_max(text: str) -> bool:
    """Whether the message says the deferrals are maxed out."""
    return _MAX.search(text) is not None


_PERCENT_SLOTS = {
    "deferrals": "deferral_percent",
    "employer": "employer_percent",
    "profit_sharing": "profit_sharing_percent",
}


def place_amounts(
    text: str, problems: list[str], *, positional: bool, maxed: bool
) -> tuple[dict[str, object], list[Decimal]]:
    """The amounts of `text` in their slots, and those that fit none.

    With `positional`, amounts with no words around them are deferrals, then employer
    contributions; `maxed` says the deferrals are the year's limit. An amount that cannot
    be used is added to `problems`.
    """
    slots: dict[str, object] = {}
    totals: dict[str, Decimal] = {}
    unassigned: list[Decimal] = []
    placed: list[tuple[Amount, str | None, bool]] = []
    found = amounts(text, most=MAX_AMOUNTS + 1)
    if len(found) > MAX_AMOUNTS:
        # Nobody's question holds this many amounts; reading each costs time, not sense.
        problems.append(
            f"That message has more than {MAX_AMOUNTS} numbers; ask again with only the "
            "amounts that matter (deferrals, employer contributions, salary)."
        )
        found = []
    # "a 6k match and deferring 23.5": beside an amount in thousands, a bare small
    # amount is in thousands too.
    in_thousands = any(a.suffix or a.value >= 1000 for a in found if not a.percent)
    for amount in found:
        if amount.percent:
            name = _PERCENT_SLOTS.get(_slot_for(text, amount) or "")
            if name is not None and 0 < amount.value <= 100:
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
        if positional and slot == "deferrals" and maxed:
            slot = None  # "max 10000": deferrals are the limit; the amount is positional
        if slot is None and positional:
            slot = next((s for s in ("deferrals", "employer") if s not in totals), None)
            if slot == "deferrals" and maxed:
                slot = "employer" if "employer" not in totals else None
        if slot is None and so_far and not positional and 0 < amount.value < _YEAR_OF_DEFERRALS:
            slot = "deferred_so_far"  # "already at 20,500": what has gone in this year
        if slot is None:
            placed.append((amount, None, False))
            continue
        if in_thousands and _is_bare_small(amount):
            amount = replace(amount, value=amount.value * 1000, suffix=True)
        problem = amount_problem(amount)
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
    return slots, unassigned
