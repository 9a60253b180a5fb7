"""Intent matching: which topic a question is about, and how sure that is.

Every topic brings its title, its example questions and its keywords. They are
normalised once when the matcher is built; a question is normalised the same way,
its typos corrected against the topics' vocabulary with rapidfuzz, and each topic is
scored by how well its best example question matches and how much of the question its
vocabulary explains. One function (`decide`) turns the ranking into an answer, a
choice between two topics, or a fallback.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from bot.normalize import to_tokens
from bot.scope import off_topic_cue
from bot.vocabulary import current

# Score thresholds, tuned on held-out paraphrases (tests/engine): a question scoring
# below ANSWER gets a fallback; two topics within TIE of each other get a clarify.
ANSWER = 0.42
NO_ANCHOR_ANSWER = 0.62
CLARIFY_FLOOR = 0.5
# A question within this rapidfuzz ratio of an example question matches it outright.
SURFACE_MATCH = 88.0
SURFACE_SCALE = 0.95
SURFACE_MAX_WORDS = 1
# How many of the best candidates `rank` scores exactly; the rest are ranked by a bound.
RANKED_EXACT = 3
# Two topics closer than TIE ask which one was meant; within ALSO of the best, the
# runner-up is offered next to the answer ("Also about: …").
TIE = 0.04
ALSO = 0.08

# How much a word unknown to every topic counts against a match, relative to the
# rarest known word; it is what keeps unrelated questions from matching on one term.
UNKNOWN_WEIGHT = 0.8
# A topic's score blends its best example's cosine similarity with how much of the
# question its vocabulary covers.
W_COSINE = 0.6
W_COVERED = 0.4
# A topic's core terms are the 401(k) terms most of its example questions use (after-tax
# for why-after-tax, Roth and after-tax for roth-vs-after-tax). A question that names 401(k)
# terms but lacks one of a topic's core terms is less likely to be about it: its score for
# that topic is scaled down.
CORE_SHARE = 0.7
CORE_PENALTY = 0.8
# Everyday words no topic lists as a keyword and that are no 401(k) term ("people", "made",
# "happen") say less than their rarity suggests: their weight is scaled by GENERIC.
GENERIC = 0.5
# With a 401(k) term in the question, words no topic knows ("I keep hearing about it on
# reddit") count less against it.
ANCHORED_UNKNOWN = 0.5
_PLACEHOLDER = re.compile(r"\{\{[^}]*\}\}")


@dataclass(frozen=True)
class TopicText:
    """What the matcher learns a topic from."""

    id: str
    title: str
    questions: tuple[str, ...]
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Query:
    """A question ready to score: its content words and what was noticed about them."""

    words: tuple[str, ...]
    text: str
    unknown: tuple[str, ...]
    has_anchor: bool
    off_topic: str | None


@dataclass(frozen=True)
class Candidate:
    """One topic's score for a question, from 0 to 1.

    `shared` is how many of the question's words its best example question has;
    `surface` is rapidfuzz's similarity (0–100) of the whole normalised question to
    the closest example question, which is what matches short, wordless questions
    such as "what can you do".
    """

    topic: str
    score: float
    shared: int = 0
    surface: float = 0.0


@dataclass(frozen=True)
class Decision:
    """What to do with a question: answer the first candidate, clarify between two, or not."""

    kind: Literal["answer", "clarify", "fallback"]
    candidates: tuple[Candidate, ...]
    reason: str

    @property
    def confidence(self) -> float:
        return self.candidates[0].score if self.candidates else 0.0


def stem(word: str) -> str:
    """A light suffix strip so "contributions" and "contribute" meet."""
    if len(word) <= 3 or not word.isalpha() or word in current().unstemmed:
        return word
    for suffix in ("ings", "ing", "ions", "ion", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    else:
        if word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def content_words(tokens: Iterable[str]) -> list[str]:
    """Stemmed tokens without stopwords."""
    stopwords = current().stopwords
    return [stem(t) for t in tokens if t not in stopwords]


@dataclass(frozen=True)
class _Phrase:
    topic: str
    words: frozenset[str]
    norm: float


class Matcher:
    """Scores questions against topics; built once, then pure and fast."""

    def __init__(self, topics: Sequence[TopicText]) -> None:
        self.topics = tuple(t.id for t in topics)
        bags: dict[str, set[str]] = {}
        phrase_words: list[tuple[str, list[str]]] = []
        surfaces: dict[str, str] = {}
        vocabulary = current()
        self.anchors = vocabulary.anchors
        anchors = frozenset(content_words(vocabulary.anchors)) - frozenset(
            content_words(vocabulary.not_core)
        )
        # Terms that imply others, for core terms (scope.yaml `implies`).
        self.implies = {
            stem(term): tuple(content_words(more)) for term, more in vocabulary.implies.items()
        }
        core: dict[str, frozenset[str]] = {}
        for topic in topics:
            bag: set[str] = set()
            uses: dict[str, int] = {}
            for text in (_PLACEHOLDER.sub(" ", topic.title), *topic.questions):
                tokens = to_tokens(text)
                surfaces.setdefault(" ".join(tokens), topic.id)
                words = content_words(tokens)
                if words:
                    phrase_words.append((topic.id, words))
                    bag.update(words)
                for word in set(words) & anchors:
                    uses[word] = uses.get(word, 0) + 1
            for keyword in topic.keywords:
                bag.update(content_words(to_tokens(keyword)))
            bags[topic.id] = bag
            least = CORE_SHARE * (len(topic.questions) + 1)
            core[topic.id] = frozenset(w for w, n in uses.items() if n >= least)
        self.core = core
        self.anchor_words = anchors
        count = max(1, len(topics))
        frequency: dict[str, int] = {}
        for bag in bags.values():
            for word in bag:
                frequency[word] = frequency.get(word, 0) + 1
        signal = set(anchors)
        for topic in topics:
            for keyword in topic.keywords:
                signal.update(content_words(to_tokens(keyword)))
        self.idf = {
            w: math.log(1 + count / f) * (1.0 if w in signal else GENERIC)
            for w, f in frequency.items()
        }
        self.unknown_weight = UNKNOWN_WEIGHT * math.log(1 + count)
        self.bags = {topic: frozenset(bag) for topic, bag in bags.items()}
        self.phrases = tuple(
            _Phrase(topic, frozenset(words), math.sqrt(sum(self.idf[w] for w in set(words))))
            for topic, words in phrase_words
        )
        # Each topic's example phrases, and which topics know each word, so a question
        # only visits the topics it shares words with.
        phrases_of: dict[str, list[_Phrase]] = {t: [] for t in self.topics}
        for phrase in self.phrases:
            phrases_of[phrase.topic].append(phrase)
        self._norms = {t: [p.norm for p in ps] for t, ps in phrases_of.items()}
        # Per topic, which of its phrases hold each word (positions in its norms list).
        self._where: dict[str, dict[str, list[int]]] = {}
        for name, own in phrases_of.items():
            where: dict[str, list[int]] = {}
            for position, phrase in enumerate(own):
                for word in phrase.words:
                    where.setdefault(word, []).append(position)
            self._where[name] = where
        # Which topics know each word, with the word's largest share of any of the
        # topic's phrases (1 / the shortest norm among the phrases that hold it): the sum
        # of those over a question's words bounds the topic's best cosine.
        self._topics_of: dict[str, list[tuple[str, float]]] = {}
        for name, bag_words in self.bags.items():
            where = self._where[name]
            norms = self._norms[name]
            for word in bag_words:
                held = [norms[p] for p in where.get(word, ())]
                share = 1 / min(held) if held else 0.0
                self._topics_of.setdefault(word, []).append((name, share))
        self._surface_texts = list(surfaces)
        self._surface_topics = list(surfaces.values())
        self.vocabulary = sorted(self.idf)
        # Vocabulary words long enough to be a typo target, for rapidfuzz lookups.
        self._typo_targets = [w for w in self.vocabulary if len(w) >= 4 and w.isalpha()]

    def weight(self, word: str) -> float:
        return self.idf.get(word, self.unknown_weight)

    def _correct(self, word: str) -> list[str]:
        """A known spelling of `word`: itself, a close typo, or two run-together words."""
        if word in self.idf or not word.isalpha() or len(word) < 4:
            return [word]
        found = process.extractOne(
            word, self._typo_targets, scorer=fuzz.ratio, score_cutoff=_typo_cutoff(word)
        )
        if found is not None:
            return [found[0]]
        for cut in range(3, len(word) - 2):
            left, right = stem(word[:cut]), stem(word[cut:])
            if left in self.idf and right in self.idf:
                return [left, right]
        return [word]

    def prepare(self, text: str) -> Query:
        """Normalise a question and correct its words against the topics' vocabulary."""
        return self.prepare_tokens(to_tokens(text))

    def prepare_tokens(self, tokens: Sequence[str], *, correct: bool = True) -> Query:
        """`prepare` for a question already split by `bot.normalize.to_tokens`; with
        `correct` false, its words are taken as they are and no off-topic cue is looked for
        (for tokens read already)."""
        off_topic = off_topic_cue(tokens) if correct else None
        has_anchor = any(t in self.anchors for t in tokens)
        words: list[str] = []
        for word in content_words(tokens):
            words.extend(self._correct(word) if correct else (word,))
        has_anchor = has_anchor or any(w in self.anchors for w in words)
        unknown = tuple(w for w in words if w not in self.idf)
        text = " ".join(tokens)
        return Query(tuple(dict.fromkeys(words)), text, unknown, has_anchor, off_topic)

    def rank(self, query: Query, limit: int = RANKED_EXACT) -> list[Candidate]:
        """The `limit` best topics for `query`, best first, with their scores."""
        surface: dict[str, float] = {}
        # Questions with words to match are matched on them; the surface match is for
        # questions made of everyday words only ("what can you do").
        if query.text and len(query.words) <= SURFACE_MAX_WORDS:
            for _, ratio, index in process.extract(
                query.text, self._surface_texts, scorer=fuzz.ratio, limit=3, score_cutoff=60
            ):
                topic = self._surface_topics[index]
                surface[topic] = max(surface.get(topic, 0.0), ratio)
        words = set(query.words)
        if not words:
            by_surface = [Candidate(t, round(s / 100, 4), 0, s) for t, s in surface.items()]
            return _padded(sorted(by_surface, key=_by_score)[:limit], self.topics, limit)
        weights = {w: self.weight(w) for w in words}
        specific = words & self.anchor_words
        implied = set(words)
        for word in specific:
            implied.update(self.implies.get(word, ()))
        if specific:
            for w in query.unknown:
                weights[w] *= ANCHORED_UNKNOWN
        total = sum(weights.values())
        root = math.sqrt(total)
        covered: dict[str, float] = {}
        reach: dict[str, float] = {}
        for word in words:
            weight = weights[word]
            for topic, share in self._topics_of.get(word, ()):
                covered[topic] = covered.get(topic, 0.0) + weight
                reach[topic] = reach.get(topic, 0.0) + weight * share
        # Scoring a topic means visiting its example phrases, so topics are scored best
        # bound first, until no bound can beat the `limit`-th score. Topics sharing no
        # word and no surface match score 0 and are only there to make up `limit`.
        bounds = []
        for topic in covered.keys() | surface.keys():
            weight = covered.get(topic, 0.0)
            cosine_bound = min(1.0, reach.get(topic, 0.0) / root)
            blended = W_COSINE * cosine_bound + W_COVERED * weight / total
            bounds.append((max(blended, surface.get(topic, 0.0) / 100 * SURFACE_SCALE), topic))
        bounds.sort(reverse=True)
        ranked: list[Candidate] = []
        for bound, topic in bounds:
            if len(ranked) >= limit and bound <= ranked[limit - 1].score:
                break
            scored = self._score(topic, words, weights, covered, implied, query, surface)
            bisect.insort(ranked, scored, key=_by_score)
        return _padded(ranked[:limit], self.topics, limit)

    def _score(
        self,
        topic: str,
        words: set[str],
        weights: dict[str, float],
        covered: dict[str, float],
        implied: set[str],
        query: Query,
        surface: dict[str, float],
    ) -> Candidate:
        """One topic's exact score: its best example's cosine blended with its coverage."""
        total = sum(weights.values())
        root = math.sqrt(total)
        overlap: dict[int, float] = {}
        shared: dict[int, int] = {}
        where = self._where[topic]
        for word in words:
            for position in where.get(word, ()):
                overlap[position] = overlap.get(position, 0.0) + weights[word]
                shared[position] = shared.get(position, 0) + 1
        norms = self._norms[topic]
        cosine, shared_count = 0.0, 0
        for position, value in overlap.items():
            value /= root * norms[position]
            if value > cosine:
                cosine, shared_count = value, shared[position]
        blended = W_COSINE * cosine + W_COVERED * covered.get(topic, 0.0) / total
        core = self.core[topic]
        if query.has_anchor and core and core - implied:
            blended *= CORE_PENALTY
        shown = surface.get(topic, 0.0)
        score = max(blended, shown / 100 * SURFACE_SCALE)
        return Candidate(topic, round(score, 4), shared_count, shown)


