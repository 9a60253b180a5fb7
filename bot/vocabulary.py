"""The vocabulary as data: synonyms, scope words and calculator cues, from YAML files.

The built-in files sit beside the articles in the `knowledge` package
(`synonyms.yaml`, `scope.yaml`, `intents.yaml`). Each is validated with pydantic when
it is read (the schema is `bot.vocabulary_files`; a prepared `Vocabulary` needs neither
it nor PyYAML); `problems` lists everything `kb check` reports about them. A rule's trigger
substrings (the plain strings without which its pattern cannot match) are derived from
the pattern, so they can never fall out of step with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import import_module, resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml
    from pydantic import BaseModel

    from bot.vocabulary_files import IntentsFile, RuleEntry, ScopeFile, SynonymsFile

FILES = ("synonyms.yaml", "scope.yaml", "intents.yaml")
# The standard library's own parser of regular expressions (untyped), for `triggers`.
_sre: Any = import_module("re._parser")

# What a message's numbers can give a calculator, each a feature of the calculator intents.
INPUT_FEATURES = (
    "deferrals", "deferral_percent", "max_deferrals", "employer", "after_tax_so_far",
    "employer_percent", "formula", "salary", "deferred_so_far", "pay_periods", "age",
    "problems",
)  # fmt: skip
FEATURES = (
    "named", "other_named", "figure", "room", "more", "calculate", "meaning", "described",
    "other_plan", "both", "so_far_beside_employer", *INPUT_FEATURES,
)  # fmt: skip


@dataclass(frozen=True)
class CalculatorIntent:
    """A calculator as an intent: the words that name it, the weight of each feature of
    a message that points to it, and example questions people ask of it."""

    id: str
    names: frozenset[str]
    weights: Mapping[str, float]
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """One rewrite rule, ready to apply; `triggers` is empty when none could be derived.

    The pattern is compiled when first needed: most rules never fire in one process.
    """

    triggers: frozenset[str]
    expression: str
    to: str

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(self.expression)

    def __getstate__(self) -> dict[str, object]:
        """What a pickled copy keeps: not the compiled pattern, which is rebuilt on use."""
        return {k: v for k, v in self.__dict__.items() if k != "pattern"}


@dataclass(frozen=True)
class NearScope:
    """A 401(k) subject next to this bot's that it does not cover (loans, penalties, vesting
    schedules …): its cue words, and the words that bring a question back in scope."""

    label: str
    cues: frozenset[str]
    rescuers: frozenset[str]
    phrases: tuple[tuple[str, ...], ...] = ()
    # Words that must all be there too for the cue to count.
    needs: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Vocabulary:
    """Every table the language layer reads, in the canonical spellings."""

    rules: tuple[Rule, ...]
    triggers: tuple[str, ...]
    spellings: Mapping[str, str]
    synonyms: Mapping[str, str]
    kept_numbers: frozenset[str]
    unstemmed: frozenset[str]
    stopwords: frozenset[str]
    anchors: frozenset[str]
    weak_anchors: frozenset[str]
    general_anchors: frozenset[str]
    off_topic: frozenset[str]
    off_topic_phrases: tuple[tuple[str, ...], ...]
    soft: frozenset[str]
    soft_specific: frozenset[str]
    not_off_topic_before: Mapping[str, frozenset[str]]
    needs_specific: tuple[tuple[str, ...], ...]
    near_scope: tuple[NearScope, ...]
    generic_subject: frozenset[str]
    implies: Mapping[str, tuple[str, ...]]
    not_core: frozenset[str]
    after_tax: frozenset[str]
    room: frozenset[str]
    more: frozenset[str]
    amount_words: frozenset[str]
    calculate: re.Pattern[str]
    meaning: re.Pattern[str]
    calculators: tuple[CalculatorIntent, ...] = ()
    other_plans: tuple[tuple[str, ...], ...] = ()
    other_accounts: frozenset[str] = frozenset()
    workplace_plans: frozenset[str] = frozenset()


class VocabularyError(Exception):
    """A vocabulary file that cannot be used; the message names the file and field."""


@dataclass(frozen=True)
class Finding:
    """One problem in a vocabulary file, for `kb check`."""

    file: str
    field: str
    message: str


def read_builtin() -> dict[str, str]:
    """The built-in vocabulary files' text, by file name."""
    root = resources.files("knowledge")
    return {name: root.joinpath(name).read_text(encoding="utf-8") for name in FILES}


