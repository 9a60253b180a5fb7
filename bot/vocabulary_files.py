"""The schema of the vocabulary files (pydantic), and the YAML loader that reads them.

`bot.vocabulary` turns what these validate into the plain `Vocabulary` the language
layer reads; only reading the files needs this module.
"""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

Words = list[str]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class RuleEntry(_Strict):
    pattern: str | list[str] = Field(min_length=1)
    to: str
    example: str = Field(min_length=1)

    @property
    def expression(self) -> str:
        return self.pattern if isinstance(self.pattern, str) else "|".join(self.pattern)


class SynonymsFile(_Strict):
    rules: list[RuleEntry]
    spellings: dict[str, Words] = {}
    synonyms: dict[str, Words] = {}
    kept_numbers: Words = []
    unstemmed: Words = []


class NearScopeEntry(_Strict):
    label: str = Field(min_length=1)
    cues: Words = []
    phrases: Words = []
    needs: Words = []
    rescuers: Words = []


class ScopeFile(_Strict):
    stopwords: Words
    anchors: Words
    weak_anchors: Words = []
    general_anchors: Words = []
    off_topic: Words = []
    off_topic_phrases: Words = []
    soft: Words = []
    soft_specific: Words = []
    not_off_topic_before: dict[str, Words] = {}
    needs_specific: Words = []
    near_scope: list[NearScopeEntry] = []
    generic_subject: Words = []
    implies: dict[str, Words] = {}
    not_core: Words = []


class CalculatorEntry(_Strict):
    names: Words = Field(min_length=1)
    weights: dict[str, float] = Field(min_length=1)
    questions: list[str] = Field(min_length=1)


class IntentsFile(_Strict):
    after_tax: Words
    room: Words
    more: Words
    amount_words: Words
    calculate: Words
    meaning: Words
    other_plans: Words = []
    other_accounts: Words = []
    workplace_plans: Words = []
    calculators: dict[str, CalculatorEntry] = Field(min_length=1)


class UniqueKeyLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """PyYAML's safe loader (in C when libyaml is built in), refusing a mapping that names
    a key twice."""


def _unique_mapping(loader: UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    mapping: dict[Any, Any] = loader.construct_mapping(node)
    return mapping


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)
