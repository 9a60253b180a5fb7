"""Amounts in their slots: which amount is deferrals, employer money, salary, so far …

Each amount takes the slot named by the nearest cue word of its clause ("I defer 24.5k",
"my employer adds 10k", "salary 140k"); a run of amounts that adds up to one beside it is
its breakdown, counted once.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import NamedTuple

from bot.numbers.lexing import Amount, amounts, blank_all
from bot.numbers.vocabulary import NumberVocabulary, alternatives
from calc.money import MAX_AMOUNT, format_money

MAX_AMOUNTS = 20

# The slots cue words name, strongest first: on a tie the earlier slot wins.
SLOTS = ("profit_sharing", "employer", "salary", "after_tax", "deferrals")
# Besides the listed words: "pay" that is not a paycheck, pay period or payday, and a
# clause that ends in "% of (my)".
_SALARY = r"\bpay\b(?![\s-]*(?:check|period|day))|%\s*of(?:\s+(?:my|a|an|the|our))?(?=\s*$)"
# "401k" is mostly a name, taken out before; what is left of it names deferrals.
_DEFERRALS = r"\b401\s*\(?k"
_MODALS = r"(?<!could\si)(?<!would\si)(?<!should\si)(?<!might\si)"


class SlotPatterns(NamedTuple):
    """The patterns of cue words and clauses, built from the vocabulary's words."""

    cues: tuple[tuple[str, re.Pattern[str]], ...]
    generic_verb: re.Pattern[str]
    clause_break: re.Pattern[str]
    so_far: re.Pattern[str]
    catch_up: re.Pattern[str]
    part_of: re.Pattern[str]
    earlier_job: re.Pattern[str]
    at_earlier_job: re.Pattern[str]


def slot_patterns(vocabulary: NumberVocabulary) -> SlotPatterns:
    """The cue and clause patterns of `vocabulary`."""
    said = vocabulary.slots
    extra = {"salary": _SALARY, "deferrals": _DEFERRALS}
    cues = []
    for slot in SLOTS:
        expression = alternatives(said[slot])
        if slot in extra:
            expression += "|" + extra[slot]
        cues.append((slot, re.compile(expression, re.IGNORECASE)))
    return SlotPatterns(
        cues=tuple(cues),
        generic_verb=re.compile(alternatives(said["generic"]), re.IGNORECASE),
        clause_break=re.compile(
            rf"[.;!?\n]\s|[;!?\n()+&]|,|\s[-–—]+\s|{alternatives(said['clause_breaks'])}",
            re.IGNORECASE,
        ),
        so_far=re.compile(
            rf"{alternatives(said['so_far'])}"
            rf"|\bi{_MODALS}(?:['’]?ve|\s+have)\s+{alternatives(said['so_far_done'])}"
            r"|\b(?:i['’]?m|i\s+am|currently)\s+(?:at|up\s+to)\b",
            re.IGNORECASE,
        ),
        catch_up=re.compile(alternatives(said["catch_up"]), re.IGNORECASE),
        earlier_job=re.compile(alternatives(said["earlier_job"]), re.IGNORECASE),
        at_earlier_job=re.compile(
            rf"\s*(?:at|with|in|for)\s+(?:(?:my|the|our|an?)\s+)?{alternatives(said['earlier_job'])}",
            re.IGNORECASE,
        ),
        part_of=re.compile(
            rf"{alternatives(said['part_of'])}\s*(?:(?:the|a|an|my)\s*)?(?:\$\s*)?$", re.IGNORECASE
        ),
    )


