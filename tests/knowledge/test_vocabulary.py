"""The vocabulary files: every problem `kb check` reports about them, and what they do.

Each broken case starts from the built-in files and changes one thing, so the finding
checked is the only one there.
"""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.normalize import normalize
from bot.synonyms import canonical_terms
from bot.vocabulary import builtin, parse, problems, read_builtin, triggers

ARTICLE_WORDS = ["roth aftertax employer match limit"]


def _findings(name: str, old: str, new: str, articles: list[str] | None = None):
    texts = read_builtin()
    assert old in texts[name], "the case must change the file"
    texts[name] = texts[name].replace(old, new, 1)
    return problems(texts, articles if articles is not None else _article_texts())


def _article_texts() -> list[str]:
    from bot.knowledge import load_articles

    return [
        text
        for article in load_articles().values()
        for text in (article.front.title, *article.front.questions, *article.front.keywords)
    ]


def _only(findings, file: str, field: str, words: str) -> None:
    assert len(findings) == 1, findings
    (found,) = findings
    assert (found.file, found.field) == (file, field)
    assert words in found.message


def test_the_builtin_vocabulary_has_no_problems():
    assert problems(read_builtin(), _article_texts()) == []


def test_an_unknown_key_is_named():
    findings = _findings("scope.yaml", "stopwords:", "stopword_list: [x]\nstopwords:")
    _only(findings, "scope.yaml", "stopword_list", "Extra inputs are not permitted")


def test_a_missing_section_is_named():
    findings = _findings("intents.yaml", "room:", "rooms_left:")
    assert {(f.field, f.message) for f in findings} == {
        ("room", "Field required"),
        ("rooms_left", "Extra inputs are not permitted"),
    }


def test_a_key_given_twice_is_refused():
    findings = _findings("intents.yaml", "room:", "room: [x]\nroom:")
    _only(findings, "intents.yaml", "file", "duplicate key 'room'")


def test_yaml_that_does_not_parse_names_the_line():
    findings = _findings("intents.yaml", "room: [", "room: [[")
    assert len(findings) == 1
    assert findings[0].field == "file"
    assert "is not valid YAML" in findings[0].message
    assert "line" in findings[0].message


def test_a_word_listed_twice():
    findings = _findings("intents.yaml", "room: [headroom,", "room: [headroom, headroom,")
    _only(findings, "intents.yaml", "room", "lists 'headroom' twice")


def test_a_word_mapped_to_two_terms():
    findings = _findings("synonyms.yaml", "  pay: [", "  pay: [company, ")
    _only(findings, "synonyms.yaml", "synonyms.pay", "'company', already in synonyms.employer")


def test_a_variant_in_spellings_and_synonyms():
    findings = _findings("synonyms.yaml", "  max: [maxed,", "  max: [boss, maxed,")
    _only(findings, "synonyms.yaml", "synonyms.employer", "'boss', already in spellings.max")


def test_a_pattern_that_is_not_a_regular_expression():
    findings = _findings("synonyms.yaml", r"'\bwhich\s+(?:one", r"'\bwhich\s+((?:one")
    _only(findings, "synonyms.yaml", "rules.36", "is not a regular expression")


def test_a_rule_that_never_matches_its_example():
    findings = _findings("synonyms.yaml", r"is\s+which\b'", r"is\s+whihc\b'")
    _only(findings, "synonyms.yaml", "rules.36", "never matches its example 'which is which'")


def test_a_calculator_pattern_that_is_not_a_regular_expression():
    findings = _findings("intents.yaml", "meaning:\n  - '", "meaning:\n  - '(")
    _only(findings, "intents.yaml", "meaning", "is not a regular expression")


def test_a_scope_word_the_synonyms_rewrite_can_never_match():
    findings = _findings("intents.yaml", "room: [headroom,", "room: [headroom, company,")
    _only(findings, "intents.yaml", "room", "'company' is rewritten to 'employer'")


def test_an_intent_for_a_calculator_the_engine_does_not_have():
    findings = _findings("intents.yaml", "  employer-match:\n", "  employer-matching:\n")
    _only(findings, "intents.yaml", "calculators.employer-matching", "is not a calculator")


def test_an_intent_weight_for_a_feature_no_message_has():
    findings = _findings("intents.yaml", "{named: 0.5,", "{named: 0.5, vibes: 0.3,")
    _only(findings, "intents.yaml", "calculators.employer-match.weights.vibes", "is not a feature")


def test_a_calculator_name_the_synonyms_rewrite_can_never_match():
    findings = _findings(
        "intents.yaml", "names: [match, matche]", "names: [match, matche, matching]"
    )
    _only(findings, "intents.yaml", "calculators.employer-match.names", "'matching' is rewritten")


def test_an_intent_with_no_example_question():
    texts = read_builtin()
    start = texts["intents.yaml"].index(
        "    questions:", texts["intents.yaml"].index("employer-match")
    )
    end = texts["intents.yaml"].index("  deferral-room:")
    texts["intents.yaml"] = (
        texts["intents.yaml"][:start] + "    questions: []\n" + texts["intents.yaml"][end:]
    )
    _only(
        problems(texts, _article_texts()),
        "intents.yaml",
        "calculators.employer-match.questions",
        "at least 1",
    )


def test_a_term_no_article_or_scope_uses():
    findings = _findings(
        "synonyms.yaml", "  max: [maxed,", "  maximal: [maximally]\n  max: [maxed,"
    )
    _only(findings, "synonyms.yaml", "spellings.maximal", "no article and no scope")


def test_a_missing_file():
    texts = read_builtin()
    del texts["scope.yaml"]
    vocabulary, findings = parse(texts)
    assert vocabulary is None
    assert [(f.file, f.field, f.message) for f in findings] == [
        ("scope.yaml", "file", "is missing")
    ]


def test_kb_check_reports_vocabulary_errors(monkeypatch, capsys):
    import bot.vocabulary

    broken = read_builtin()
    broken["intents.yaml"] = broken["intents.yaml"].replace(
        "room: [headroom,", "room: [headroom, company,"
    )
    monkeypatch.setattr(bot.vocabulary, "read_builtin", lambda: broken)
    assert main(["kb", "check"]) == 1
    out = capsys.readouterr().out
    assert "ERROR knowledge/intents.yaml: room: 'company' is rewritten to 'employer'" in out


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (r"\b401\s*k\b", {"401"}),
        (r"\b(?:after|post)[\s-]*tax\b", {"after", "post"}),
        (r"\bno\s+(?=roth)|\bwill\s+not\b", {"no", "will"}),
        (r"\bfour[\s-]*o(?:h|)one", {"four"}),
        (r"(?:x|y?)z?", set()),
    ],
)
def test_triggers_are_derived_from_the_pattern(expression, expected):
    assert triggers(expression) == expected


def test_every_rule_can_fire_on_its_example_through_its_triggers():
    """The derived triggers never keep a rule from its own example."""
    vocabulary = builtin()
    texts = read_builtin()["synonyms.yaml"]
    import yaml

    examples = [rule["example"] for rule in yaml.safe_load(texts)["rules"]]
    for rule, example in zip(vocabulary.rules, examples, strict=True):
        lowered = example.lower()
        assert not rule.triggers or any(t in lowered for t in rule.triggers), example


def test_a_plan_that_will_not_allow_a_feature_lacks_it():
    """Every spelling of "does not allow" says the same thing."""
    assert "lacks" in canonical_terms("my plan will not allow after-tax")
    assert normalize("my plan will not allow after-tax") == normalize(
        "my plan wont allow after-tax"
    )
