"""The /aftertaxroom form: every field checked before the engine sees it."""

from __future__ import annotations

import json

from bot.slack.modal import FIELDS, channel_of, check, field_values, form_view

YEARS = [2024, 2025, 2026]


def test_the_form_has_every_input_and_remembers_its_channel() -> None:
    view = form_view(YEARS, 2026, "C0GENERAL")
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    assert [b["block_id"] for b in inputs] == list(FIELDS)
    assert [b["element"]["action_id"] for b in inputs] == list(FIELDS)
    assert [b["block_id"] for b in inputs if not b.get("optional", False)] == [
        "deferrals",
        "year",
    ]
    year = inputs[FIELDS.index("year")]["element"]
    assert year["initial_option"]["value"] == "2026"
    assert [o["value"] for o in year["options"]] == ["2024", "2025", "2026"]
    assert channel_of(view) == "C0GENERAL"
    assert json.loads(view["private_metadata"]) == {"channel_id": "C0GENERAL"}


def test_values_are_read_from_the_view_state() -> None:
    view = {
        "state": {
            "values": {
                "deferrals": {"deferrals": {"type": "plain_text_input", "value": " 24.5k "}},
                "employer": {"employer": {"type": "plain_text_input", "value": None}},
                "year": {"year": {"type": "static_select", "selected_option": {"value": "2025"}}},
            }
        }
    }
    assert field_values(view) == {"deferrals": "24.5k", "year": "2025"}


def test_valid_fields_become_the_engines_args() -> None:
    checked = check({"deferrals": "$24,500", "employer": "10k", "age": "52", "year": "2025"}, YEARS)
    assert checked.errors == {}
    assert checked.args == {"deferrals": "24500", "employer": "10000", "age": "52", "year": "2025"}


def test_a_match_formula_needs_a_salary() -> None:
    checked = check({"deferrals": "24500", "match": "50% up to 6%"}, YEARS)
    assert checked.errors == {"salary": "A match formula needs your salary."}
    checked = check({"deferrals": "24500", "match": "50% up to 6%", "salary": "150k"}, YEARS)
    assert checked.errors == {}
    assert checked.args["match"] == "50% up to 6%"
    assert checked.args["salary"] == "150000"


def test_each_bad_field_gets_its_own_message() -> None:
    checked = check(
        {"deferrals": "-5", "salary": "lots", "age": "0", "year": "2031", "match": "some"}, YEARS
    )
    assert set(checked.errors) == {"deferrals", "salary", "age", "year", "match"}
    assert "negative" in checked.errors["deferrals"]
    assert "1 to 129" in checked.errors["age"]
    assert checked.errors["year"] == "Choose one of 2024, 2025, 2026."
    assert "50% up to 6%" in checked.errors["match"]
    assert checked.args == {}


def test_deferrals_and_employer_money_are_required() -> None:
    checked = check({}, YEARS)
    assert set(checked.errors) == {"deferrals", "employer"}