def _context(text: str, start: int, end: int, patterns: SlotPatterns) -> tuple[str, str]:
    """The words before an amount back to the clause start, and after it to the clause end."""
    before = text[max(0, start - 80) : start]
    breaks = list(patterns.clause_break.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    after = text[end : end + 40]
    first = patterns.clause_break.search(after)
    if first:
        after = after[: first.start()]
    return before, after


def _nearest(
    text: str, patterns: SlotPatterns, *, from_end: bool
) -> tuple[str, re.Match[str]] | None:
    """The cue nearest the amount: the last one before it, or the first one after it."""
    best: tuple[int, str, re.Match[str]] | None = None
    for slot, pattern in patterns.cues:
        for found in pattern.finditer(text):
            distance = len(text) - found.end() if from_end else found.start()
            if best is None or distance < best[0]:
                best = (distance, slot, found)
    return (best[1], best[2]) if best else None


def _words_between(text: str) -> int:
    return len(re.findall(r"[\w$%.,]+", text))


_AMOUNT_BEFORE = re.compile(r"\d\s?(?:k|grand|thousand)?\s*$", re.IGNORECASE)


def _slot_for(
    text: str, amount: Amount, patterns: SlotPatterns, *, after_tax: bool = True
) -> str | None:
    """Which slot an amount fills: the nearer of the cue before it and the cue after it.

    Without `after_tax`, an after-tax cue after the amount is not its slot ("employer 0
    after-tax room?" asks about after-tax money; the amount is the employer's)."""
    before, after = _context(text, amount.start, amount.end, patterns)
    following = _nearest(after, patterns, from_end=False)
    if following is not None and patterns.generic_verb.fullmatch(following[1].group(0)):
        following = None
    if following is not None and _IRA_AFTER.match(after, following[1].end()):
        return None  # "7k in a traditional IRA", "5k Roth IRA": not the 401(k)'s money
    if following is not None and not after_tax and following[0] == "after_tax":
        preceding = _nearest(before, patterns, from_end=True)
        if preceding is None or patterns.generic_verb.fullmatch(preceding[1].group(0)):
            return None  # "put 5k in after-tax": nothing else names the amount
        following = None
    if following is not None and amount.percent and following[0] == "salary":
        following = None  # "adds 4% of pay": the pay is what the share is of
    preceding = _nearest(before, patterns, from_end=True)
    if following is not None:
        gap_after = _words_between(after[: following[1].start()])
        gap_before = 99
        if preceding is not None:
            gap_before = _words_between(before[preceding[1].end() :])
            if patterns.generic_verb.fullmatch(preceding[1].group(0)):
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
        owner = _nearest(before[: found.start()], patterns, from_end=True)
        if owner is not None and owner[0] in ("employer", "profit_sharing", "after_tax"):
            gap = _words_between(before[owner[1].end() : found.start()])
            verb = patterns.generic_verb.fullmatch(found.group(0)) and owner[0] != "after_tax"
            if verb or gap == 0:
                return owner[0]
    return slot


# An earlier job named this many words or fewer from an amount is where it went in.
_EARLIER_JOB_GAP = 4
_SENTENCE_END = re.compile(r"[.;!?]\s|\n")


def _beside_earlier_job(before: str, after: str, patterns: SlotPatterns) -> bool:
    """Whether the clause names an earlier job right beside the amount ("14k at my old
    job", "at my previous employer I deferred 15000")."""
    following = patterns.earlier_job.search(after)
    if following is not None and _words_between(after[: following.start()]) <= _EARLIER_JOB_GAP:
        return True
    last = None
    for found in patterns.earlier_job.finditer(before):
        last = found
    return last is not None and _words_between(before[last.end() :]) <= _EARLIER_JOB_GAP


_IRA_AFTER = re.compile(r"\s*iras?\b", re.IGNORECASE)
_AT_WORK = re.compile(
    r"\bat\s+(?:(?:this|my|the|our|that|a|an)\s+)?(?:company|employer|firm|job|work|place)\b",
    re.IGNORECASE,
)


def _at_work(before: str, after: str, patterns: SlotPatterns) -> bool:
    """Whether the only employer word beside an amount names where the person works
    ("180k last year at this company"), with none before the amount."""
    if _AT_WORK.search(after) is None:
        return False
    rest = _AT_WORK.sub(" ", after)
    return not any(
        slot == "employer" and (cue.search(before) or cue.search(rest))
        for slot, cue in patterns.cues
    )


def _sentence(text: str, position: int) -> int:
    """Which sentence of `text` `position` is in (0 for the first)."""
    return sum(1 for _ in _SENTENCE_END.finditer(text, 0, position))


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


_MOST_PARTS = 4  # a breakdown names a few parts; a bound keeps the reading linear
_FAMILY = {"deferrals": "deferrals", "employer": "employer", "profit_sharing": "employer"}


def _parts(
    text: str, placed: list[tuple[Amount, str | None, bool]], patterns: SlotPatterns
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
            if same and amount.value < total.value and patterns.part_of.search(between):
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


def max_pattern(vocabulary: NumberVocabulary) -> re.Pattern[str]:
    """The pattern of `vocabulary` that says the deferrals are maxed out."""
    said = vocabulary.slots
    return re.compile(
        rf"{alternatives(said['max'])}(?!\s+(?:employer\s+|company\s+)?match)"
        rf"|{alternatives(said['max_any'])}",
        re.IGNORECASE,
    )


def says_max(text: str, pattern: re.Pattern[str]) -> bool:
    """Whether the message says the deferrals are maxed out."""
    return pattern.search(text) is not None


_PERCENT_SLOTS = {
    "deferrals": "deferral_percent",
    "employer": "employer_percent",
    "profit_sharing": "profit_sharing_percent",
}


def place_amounts(
    text: str, problems: list[str], patterns: SlotPatterns, *, positional: bool, maxed: bool
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
    earlier: set[int] = set()  # the sentences that name deferrals at an earlier job
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
            name = _PERCENT_SLOTS.get(_slot_for(text, amount, patterns) or "")
            if name is not None and 0 < amount.value <= 100:
                if name == "deferral_percent":
                    slots[name] = amount.value
                else:  # "a 3% nonelective and a 2% fixed match" add up
                    slots[name] = slots.get(name, Decimal(0)) + amount.value  # type: ignore[operator]
            continue
        slot = _slot_for(text, amount, patterns)
        before, after = _context(text, amount.start, amount.end, patterns)
        so_far = bool(patterns.so_far.search(before) or patterns.so_far.search(after))
        if slot == "after_tax" and not so_far:
            slot = _slot_for(text, amount, patterns, after_tax=False)
            slot = None if slot == "after_tax" else slot
        if slot == "after_tax":
            slot = "after_tax_so_far"
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
        if slot == "employer" and patterns.at_earlier_job.match(after):
            slot = "deferrals"  # "12k at my former employer": where it went in, not who put it
        elif slot == "employer" and _at_work(before, after, patterns):
            slot = None  # "made 180k last year at this company": where, not whose money
        if (
            not positional
            and slot in (None, "deferrals", "deferred_so_far")
            and amount.value < _YEAR_OF_DEFERRALS
            and _beside_earlier_job(before, after, patterns)
        ):
            # "14k at my old job": what went in at a job held earlier this year is
            # deferred so far, toward the one per-person limit.
            slot = "deferred_so_far"
            earlier.add(_sentence(text, amount.start))
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
            patterns.catch_up.search(before[-24:]) or patterns.catch_up.search(after[:24])
        )
        placed.append((amount, slot, catch_up))
        totals.setdefault(slot, Decimal(0))
    totals.clear()
    if earlier:
        # "12k at my old job and 8k here": the deferrals said beside them in the same
        # sentence are this job's so far, and add up with them.
        placed = [
            (a, "deferred_so_far", False)
            if s in (None, "deferrals")
            and not a.percent
            and a.value < _YEAR_OF_DEFERRALS
            and _sentence(text, a.start) in earlier
            else (a, s, c)
            for a, s, c in placed
        ]
    parts, kinds = _parts(text, placed, patterns)
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
