"""The plan profile file: every field optional, every problem reported at once, by field."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.plans.loading import PlanError, load_plan, parse_plan
from bot.plans.vocabulary import parse_vocabulary
from tests.plans.profiles import PROFILES, example_file

# One bad field of each kind, and the field path its error line must name.
BAD_FIELDS = [
    ("naem: Acme\n", "naem", "is not a field of a plan profile"),
    ("after_tax:\n  allowd: true\n", "after_tax.allowd", "is not a field"),
    ("roth_deferrals: maybe\n", "roth_deferrals", "must be true or false"),
    ('separate_account: "true"\n', "separate_account", "must be true or false"),
    ("reviewed: 2026-02-30\n", "reviewed", "valid date"),
    ("after_tax:\n  max_percent_of_pay: 150\n", "after_tax.max_percent_of_pay", "100"),
    ("after_tax:\n  max_percent_of_pay: 0\n", "after_tax.max_percent_of_pay", "greater than 0"),
    ("profit_sharing:\n  percent_of_pay: lots\n", "profit_sharing.percent_of_pay", "decimal"),
    ("match:\n  formula: a generous one\n", "match.formula", "could not read the match formula"),
    ("pay_frequency: hourly\n", "pay_frequency", "unknown pay frequency"),
    ("in_plan_conversion:\n  mode: sometimes\n", "in_plan_conversion.mode", "'automatic'"),
    ("catch_up:\n  ages_60_63: super\n", "catch_up.ages_60_63", "'higher' or 'standard'"),
    ("in_plan_conversion: yes\n", "in_plan_conversion", "must be a group of fields"),
    ("ask:\n  url: ftp://files.example.com\n", "ask.url", "http"),
    ("ask:\n  text: see https://evil.example\n", "ask.text", "no links"),
    ("name: Acme <!channel>\n", "name", "plain text"),
    ("recordkeeper: '@here'\n", "recordkeeper", "plain text"),
    ("recordkeeper: ''\n", "recordkeeper", "at least 1 character"),
    (
        "after_tax:\n  allowed: false\n  max_percent_of_pay: 10\n",
        "after_tax",
        "max_percent_of_pay is set but allowed is false",
    ),
    (
        "in_service_withdrawal:\n  allowed: false\n  frequency: monthly\n",
        "in_service_withdrawal",
        "frequency is set but allowed is false",
    ),
]


@pytest.mark.parametrize("name", PROFILES)
def test_the_three_example_profiles_are_valid(name: str) -> None:
    """docs/examples holds profiles that pass the check."""
    assert load_plan(example_file(name)).name


def test_an_empty_mapping_is_a_profile_that_states_nothing() -> None:
    """Every field is optional: a missing one is "the profile doesn't say"."""
    plan = parse_plan("{}\n", "plan.yaml")
    assert plan.after_tax.allowed is None
    assert plan.match.parsed is None
    assert plan.pay_frequency is None


def test_friendly_spellings_are_read() -> None:
    """A percent sign, a pay frequency in words and YAML's yes/no are accepted."""
    plan = parse_plan(
        "after_tax: {allowed: yes, max_percent_of_pay: '12.5%'}\npay_frequency: every two weeks\n",
        "plan.yaml",
    )
    assert plan.after_tax.allowed is True
    assert str(plan.after_tax.max_percent_of_pay) == "12.5"
    assert plan.pay_frequency == "biweekly"


@pytest.mark.parametrize(("text", "field", "says"), BAD_FIELDS)
def test_each_bad_field_is_one_line_naming_it(text: str, field: str, says: str) -> None:
    """`plan.yaml: <field path>: <what is wrong>`."""
    with pytest.raises(PlanError) as raised:
        parse_plan(text, "plan.yaml")
    [line] = raised.value.lines
    assert line.startswith(f"plan.yaml: {field}: "), line
    assert says in line, line


