"""What is in scope: the words that anchor a question to 401(k) contributions, the words
that mark it as about something else, and the words that carry no topic at all.

Next to the bot's subject sit 401(k) subjects it does not cover (loans, early-withdrawal
penalties, vesting schedules, rollovers of pre-tax money, 401(k)s in general): a question
about one of them falls back unless it also names something the bot does cover.

All words are in the canonical spellings of `bot.normalize` (after synonyms).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = _words(
    """
    a an the i me my mine myself we us our ours you your yours he him his she her it its
    they them their this that these those there here what whats which who whom whose when
    where how is are was were be been being am do does did doing done have has had having
    can could would should will shall may might must to of in on at for from by with about
    as into onto than then so if or and but not no nor this that also any some many
    very really still ever just please thanks thank hey hi hello ok okay yes yeah like want
    wanted need needs know tell explain mean means go going get gets got im ive id ill
    its dont doesnt isnt arent cant wont didnt whats hows thats theres youre one up out
    over under again more most other such only own same too s t d ll m re ve y kind sort
    question questions quick anyone someone somebody anybody guys folks team all
    way ways thing things something anything stuff let lets use using used
    keep keeps kept hear hearing heard read reading saw seen reddit online internet talk
    talking talked people ppl lol lmao idk tbh imo pls plz btw fyi hmm um uh guess wondering
    wonder curious dumb stupid sure literally basically seriously apparently simply briefly
    quickly actually exactly honestly
    """
)

# Words that tie a question to this bot's subject. A question without one must match an
# example question very closely to get an answer.
ANCHORS = _words(
    """
    401k 403b 457b tsp roth aftertax megabackdoor backdoor catchup 415c 402g 414v 414q 401a17
    deferral match inplan inservice pretax ira hce acp 1099r 8606 prorata fiveyear rollover
    convert recordkeeper profitsharing trueup nondiscrimination rmd secure2 magi fica
    contribution elective vesting vested bot aftertaxroom command commands help slash
    capabilities
    """
)

# Topics this bot does not cover: any of these words means a fallback, however well the
# rest of the question matches ("What's the HSA limit?" is not about 401(k) limits).
OFF_TOPIC = _words(
    """
    hsa hsas fsa fsas 529 crypto cryptocurrency bitcoin btc ethereum nft nfts espp rsu rsus
    nso nsos mortgage mortgages refinance refi insurance medicare medicaid annuity annuities
    etf etfs dividend dividends stock stocks shares equity bond bonds gold silver forex
    portfolio allocation rebalance rebalancing fund funds index loan loans borrow borrowing
    borrowed hardship pension pensions tuition college student lunch dinner breakfast weather
    joke jokes movie movies
    recipe football soccer sports game games music song poem rent apartment car cars house
    houses beneficiary beneficiaries inherited inherit inheritance divorce qdro alimony
    wills trust estate bankruptcy credit debt budget budgeting dental vision
    disability unemployment annuitize options broker brokerage expense expenses reimbursement
    vacation pto holiday holidays paystub payslip invest investing investment investments
    thanks thank thx ty cheers bye goodbye lol haha cool awesome nice great morning night
    afternoon evening weekend marginal fee fees bankrupt bankruptcy insured fdic sipc 72t sepp
    """
)

# Phrases (in canonical words) that mark a question as off topic.
OFF_TOPIC_PHRASES: tuple[tuple[str, ...], ...] = (
    ("open", "enrollment"),
    ("target", "date"),
    ("social", "security"),
    ("tax", "bracket"),
    ("tax", "brackets"),
    ("standard", "deduction"),
    ("capital", "gain"),
    ("capital", "gains"),
    ("real", "estate"),
    ("emergency", "fund"),
    ("savings", "account"),
    ("high", "yield"),
    ("day", "trading"),
    ("stock", "option"),
    ("cash", "out"),
    ("cashing", "out"),
    ("tax", "rate"),
    ("tax", "rates"),
    ("tax", "refund"),
    ("tax", "refunds"),
)

# Off-topic words that a 401(k) question can still use: they count only when the
# question has no anchor ("tax brackets" alone is general tax; "Roth or pre-tax given my
# tax bracket" is in scope; a "brokerage" account is the alternative to after-tax money).
SOFT = frozenset(
    {
        "tax bracket",
        "tax brackets",
        "tax refund",
        "tax refunds",
        "tax rate",
        "tax rates",
        "marginal",
        "funds",
        "brokerage",
        "broker",
        "options",
        "index",
        "fund",
        "disability",
        "invest",
        "investing",
        "investment",
        "investments",
        "inherited",
        "inherit",
        *_words("thanks thank thx ty cheers bye goodbye lol haha cool awesome nice great"),
        *_words("morning night afternoon evening weekend"),
    }
)

# Soft words that only a term specific to this bot brings back ("which fund in my 401k"
# is about investments; "a money market fund in the after-tax source" is not).
SOFT_SPECIFIC = frozenset(
    {
        "fund",
        "funds",
        "index",
        "invest",
        "investing",
        "investment",
        "investments",
        "inherited",
        "inherit",
        "tax refund",
    }
)
# "fund" followed by one of these is the verb ("still fund a Roth IRA"), not an investment.
_FUND_VERB_OBJECTS = _words("a an my the it your their our roth ira 401k account")
# Other accounts named like the ones the articles mention in passing: off topic unless the
# question also names something specific to this bot ("SEP IRA and the pro-rata rule").
NEEDS_SPECIFIC = (("sep", "ira"), ("simple", "ira"))
# Anchors too general to bring an off-topic word back into scope, or to make small talk
# ("thanks bot") a question.
GENERAL = frozenset({"401k", "ira", "roth", "contribution", "bot", "help"})


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


# Words that tie a question back to this bot's subject whatever else it mentions.
_AFTER_TAX_MONEY = "aftertax megabackdoor backdoor inplan inservice convert basis earnings 1099r"
# In canonical words. "How do I roll my old 401(k) into an IRA" is about rollovers, which
# this bot does not cover; "roll after-tax money to a Roth IRA" is.
NEAR_SCOPE = (
    NearScope(
        "withdrawal penalties",
        _words("penalty penalties penalized penalize"),
        _words(f"roth fiveyear excess hce acp refund {_AFTER_TAX_MONEY}"),
        (("early", "withdrawal"), ("early", "distribution"), ("rule", "of", "55")),
    ),
    NearScope(
        "withdrawals",
        _words("withdrawal distribution payout"),
        _words(
            f"roth fiveyear excess hce acp refund corrective nondiscrimination split notice "
            f"rmd qualified {_AFTER_TAX_MONEY}"
        ),
    ),
    NearScope("required minimum distributions", _words("rmd"), _words("roth")),
    NearScope(
        "vesting schedules",
        _words("vesting vested vest vests cliff graded"),
        _words("roth"),
    ),
    NearScope(
        "other plan types",
        _words("403b 457b tsp solo"),
        _words(
            "limit max deferral 402g 415c catchup excess megabackdoor aftertax multijob "
            "combined share shared both same together per employer w2 profitsharing"
        ),
    ),
    NearScope(
        "rollovers",
        _words("rollover roll rolled rolling rolls"),
        _words(f"roth backdoor prorata split fiveyear excess 1040 8606 {_AFTER_TAX_MONEY}"),
    ),
    NearScope(
        "leaving a job",
        _words("quit quitting leave leaving fired laid layoff terminated separation"),
        _words(
            f"roth limit deferral excess 402g 415c catchup match trueup multijob {_AFTER_TAX_MONEY}"
        ),
    ),
    NearScope(
        "Roth IRA conversions",
        _words("convert"),
        _words(
            "backdoor megabackdoor nondeductible prorata aftertax basis 8606 fiveyear 1099r "
            "pay high earnings inplan 401k withdrawal clock recharacterize contribution "
            "aggregation wait"
        ),
        needs=_words("ira"),
    ),
    NearScope(
        "changing a contribution election",
        frozenset(),
        _words("aftertax megabackdoor roth catchup limit max pretax match magi pay trueup"),
        tuple(
            (verb, "my")
            for verb in ("increase", "decrease", "raise", "lower", "change", "adjust", "update")
        ),
    ),
    NearScope(
        "W-2 forms",
        _words("w2"),
        _words(
            "catchup roth fica limit multijob solo 415c 402g excess deferral pay aftertax "
            "megabackdoor employer"
        ),
    ),
    NearScope(
        "changing jobs",
        _words("multijob"),
        _words(
            "limit max deferral 402g 415c excess contribution catchup megabackdoor aftertax "
            "much put share shared combined reset per roth fiveyear match"
        ),
    ),
    NearScope(
        "savings priorities",
        _words("prioritize priority priorities"),
        _words(_AFTER_TAX_MONEY),
        (("which", "first"), ("what", "first"), ("which", "one", "first")),
    ),
    NearScope(
        "how much to save",
        frozenset(),
        _words("aftertax megabackdoor match catchup max limit 415c 402g trueup"),
        (("how", "much", "should"), ("how", "much", "do", "i", "need", "to", "save")),
    ),
    NearScope(
        "account balances", _words("balance balances"), _words("prorata backdoor convert 8606")
    ),
    NearScope(
        "plan administration",
        _words("login password website portal statement statements paperwork username enroll"),
        _words("aftertax megabackdoor inplan convert"),
    ),
)

# Words that say nothing beyond "a 401(k)": a question made only of these and stopwords
# ("what is a 401k", "how does a 401k work", "401k vs IRA") is about 401(k)s in general.
GENERIC_SUBJECT = _words(
    """
    401k 403b 457b ira plan plans account accounts retirement savings saving save work works
    working explain explained explanation basic basics definition define mean meaning much
    versus better best good bad which whats everything general generally exactly actually
    """
)


def _has_phrase(tokens: Sequence[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(tuple(tokens[i : i + size]) == phrase for i in range(len(tokens) - size + 1))


def near_scope_cue(tokens: Sequence[str]) -> str | None:
    """The near-scope subject `tokens` ask about without naming anything this bot covers."""
    present = set(tokens)
    for near in NEAR_SCOPE:
        cued = bool(present & near.cues) or any(
            p[0] in present and _has_phrase(tokens, p) for p in near.phrases
        )
        if cued and near.needs <= present and not present & near.rescuers:
            return near.label
    content = present - STOPWORDS
    if content and content <= GENERIC_SUBJECT:
        return "401(k)s in general"
    return None


def off_topic_cue(tokens: Sequence[str]) -> str | None:
    """The first word or phrase in `tokens` that marks the question as off topic."""
    anchored = any(t in ANCHORS and t not in ("bot", "help") for t in tokens)
    specific = any(t in ANCHORS and t not in GENERAL for t in tokens)
    for i, token in enumerate(tokens):
        if token not in OFF_TOPIC:
            continue
        if token == "fund" and tokens[i + 1 : i + 2] and tokens[i + 1] in _FUND_VERB_OBJECTS:
            continue
        if token in SOFT and (specific if token in SOFT_SPECIFIC else anchored):
            continue
        return token
    for i in range(len(tokens) - 1):
        if not specific and tuple(tokens[i : i + 2]) in NEEDS_SPECIFIC:
            return " ".join(tokens[i : i + 2])
        for phrase in OFF_TOPIC_PHRASES:
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                label = " ".join(phrase)
                if label in SOFT and (specific if label in SOFT_SPECIFIC else anchored):
                    continue
                return label
    return near_scope_cue(tokens)
