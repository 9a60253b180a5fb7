"""The number vocabulary (knowledge/numbers.yaml): every problem `kb check` reports about it,
and what an edit to it does to the reading.

Each broken case starts from the built-in file and changes one thing, so the finding
checked is the only one there.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.cli import main
from bot.numbers import Reader, read_numbers
from bot.numbers.checks import problems
from bot.numbers.vocabulary import VocabularyError, builtin_text, parse_vocabulary

BUILTIN = builtin_text()


def _changed(old: str, new: str) -> str:
    assert old in BUILTIN, "the case must change the file"
    return BUILTIN.replace(old, new, 1)


def _only(text: str, field: str, words: str) -> None:
    found = problems(text)
    assert len(found) == 1, found
    assert found[0][0] == field
    assert words in found[0][1]


def test_the_builtin_vocabulary_has_no_problems():
    assert problems(BUILTIN) == []


def test_yaml_that_does_not_parse_names_the_line():
    (found,) = problems(_changed("  left: [", "  left: [["))
    assert found[0] == "file"
    assert "is not valid YAML, line" in found[1]


def test_an_unknown_list_is_named():
    text = _changed("  more: [", "  still: [x]\n  more: [")
    _only(text, "paychecks.still", "is not a list the reader reads")


def test_a_missing_list_is_named():
    _only(_changed("  catch_up: [catch-up, catch-ups]\n", ""), "slots.catch_up", "is missing")


def test_an_unknown_section_is_named():
    _only(_changed("weekdays: [", "holidays: [easter]\nweekdays: ["), "holidays", "Extra inputs")


def test_a_missing_section_is_named():
    text = _changed("match:\n", "unused:\n")
    assert {(field, message) for field, message in problems(text)} == {
        ("match", "Field required"),
        ("unused", "Extra inputs are not permitted"),
    }


def test_an_unquoted_yes_or_no_is_refused():
    text = _changed('no_true_up: ["no",', "no_true_up: [no,")
    _only(text, "match.no_true_up", "quote yes, no, on and off")


@pytest.mark.parametrize(
    "entry", ["Employer", "after tax!", "-tax", "pay  day", "x**", "after--tax", "i'-m", "a* b*c"]
)
def test_an_entry_outside_the_grammar_is_refused(entry):
    text = _changed("  after_tax: [", f'  after_tax: ["{entry}", ')
    _only(text, "slots.after_tax", "is not a phrase of lowercase words")


def test_an_entry_listed_twice():
    _only(_changed("  left: [left,", "  left: [left, left,"), "paychecks.left", "listed twice")


@pytest.mark.parametrize(
    ("old", "new", "field", "other"),
    [
        ("  weekly: [weekly,", "  weekly: [fortnightly, weekly,", "weekly", "biweekly"),
        ("  salary: [earn*,", "  salary: [firm, earn*,", "salary", "employer"),
        ("  age: [age]", "  age: [age, freq]", "frequency", "age"),
        ('  "no": ["no",', '  "no": [y, "no",', "no", "yes"),
        ("  last: [last year,", "  last: [next yr, last year,", "last", "next"),
    ],
)
def test_an_entry_under_two_meanings(old, new, field, other):
    found = problems(_changed(old, new))
    assert len(found) == 1, found
    assert found[0][0].endswith(f".{field}")
    assert f"is also in {found[0][0].split('.')[0]}.{other}" in found[0][1]


def test_a_weekday_outside_pay_frequencies():
    text = _changed("  more: [more,", '  more: ["every {weekday}", more,')
    _only(text, "paychecks.more", "{weekday} may only be used in pay_frequencies")


def test_an_option_name_that_cannot_be_typed():
    text = _changed(
        "employer: [employer, employer_contributions, er]", "employer: [employer, er-x]"
    )
    _only(text, "options.employer", "is not an option name")


def test_an_option_value_that_is_not_a_word():
    text = _changed("  max: [max, maximum,", "  max: [max, 'max!', maximum,")
    _only(text, "option_values.max", "'max!' is not a lowercase word or phrase")


@pytest.mark.parametrize(
    ("entry", "taken_as"),
    [("w-2", "as a name"), ("per month", "as a pay frequency"), ("turning 50", "as an age")],
)
def test_a_cue_an_earlier_step_always_takes(entry, taken_as):
    """A salary cue the reader reads first as something else can never name an amount."""
    text = _changed("wages, gross,", f"wages, gross, {entry},")
    _only(text, "slots.salary", f"'{entry}' is taken by an earlier step of the reader, {taken_as}")


def test_loading_a_broken_file_names_the_entry():
    with pytest.raises(VocabularyError) as raised:
        parse_vocabulary(_changed("  left: [left,", "  left: [left, left,"))
    assert str(raised.value) == "knowledge/numbers.yaml: paychecks.left: 'left' is listed twice"


def test_kb_check_reports_number_vocabulary_errors(monkeypatch, capsys):
    import bot.numbers.vocabulary

    broken = _changed("wages, gross,", "wages, gross, w-2,")
    monkeypatch.setattr(bot.numbers.vocabulary, "builtin_text", lambda: broken)
    assert main(["kb", "check"]) == 1
    out = capsys.readouterr().out
    assert "ERROR knowledge/numbers.yaml: slots.salary: 'w-2' is taken by an earlier step" in out


def _reader(old: str, new: str) -> Reader:
    return Reader(parse_vocabulary(_changed(old, new)))


def test_a_new_salary_word_names_an_amount():
    assert read_numbers("my stipend is 90k").salary is None
    reader = _reader("wages, gross,", "wages, gross, stipend,")
    assert reader.read("my stipend is 90k").salary == Decimal(90000)


def test_a_new_pay_frequency_phrase_is_read():
    assert read_numbers("paid every fourth week").frequency is None
    reader = _reader("  monthly: [monthly,", "  monthly: [every fourth week, monthly,")
    assert reader.read("paid every fourth week").frequency == "monthly"


def test_a_new_option_name_sets_its_slot():
    assert read_numbers("boss=10000").employer is None
    reader = _reader("employer: [employer,", "employer: [boss, employer,")
    assert reader.read("boss=10000").employer == Decimal(10000)


def test_an_age_word_from_the_file():
    reader = _reader("  past: [was, turned,", "  past: [was, turned, had been,")
    numbers = reader.read("I had been 58 in 2024")
    assert (numbers.age, numbers.age_year) == (58, 2024)