def test_a_profile_with_every_kind_of_error_lists_them_all_one_line_each() -> None:
    """All the problems at once: one line per bad field, each naming its field."""
    path = Path(__file__).parent / "fixtures" / "every-error.yaml"
    with pytest.raises(PlanError) as raised:
        load_plan(path)
    named = [line.removeprefix(f"{path}: ").split(": ")[0] for line in raised.value.lines]
    assert sorted(named) == sorted(
        [
            "name",
            "recordkeeper",
            "reviewd",
            "reviewed",
            "roth_deferrals",
            "separate_account",
            "after_tax.allowd",
            "after_tax.max_percent_of_pay",
            "in_plan_conversion",
            "in_service_withdrawal",
            "match.formula",
            "profit_sharing.percent_of_pay",
            "pay_frequency",
            "catch_up.ages_60_63",
            "ask.text",
            "ask.url",
        ]
    )
    assert all(line.startswith(f"{path}: ") for line in raised.value.lines)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("name: [unclosed\n", "is not valid YAML (line 2)"),
        ("- a list\n", "must be a YAML mapping of plan fields"),
        ("", "must be a YAML mapping of plan fields"),
    ],
)
def test_a_file_that_is_not_a_profile_is_one_line(text: str, says: str) -> None:
    with pytest.raises(PlanError) as raised:
        parse_plan(text, "plan.yaml")
    assert raised.value.lines == [f"plan.yaml: {says}"]


def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(PlanError) as raised:
        load_plan(tmp_path / "nowhere.yaml")
    [line] = raised.value.lines
    assert "nowhere.yaml: cannot be read" in line


def test_a_broken_vocabulary_names_the_file_and_the_field() -> None:
    """The vocabulary is validated like the profile: each problem with its path."""
    with pytest.raises(PlanError) as raised:
        parse_vocabulary(
            "other_plan: [spouse]\nour_plan: [our]\nsummary_exact: [plan]\nsummary: []\n"
            "topics:\n- id: match\n  facts: [nonsense]\n  cues: [[match]]\n"
            "calculations: {}\n"
        )
    [line] = raised.value.lines
    assert line.startswith("plan-vocabulary.yaml: topics[0].facts[0]: ")


def test_a_vocabulary_phrase_must_read_as_words() -> None:
    with pytest.raises(PlanError) as raised:
        parse_vocabulary(
            "other_plan: ['$$']\nour_plan: [our]\nsummary_exact: [plan]\nsummary: []\n"
            "topics:\n- id: match\n  facts: [match]\n  cues: [[match]]\ncalculations: {}\n"
        )
    assert raised.value.lines == [
        "plan-vocabulary.yaml: other_plan: '$$' must read as 1 to 4 words"
    ]


def test_plan_check_exits_0_with_a_summary_for_a_good_profile(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = example_file("mega-backdoor")
    assert main(["plan", "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{path}: ok" in out
    assert "Mega backdoor Roth: yes" in out
    assert "reviewed 2026-01-15" in out


def test_plan_check_exits_1_with_one_line_per_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("roth_deferrals: maybe\npay_frequency: hourly\nnaem: x\n", encoding="utf-8")
    assert main(["plan", "check", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{path}: roth_deferrals: must be true or false",
        f"{path}: pay_frequency: unknown pay frequency; use one of weekly, biweekly, "
        "semimonthly, monthly",
        f"{path}: naem: is not a field of a plan profile (see docs/plan-profile.md)",
        f"3 errors in {path}",
    ]


def test_plan_show_prints_the_summary_of_bot_plan_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_PLAN_FILE", str(example_file("no-after-tax")))
    assert main(["plan", "show", "--year", "2026"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Demo LLC 401(k): what the plan says")
    assert "- After-tax (non-Roth) contributions: no" in out
    assert "- Mega backdoor Roth: no (the plan takes no after-tax contributions)" in out


def test_plan_show_without_a_profile_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("BOT_PLAN_FILE", raising=False)
    assert main(["plan", "show"]) == 2
    assert capsys.readouterr().err == (
        "401k-bot plan: error: BOT_PLAN_FILE is not set; point it at a plan profile (YAML)\n"
    )


def test_a_bad_bot_plan_file_stops_ask_with_every_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("roth_deferrals: maybe\nmatch:\n  true_up: often\n", encoding="utf-8")
    monkeypatch.setenv("BOT_PLAN_FILE", str(path))
    assert main(["ask", "what's our match?"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "401k-bot ask: error: BOT_PLAN_FILE is invalid:",
        f"{path}: roth_deferrals: must be true or false",
        f"{path}: match.true_up: must be true or false",
    ]
