"""The conversation vocabulary: the built-in file is valid, and each kind of mistake is named."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from bot.conversation.vocabulary import VocabularyError, parse_vocabulary

BUILTIN = resources.files("knowledge").joinpath("conversation.yaml").read_text("utf-8")


def test_the_built_in_vocabulary_is_valid():
    vocabulary = parse_vocabulary(BUILTIN)
    assert ("thanks",) in vocabulary.smalltalk.thanks
    assert ("start", "over") in vocabulary.reset.phrases


def broken(change):
    data = yaml.safe_load(BUILTIN)
    change(data)
    return yaml.safe_dump(data)


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        (lambda d: d["smalltalk"]["thanks"].append("thanks"), "smalltalk.thanks", "twice"),
        (lambda d: d["reset"]["phrases"].append(True), "reset.phrases", "quote yes"),
        (lambda d: d["pick"]["first"].append("!!"), "pick.first", "no words"),
        (lambda d: d["follow_up"].update(also=["x"]), "follow_up.also", "Extra"),
        (lambda d: d.pop("correction"), "correction", "required"),
        (lambda d: d["replies"]["thanks"].update(text=""), "replies.thanks.text", "at least"),
    ],
)
def test_each_mistake_is_named_by_its_entry(change, field, says):
    with pytest.raises(VocabularyError) as raised:
        parse_vocabulary(broken(change))
    assert raised.value.field == field
    assert says in raised.value.message


def test_text_that_is_not_yaml_is_said_so():
    with pytest.raises(VocabularyError, match="not valid YAML"):
        parse_vocabulary("smalltalk: [unclosed")
