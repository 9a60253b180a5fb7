"""The prepared index kept in a cache folder: same answers, rebuilt when its inputs change."""

from __future__ import annotations

from bot.engine import Engine, topic_texts
from bot.knowledge import load_articles
from bot.prepared import cache_key
from bot.reply import Question
from calc.limits import load_limits

QUESTIONS = ("what is the mega backdoor roth?", "does my plan allow after-tax?", "hsa limit?")


def _answers(engine: Engine) -> list[tuple[str, str | None]]:
    return [(r.kind, r.topic) for r in (engine.answer(Question(text=q)) for q in QUESTIONS)]


def test_a_cached_index_answers_as_a_fresh_one(tmp_path):
    fresh = _answers(Engine(limits=load_limits()))
    first = Engine(limits=load_limits(), index_cache=tmp_path)
    assert list(tmp_path.glob("index-*.pickle")), "the first start stores the index"
    again = Engine(limits=load_limits(), index_cache=tmp_path)
    assert _answers(first) == _answers(again) == fresh


def test_the_key_changes_with_the_articles():
    topics = topic_texts(load_articles())
    changed = [*topics[:-1], topics[-1].__class__(topics[-1].id, "Another title", ())]
    assert cache_key(topics) == cache_key(list(topics))
    assert cache_key(topics) != cache_key(changed)


def test_a_damaged_cache_file_is_only_a_slower_start(tmp_path):
    Engine(limits=load_limits(), index_cache=tmp_path)
    (stored,) = tmp_path.glob("index-*.pickle")
    stored.write_bytes(b"not a pickle")
    engine = Engine(limits=load_limits(), index_cache=tmp_path)
    assert _answers(engine) == _answers(Engine(limits=load_limits()))


def test_an_unwritable_cache_folder_still_answers(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would go")
    engine = Engine(limits=load_limits(), index_cache=blocked / "401k-bot")
    assert _answers(engine)[0] == ("article", "mega-backdoor-roth")