@cache
def builtin() -> Vocabulary:
    """The built-in vocabulary, read and validated once."""
    vocabulary, findings = parse(read_builtin())
    if vocabulary is None:
        first = findings[0]
        raise VocabularyError(f"knowledge/{first.file}: {first.field}: {first.message}")
    return vocabulary


_active: Vocabulary | None = None


def current() -> Vocabulary:
    """The vocabulary the language layer uses: the built-in one unless one was installed."""
    return _active if _active is not None else builtin()


def install(vocabulary: Vocabulary) -> None:
    """Use `vocabulary` from now on (a prepared copy, as the start-up cache holds)."""
    global _active
    _active = vocabulary


def parse(texts: Mapping[str, str]) -> tuple[Vocabulary | None, list[Finding]]:
    """The vocabulary of `texts` (file name → YAML), or None, and every problem found."""
    import yaml
    from pydantic import ValidationError

    from bot.vocabulary_files import IntentsFile, ScopeFile, SynonymsFile, UniqueKeyLoader

    findings: list[Finding] = []
    models: dict[str, BaseModel] = {}
    for name, model in (
        ("synonyms.yaml", SynonymsFile),
        ("scope.yaml", ScopeFile),
        ("intents.yaml", IntentsFile),
    ):
        if name not in texts:
            findings.append(Finding(name, "file", "is missing"))
            continue
        try:
            data = yaml.load(texts[name], Loader=UniqueKeyLoader)
        except yaml.YAMLError as exc:
            findings.append(Finding(name, "file", f"is not valid YAML ({_yaml_reason(exc)})"))
            continue
        try:
            models[name] = model.model_validate(data if data is not None else {})
        except ValidationError as exc:
            findings += [
                Finding(name, ".".join(str(p) for p in err["loc"]) or "file", err["msg"])
                for err in exc.errors()
            ]
    if len(models) < len(FILES):
        return None, findings
    synonyms = models["synonyms.yaml"]
    scope = models["scope.yaml"]
    intents = models["intents.yaml"]
    assert isinstance(synonyms, SynonymsFile)
    assert isinstance(scope, ScopeFile)
    assert isinstance(intents, IntentsFile)
    findings += _duplicates(synonyms, scope, intents)
    rules, rule_findings = _rules(synonyms.rules)
    findings += rule_findings
    patterns: dict[str, re.Pattern[str]] = {}
    for field in ("calculate", "meaning"):
        expression = "|".join(getattr(intents, field))
        try:
            patterns[field] = re.compile(expression, re.IGNORECASE)
        except re.error as exc:
            findings.append(Finding("intents.yaml", field, f"is not a regular expression ({exc})"))
    findings += _calculator_findings(intents)
    if findings:
        return None, findings
    vocabulary = Vocabulary(
        rules=rules,
        triggers=tuple(sorted({t for rule in rules for t in rule.triggers})),
        spellings=_inverse(synonyms.spellings),
        synonyms=_inverse(synonyms.synonyms),
        kept_numbers=frozenset(synonyms.kept_numbers),
        unstemmed=frozenset(synonyms.unstemmed),
        stopwords=frozenset(scope.stopwords),
        anchors=frozenset(scope.anchors),
        weak_anchors=frozenset(scope.weak_anchors),
        general_anchors=frozenset(scope.general_anchors),
        off_topic=frozenset(scope.off_topic),
        off_topic_phrases=tuple(tuple(p.split()) for p in scope.off_topic_phrases),
        soft=frozenset(scope.soft),
        soft_specific=frozenset(scope.soft_specific),
        not_off_topic_before={k: frozenset(v) for k, v in scope.not_off_topic_before.items()},
        needs_specific=tuple(tuple(p.split()) for p in scope.needs_specific),
        near_scope=tuple(
            NearScope(
                near.label,
                frozenset(near.cues),
                frozenset(near.rescuers),
                tuple(tuple(p.split()) for p in near.phrases),
                frozenset(near.needs),
            )
            for near in scope.near_scope
        ),
        generic_subject=frozenset(scope.generic_subject),
        implies={k: tuple(v) for k, v in scope.implies.items()},
        not_core=frozenset(scope.not_core),
        after_tax=frozenset(intents.after_tax),
        room=frozenset(intents.room),
        more=frozenset(intents.more),
        amount_words=frozenset(intents.amount_words),
        calculate=patterns["calculate"],
        meaning=patterns["meaning"],
        other_plans=tuple(tuple(p.split()) for p in intents.other_plans),
        other_accounts=frozenset(intents.other_accounts),
        workplace_plans=frozenset(intents.workplace_plans),
        calculators=tuple(
            CalculatorIntent(id, frozenset(c.names), dict(c.weights), tuple(c.questions))
            for id, c in intents.calculators.items()
        ),
    )
    return vocabulary, []