def _by_score(candidate: Candidate) -> float:
    return -candidate.score


def _padded(ranked: list[Candidate], topics: Sequence[str], limit: int) -> list[Candidate]:
    """`ranked` made up to `limit` with topics that scored nothing."""
    seen = {c.topic for c in ranked}
    for topic in topics:
        if len(ranked) >= limit:
            break
        if topic not in seen:
            ranked.append(Candidate(topic, 0.0))
    return ranked


def _typo_cutoff(word: str) -> float:
    # Short words need a closer match: one wrong letter in five is 80%.
    return 80.0 if len(word) >= 7 else 85.0


def decide(
    query: Query, ranked: Sequence[Candidate], own_scope: frozenset[str] = frozenset()
) -> Decision:
    """Answer, clarify between the two best, or fall back; see the thresholds above.

    `own_scope` holds topics a company added (BOT_KNOWLEDGE_DIR): they may cover
    subjects the built-in scope rules turn away, such as the plan's loan rules, so an
    off-topic cue does not stop a question whose best match is one of them.
    """
    top = tuple(ranked[:3])
    if not top or top[0].score <= 0:
        return Decision("fallback", top, "nothing matched")
    if query.off_topic is not None and top[0].topic not in own_scope:
        return Decision("fallback", top, f"off-topic: {query.off_topic}")
    best = top[0].score
    if query.has_anchor:
        if best < ANSWER:
            return Decision("fallback", top, "low score")
    elif top[0].surface < SURFACE_MATCH and (best < NO_ANCHOR_ANSWER or top[0].shared < 2):
        return Decision("fallback", top, "no 401(k) term and no close example")
    if len(top) > 1 and best - top[1].score < TIE and top[1].score >= CLARIFY_FLOOR:
        return Decision("clarify", top[:2], "two topics tied")
    return Decision("answer", top, "matched")


def also_about(decision: Decision) -> list[str]:
    """The runner-up topic worth offering next to an answer, if it came close."""
    if decision.kind != "answer" or len(decision.candidates) < 2:
        return []
    best, second = decision.candidates[0], decision.candidates[1]
    if second.score >= CLARIFY_FLOOR and best.score - second.score < ALSO:
        return [second.topic]
    return []
