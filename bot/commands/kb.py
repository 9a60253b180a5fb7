"""`kb check`, `kb list` and `kb show`: the knowledge base from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from bot.commands import YEAR, summary
from bot.commands.calc import choose_year
from bot.knowledge import (
    Article,
    ArticleFile,
    KnowledgeError,
    Problem,
    article_reply,
    check_knowledge,
    load_articles,
    read_builtin,
    read_folder,
    render_article,
)
from bot.render.text import to_text
from bot.settings import read_settings
from calc.limits import YearChoice, load_limits


def register(sub: argparse._SubParsersAction[Any]) -> None:
    kb = sub.add_parser(
        "kb",
        help=summary("kb"),
        description="The Markdown articles the bot answers from: the built-in ones, plus "
        "those of BOT_KNOWLEDGE_DIR, which add topics or replace built-in ones by id.",
    )
    actions = kb.add_subparsers(dest="kb_command", metavar="ACTION")
    kb.set_defaults(run=lambda _args: _usage(kb))

    check = actions.add_parser(
        "check",
        help="validate articles: schema, placeholders, related ids, hand-typed figures",
        description="Check the articles against docs/knowledge-format.md. Without DIR: the "
        "built-in articles and BOT_KNOWLEDGE_DIR. With DIR: that folder's articles, laid "
        "over the built-in ones. Exits 1 when there are errors.",
        epilog="example: 401k-bot kb check ./our-articles",
    )
    check.add_argument("dir", nargs="?", type=Path, metavar="DIR", help="a folder of articles")
    check.set_defaults(run=run_check)

    listing = actions.add_parser(
        "list",
        help="article ids and titles",
        description="Every article id and title; '*' marks articles from BOT_KNOWLEDGE_DIR.",
    )
    listing.set_defaults(run=run_list)

    show = actions.add_parser(
        "show",
        help="one article as the bot sends it",
        description="Render one article for a tax year, with its sources and the disclosure.",
        epilog="example: 401k-bot kb show contribution-limits --year 2026",
    )
    show.add_argument("id", metavar="ID", help="the article id, as `kb list` shows it")
    show.add_argument("--year", type=YEAR, help="tax year (default: this year, or BOT_TAX_YEAR)")
    show.set_defaults(run=run_show)


def run_check(args: argparse.Namespace) -> int:
    builtin: list[ArticleFile] = []
    overrides: list[ArticleFile] = []
    try:
        builtin = read_builtin()
        settings = read_settings()
        folder = args.dir if args.dir is not None else settings.bot_knowledge_dir
        overrides = read_folder(folder) if folder is not None else []
    except KnowledgeError as exc:
        problems = [Problem("error", exc.file, exc.field, exc.message)]
    else:
        problems = check_knowledge(
            builtin,
            overrides,
            load_limits(),
            dt.date.today(),
            check_builtin=args.dir is None,
            link_hosts=settings.link_hosts,
        )
        if args.dir is None:
            problems += vocabulary_problems(builtin)
        if args.dir is not None and not overrides:
            problems.append(Problem("warning", str(args.dir), "folder", "has no .md articles"))
    for problem in sorted(problems, key=lambda p: (p.file, p.level != "error")):
        print(problem)
    errors = sum(problem.level == "error" for problem in problems)
    summary = f"{_plural(errors, 'error')}, {_plural(len(problems) - errors, 'warning')}"
    count = len(overrides) if args.dir is not None else len(builtin) + len(overrides)
    print(f"{summary} in {_plural(count, 'article')}")
    return 1 if errors else 0


def vocabulary_problems(files: list[ArticleFile]) -> list[Problem]:
    """The built-in vocabulary files' problems, checked against the built-in articles."""
    from bot.knowledge.article import validate_file
    from bot.vocabulary import problems, read_builtin

    texts: list[str] = []
    for file in files:
        article, _ = validate_file(file)
        if article is not None:
            texts += [article.front.title, *article.front.questions, *article.front.keywords]
    found = [
        Problem("error", f"knowledge/{found.file}", found.field, found.message)
        for found in problems(read_builtin(), texts)
    ]
    return found + conversation_problems() + number_problems()


def conversation_problems() -> list[Problem]:
    """The conversation vocabulary's problem, if it has one (it is read whole or not at all)."""
    from importlib import resources

    from bot.conversation.vocabulary import VocabularyError, parse_vocabulary

    name = "conversation.yaml"
    try:
        parse_vocabulary(resources.files("knowledge").joinpath(name).read_text("utf-8"), name)
    except VocabularyError as exc:
        return [Problem("error", f"knowledge/{name}", exc.field, exc.message)]
    return []


def number_problems() -> list[Problem]:
    """The number vocabulary's problems (`knowledge/numbers.yaml`)."""
    from bot.numbers.checks import problems
    from bot.numbers.vocabulary import FILE, builtin_text

    return [
        Problem("error", f"knowledge/{FILE}", field, message)
        for field, message in problems(builtin_text())
    ]


def run_list(args: argparse.Namespace) -> int:
    settings = read_settings()
    try:
        articles = load_articles(settings.bot_knowledge_dir, settings.link_hosts)
    except KnowledgeError as exc:
        return _fail(f"{exc} (run 401k-bot kb check)")
    choice = choose_year(None)
    width = max((len(topic) for topic in articles), default=0)
    for topic, article in articles.items():
        mark = "*" if article.is_override else " "
        print(f"{mark} {topic:<{width}}  {_title(article, choice)}")
    overrides = sum(article.is_override for article in articles.values())
    footer = _plural(len(articles), "article")
    if overrides:
        footer += f"; * {overrides} from BOT_KNOWLEDGE_DIR ({settings.bot_knowledge_dir})"
    print(footer)
    return 0


def run_show(args: argparse.Namespace) -> int:
    settings = read_settings()
    try:
        articles = load_articles(settings.bot_knowledge_dir, settings.link_hosts)
    except KnowledgeError as exc:
        return _fail(f"{exc} (run 401k-bot kb check)")
    article = articles.get(args.id.strip().lower())
    if article is None:
        return _fail(_unknown(args.id, list(articles)))
    choice = choose_year(args.year)
    try:
        rendered = render_article(article, choice.limits)
    except KnowledgeError as exc:
        return _fail(str(exc))
    if choice.note:
        print(choice.note)
    print(to_text(article_reply(rendered, settings.disclosure)), end="")
    return 0


def _fail(message: str) -> int:
    """One error line on stderr, as the other commands print theirs; exit status 2."""
    print(f"401k-bot kb: error: {message}", file=sys.stderr)
    return 2


def _title(article: Article, choice: YearChoice) -> str:
    try:
        return render_article(article, choice.limits).title
    except KnowledgeError:
        return article.front.title


def _unknown(topic: str, ids: list[str]) -> str:
    close = process.extract(topic, ids, scorer=fuzz.WRatio, limit=3, score_cutoff=60)
    if close:
        return f"no article '{topic}'; did you mean {', '.join(name for name, *_ in close)}?"
    return f"no article '{topic}'; see 401k-bot kb list"


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