def _calculator_findings(intents: IntentsFile) -> Iterable[Finding]:
    """Calculators the engine does not have, and features no message has."""
    from bot.reply import CALCULATORS

    for id, calculator in intents.calculators.items():
        if id not in CALCULATORS:
            yield Finding("intents.yaml", f"calculators.{id}", "is not a calculator")
        for feature in calculator.weights:
            if feature not in FEATURES:
                yield Finding(
                    "intents.yaml", f"calculators.{id}.weights.{feature}", "is not a feature"
                )


def _yaml_reason(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return f"{problem}, line {mark.line + 1}" if mark is not None else str(problem)


def _inverse(groups: Mapping[str, Sequence[str]]) -> dict[str, str]:
    return {variant: canonical for canonical, variants in groups.items() for variant in variants}


def _duplicates(
    synonyms: SynonymsFile, scope: ScopeFile, intents: IntentsFile
) -> Iterable[Finding]:
    """A word listed twice in one list, or mapped to two canonical words."""
    files = (("synonyms.yaml", synonyms), ("scope.yaml", scope), ("intents.yaml", intents))
    for file, model in files:
        for field, words in _word_lists(model):
            seen: set[str] = set()
            for word in words:
                if word in seen:
                    yield Finding(file, field, f"lists {word!r} twice")
                seen.add(word)
    mapped: dict[str, str] = {}
    for section in ("spellings", "synonyms"):
        for canonical, variants in getattr(synonyms, section).items():
            for variant in variants:
                where = f"{section}.{canonical}"
                if variant in mapped:
                    yield Finding(
                        "synonyms.yaml", where, f"maps {variant!r}, already in {mapped[variant]}"
                    )
                mapped[variant] = where


def _word_lists(model: BaseModel) -> Iterable[tuple[str, Sequence[str]]]:
    from bot.vocabulary_files import CalculatorEntry, NearScopeEntry

    for name, value in model:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            yield name, value
        elif isinstance(value, dict):
            for key, words in value.items():
                if isinstance(words, CalculatorEntry):
                    yield f"{name}.{key}.names", words.names
                elif isinstance(words, list):
                    yield f"{name}.{key}", words
        elif isinstance(value, list):
            for position, item in enumerate(value):
                if isinstance(item, NearScopeEntry):
                    for field, words in _word_lists(item):
                        yield f"{name}.{position}.{field}", words


def _rules(entries: Sequence[RuleEntry]) -> tuple[tuple[Rule, ...], list[Finding]]:
    rules: list[Rule] = []
    findings: list[Finding] = []
    for position, entry in enumerate(entries):
        field = f"rules.{position}"
        try:
            pattern = re.compile(entry.expression)
        except re.error as exc:
            findings.append(Finding("synonyms.yaml", field, f"is not a regular expression ({exc})"))
            continue
        example = entry.example.lower()
        if pattern.sub(f" {entry.to} ", example) == example:
            findings.append(
                Finding(
                    "synonyms.yaml",
                    field,
                    f"never matches its example {entry.example!r}: the rule can never fire there",
                )
            )
        rules.append(Rule(triggers(entry.expression), entry.expression, f" {entry.to} "))
    return tuple(rules), findings


def triggers(expression: str) -> frozenset[str]:
    """Plain substrings at least one of which any match of `expression` contains.

    Empty when no such set could be found: the rule is then tried on every text.
    """
    found = _required(_sre.parse(expression))
    return frozenset(found) if found else frozenset()


def _required(items: Any) -> set[str] | None:
    """The best set of strings one of which every match of the sequence `items` holds."""
    options: list[set[str]] = []
    run = ""
    for op, arg in items:
        if op is _sre.LITERAL:
            run += chr(arg)
            continue
        if run:
            options.append({run})
            run = ""
        found: set[str] | None = None
        if op is _sre.SUBPATTERN:
            found = _required(arg[-1])
        elif op is _sre.BRANCH:
            found = set()
            for branch in arg[1]:
                part = _required(branch)
                if not part:
                    found = None
                    break
                found |= part
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and arg[0] >= 1:
            found = _required(arg[2])
        if found:
            options.append(found)
    if run:
        options.append({run})
    if not options:
        return None
    return max(options, key=lambda option: (min(len(s) for s in option), -len(option)))


def problems(texts: Mapping[str, str], article_texts: Iterable[str]) -> list[Finding]:
    """Everything `kb check` reports about the vocabulary files `texts`.

    Beyond what `parse` finds: a scope or calculator word the synonyms rewrite (it can
    never be seen), and a canonical word that no article and no scope list uses.
    """
    vocabulary, findings = parse(texts)
    if vocabulary is None:
        return findings
    from bot.normalize import clean_tokens

    previous = _active
    install(vocabulary)
    try:
        findings += _unseen_words(texts, clean_tokens)
        used = {word for text in article_texts for word in clean_tokens(text)}
    finally:
        _restore(previous)
    listed = {word for _, _, words in _listed_words(texts) for word in words}
    known = used | listed
    for section, mapping in (
        ("spellings", vocabulary.spellings),
        ("synonyms", vocabulary.synonyms),
    ):
        for canonical in sorted(set(mapping.values())):
            if canonical not in known and canonical not in vocabulary.synonyms:
                findings.append(
                    Finding(
                        "synonyms.yaml",
                        f"{section}.{canonical}",
                        "no article and no scope or calculator word uses this term",
                    )
                )
    return findings


def _restore(previous: Vocabulary | None) -> None:
    global _active
    _active = previous


def _listed_words(texts: Mapping[str, str]) -> Iterable[tuple[str, str, Sequence[str]]]:
    """(file, field, words) for every word list of scope.yaml and intents.yaml."""
    import yaml

    from bot.vocabulary_files import IntentsFile, ScopeFile, UniqueKeyLoader

    for name, model in (("scope.yaml", ScopeFile), ("intents.yaml", IntentsFile)):
        parsed = model.model_validate(yaml.load(texts[name], Loader=UniqueKeyLoader))
        for field, words in _word_lists(parsed):
            if field not in ("calculate", "meaning"):
                yield name, field, words


def _unseen_words(texts: Mapping[str, str], tokens: Any) -> Iterable[Finding]:
    for file, field, words in _listed_words(texts):
        for entry in words:
            for word in entry.split():
                seen = tokens(word)
                if seen != [word]:
                    became = " ".join(seen) or "nothing"
                    yield Finding(
                        file,
                        field,
                        f"{word!r} is rewritten to {became!r} before this list is read: "
                        "it can never match",
                    )
