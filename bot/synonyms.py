"""The field's jargon as people type it, mapped to one canonical spelling each.

Each rule is a regular expression over lowercased text, its replacement, and the
substrings (triggers) without which it cannot match. Multi-word
terms become single tokens (`after-tax` -> `aftertax`, `mega backdoor` ->
`megabackdoor`) so the matcher sees one term, however it was spelled. Rules apply in
order: longer phrases before their parts.
"""

from __future__ import annotations

import re

_RULES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    # Plan and code section numbers: 401(k), 401-k, 401 k, four-oh-one-k; 415(c); 402(g) …
    (("401",), r"\b401\s*\(\s*a\s*\)\s*\(\s*17\s*\)", " 401a17 "),
    (("four",), r"\bfour[\s-]*o(?:h|)[\s-]*one[\s-]*k'?s?\b", " 401k "),
    (("401",), r"\b401\s*(?:[-(]\s*)?k\s*\)?(?:'?s)?(?![a-z])", " 401k "),
    (("403",), r"\b403\s*(?:[-(]\s*)?b\s*\)?(?:'?s)?(?![a-z])", " 403b "),
    (
        ("457",),
        r"\b457\s*(?:[-(]\s*)?b\s*\)?(?:'?s)?(?![a-z])"
        r"|(?<![$\d.,])\b457s?\b(?![\d,.%]|\s*(?:k|grand|thousand|dollars)\b)",
        " 457b ",
    ),
    (("415",), r"\b(?:section\s+|irc\s+|§\s*)?415\s*(?:[-(]\s*)?c\s*\)?(?![a-z])", " 415c "),
    (("annual",), r"\bannual\s+additions?(?:\s+limits?)?\b", " 415c limit "),
    (("402",), r"\b(?:section\s+|irc\s+|§\s*)?402\s*(?:[-(]\s*)?g\s*\)?(?![a-z])", " 402g "),
    (("414",), r"\b(?:section\s+|irc\s+|§\s*)?414\s*(?:[-(]\s*)?v\s*\)?(?![a-z])", " 414v "),
    (("414",), r"\b(?:section\s+|irc\s+|§\s*)?414\s*(?:[-(]\s*)?q\s*\)?(?![a-z])", " 414q "),
    (
        ("1099",),
        r"\b(?:form\s+)?1099\s*(?:-\s*)?r(?:s)?\b"
        r"|\b1099s?\b(?![\s-]*(?:int|div|b|misc|nec|k|g|q|sa|c|s|oid|patr)\b)",
        " 1099r ",
    ),
    (("8606",), r"\bform\s+8606\b", " 8606 "),
    # After-tax (non-Roth) money and its abbreviations.
    (("non",), r"\bnon[\s-]*roth\s+after[\s-]*tax\b", " aftertax "),
    (
        ("tax", "tx"),
        r"\b(?:after|afer|aftr|atfer|afetr|aftter|afte|post)[\s-]*(?:tax|tx)(?:ed)?\b",
        " aftertax ",
    ),
    (("non",), r"\bnon[\s-]*roth\b", " aftertax "),
    (("nrat", "atac", "atc"), r"\b(?:nrat|atac|atc)\b", " aftertax "),
    # The backdoor strategies.
    (("mega",), r"\b(?:not|non)[\s-]*(?:the\s+|a\s+)?mega\b", " regular "),
    (("mb",), r"\b(?:mbdr|mbr|mbd)\b", " megabackdoor roth "),
    (("mega",), r"\bmega[\s-]*(?:back[\s-]*door|bd|bdr)s?\b", " megabackdoor "),
    (("bdr",), r"\bbdr\b", " backdoor roth "),
    (("back",), r"\bback[\s-]*doors?\b", " backdoor "),
    # In-plan conversions and in-service distributions.
    (("ipr",), r"\b(?:iprc|ipr)\b", " inplan roth conversion "),
    (
        ("plan",),
        r"\bin[\s-]*plan\s+(?:roth\s+)?(?:roll[\s-]*overs?|conversions?|converting|convert)\b",
        " inplan roth conversion ",
    ),
    (("plan",), r"\bin[\s-]*plan\b", " inplan "),
    (("service",), r"\bin[\s-]*service\b", " inservice "),
    (("hardship",), r"\bnon[\s-]*hardship\b", " nonhardship "),
    (("roll",), r"\broll(?:ing|ed|s)?[\s-]+(?:it\s+|them\s+|that\s+)?out\b", " rollout "),
    (("roll",), r"\broll[\s-]+(?:it\s+)?overs?\b", " rollover "),
    (("rolled",), r"\brolled[\s-]+over\b", " rolled "),
    # A plan that lacks a feature: "my plan doesn't allow after-tax", "no Roth option".
    (
        ("doesnt", "does not", "dont", "do not", "cant", "cannot", "can not", "wont", "no "),
        r"\b(?:doesnt|does\s+not|dont|do\s+not|cant|cannot|can\s+not|wont|will\s+not)\s+"
        r"(?:support|allow|allows|offer|offers|have|has|do|permit|let)\b"
        r"|\bno\s+(?=(?:aftertax|roth|megabackdoor|inplan|inservice)\s+(?:option|source|feature"
        r"|contributions?|account|bucket)s?\b)",
        " lacks ",
    ),
    # More than one employer's plan in a year.
    (
        ("job", "employer", "compan", "plan", "401k", "w2", "w-2"),
        r"\b(?:two|2|both|multiple|several|second|2nd|separate|different)\s+(?:of\s+)?(?:my\s+|the\s+"
        r"|our\s+)?(?:jobs?|employers?"
        r"|compan(?:y|ies)|plans|401k|w-?2s?)\b|\b(?:changed|changing|switched|switching|switch"
        r"|change)\s+(?:jobs?|employers?|compan(?:y|ies))\b|\bjob\s+(?:change|switch|hop)\w*\b",
        " multijob ",
    ),
    # Questions about the bot itself: "what can you do", "what can I ask", "what are you for".
    (
        ("what", "use", "ask", "talk", "how", "can"),
        r"\bwhat\s+(?:(?:else|all|kinds?\s+of|sorts?\s+of|types?\s+of|topics|things|questions"
        r"|stuff|subjects)\s+){0,3}(?:can|could"
        r"|do|does)\s+(?:you|u|this\s+bot|the\s+bot)\s+(?:do|know|help|answer|cover|tell)"
        r"(?:\s+(?:me|us|with|about|for\s+me|here))*(?=\s*[?.!]*\s*$)"
        r"|\bwhat\s+(?:else\s+|kinds?\s+of\s+(?:things|questions)\s+)?(?:can|should|could)\s+i"
        r"\s+ask(?:\s+(?:you|u|this\s+bot|the\s+bot))?\b"
        r"|\bwhat\s+(?:are|r)\s+(?:you|u)\s+for\b|\bwhat\s+is\s+this\s+(?:bot\s+)?for\b"
        r"|\bwhat\s+(?:you|u|this\s+bot)\s+can\s+do\b"
        r"|^\s*how\s+does\s+(?:this|this\s+bot|the\s+bot|it)\s+work\s*[?.!]*\s*$"
        r"|\bcan\s+(?:you|u|this\s+bot)\s+(?:do\s+)?(?:calculat\w*|math|comput\w*|work\s+out)"
        r"(?:\s+(?:stuff|things|numbers|anything|for\s+me))?\s*[?.!]*\s*$"
        r"|\bhow\s+(?:do|can|should)\s+i\s+(?:use|ask|talk\s+to)\s+(?:you|u|it|(?:this|the)"
        r"(?:\s+(?:bot|thing|tool|app))?)(?:\s+(?:something|anything|a\s+question|questions))?"
        r"\s*[?.!]*\s*$",
        " capabilities ",
    ),
    # Everyday turns of phrase that carry a term: "what do I gain" asks for the benefit,
    # "take money out" is a withdrawal, "how high is the cap" asks how much.
    (("gain",), r"\bwhat\s+(?:do|would|does|will|can)\s+(?:i|you|we|one)\s+gain\b", " benefit "),
    (
        ("take", "taking", "took", "pull"),
        r"\b(?:take|taking|took|taken|pull|pulling|pulled)\s+(?:(?:the|my|some|any|it|money"
        r"|cash|them|this|that|funds)\s+){0,2}out\b",
        " withdrawal ",
    ),
    (("high",), r"\bhow\s+high\b", " how much "),
    (
        ("get", "getting"),
        r"\bget(?:ting)?\s+(?:my|the|our|some|any)\s+(?:money|cash|funds)\s+out\b",
        " withdrawal ",
    ),
    (
        ("point", "worth", "sense", "idea", "waste"),
        r"\b(?:pointless|worthwhile|worth\s+it|makes?\s+sense|(?:a\s+)?(?:good|bad)\s+idea"
        r"|(?:a\s+)?waste(?:\s+of\s+(?:money|time))?)\b",
        " worth ",
    ),
    # "Mega backdoor 101" is an introduction.
    (("101",), r"(?<![\d$.,])\b101\b(?![\d,.%]|\s*k\b)", " explained "),
    (("which",), r"\bwhich\s+(?:one\s+)?is\s+which\b", " versus "),
    (("instead",), r"\binstead\s+of\b", " versus "),
    # "need help understanding the mega backdoor" asks about the mega backdoor, not the bot.
    (
        ("help",),
        r"\bhelp\s+(?:me\s+)?(?:understand(?:ing)?|with|figur(?:e|ing)\s+out|on|about)\b",
        " explain ",
    ),
    # Other acronyms and their long forms.
    (("highly",), r"\bhighly[\s-]+compensated(?:\s+employees?)?\b", " hce "),
    (("hces",), r"\bhces\b", " hce "),
    (("actual",), r"\bactual\s+contribution\s+percentage\b", " acp "),
    (("discrimination",), r"\bnon[\s-]*discrimination\b", " nondiscrimination "),
    (("required",), r"\brequired\s+minimum\s+distributions?\b", " rmd "),
    (("rmds",), r"\brmds\b", " rmd "),
    (("individual",), r"\bindividual\s+retirement\s+(?:account|arrangement)s?\b", " ira "),
    (("iras",), r"\biras\b", " ira "),
    (("roth",), r"\broth[\s-]*iras?\b", " roth ira "),
    (("thrift",), r"\bthrift\s+savings\s+plan\b", " tsp "),
    (("catch",), r"\bcatch[\s-]*ups?\b", " catchup "),
    (("pre",), r"\bpre[\s-]*tax\b", " pretax "),
    (("five", "5"), r"\b(?:five|5)[\s-]*(?:year|yr)s?\b", " fiveyear "),
    (("pro",), r"\bpro[\s-]*rata\b", " prorata "),
    (("profit",), r"\bprofit[\s-]*shar(?:ing|e)\b", " profitsharing "),
    (("true",), r"\btrue[\s-]*ups?\b", " trueup "),
    (("record",), r"\brecord[\s-]*keepers?\b", " recordkeeper "),
    (("human",), r"\bhuman\s+resources\b", " hr "),
    (("married", "mfj"), r"\bmarried\s+filing\s+jointly\b|\bmfj\b", " married joint "),
    (("married", "mfs"), r"\bmarried\s+filing\s+separately\b|\bmfs\b", " married separate "),
    (("head", "hoh"), r"\bhead\s+of\s+household\b|\bhoh\b", " single "),
    (("modified",), r"\bmodified\s+adjusted\s+gross\s+income\b", " magi "),
    (("deductible",), r"\bnondeductible\b|\bnon[\s-]+deductible\b", " nondeductible "),
    (("secure",), r"\bsecure\s*2(?:\.0)?\b|\bsecure\s+act\b", " secure2 "),
    (("over",), r"\bover[\s-]*contribut(?:e|ed|ing|ion|ions)\b", " excess contribution "),
    (("w-2", "w2", "w 2"), r"\bw[\s-]?2s?\b", " w2 "),
    (("most",), r"\bthe\s+most\b", " max "),
    # A match formula names the match even with no word for it: "100% of the first 6%".
    (
        ("%", "dollar"),
        r"(?:\b\d{1,3}(?:\.\d+)?\s*%|\bdollar\s+for\s+dollar)\s+(?:of|on|up\s+to)\s+(?:the\s+)?"
        r"(?:first\s+)?\d{1,2}(?:\.\d+)?\s*%",
        " match ",
    ),
    # Two kinds of money set side by side: "Roth or after-tax" compares them.
    (
        ("roth", "aftertax", "pretax", "traditional"),
        r"\b(roth|aftertax|pretax|traditional)\s+or\s+(roth|aftertax|pretax|traditional)\b",
        r" \1 versus \2 ",
    ),
)

# Typos and variant spellings that a fuzzy match would miss or confuse, word for word.
TYPOS: dict[str, str] = {
    "contibution": "contribution",
    "contributon": "contribution",
    "contrubution": "contribution",
    "contribuition": "contribution",
    "conribution": "contribution",
    "contirbution": "contribution",
    "withdrawl": "withdrawal",
    "withdrawel": "withdrawal",
    "widthdrawal": "withdrawal",
    "wihdrawal": "withdrawal",
    "convertion": "conversion",
    "converstion": "conversion",
    "coversion": "conversion",
    "rollver": "rollover",
    "rolover": "rollover",
    "emplyer": "employer",
    "employeer": "employer",
    "empoyer": "employer",
    "deferal": "deferral",
    "defferal": "deferral",
    "deferrel": "deferral",
    "defered": "deferred",
    "limt": "limit",
    "lmit": "limit",
    "limmit": "limit",
    "rothe": "roth",
    "rot": "roth",
    "taxs": "taxes",
    "eligable": "eligible",
    "elegible": "eligible",
    "recieve": "receive",
    "seperate": "separate",
    "seperately": "separately",
    "maxxing": "maxing",
    "maxed": "max",
    "maxing": "max",
    "maximum": "max",
    "maximize": "max",
    "maximise": "max",
    "cap": "limit",
    "caps": "limit",
    "capped": "limit",
    "ceiling": "limit",
    "thresholds": "threshold",
    "yrs": "year",
    "yr": "year",
    "thru": "through",
    "k401": "401k",
    "ee": "employee",
    "er": "employer",
}

# Words that mean the same thing here, mapped to the one the articles use.
SYNONYMS: dict[str, str] = {
    "auto": "automatic",
    "company": "employer",
    "employers": "employer",
    "job": "employer",
    "jobs": "employer",
    "workplace": "employer",
    "boss": "employer",
    "salary": "pay",
    "wages": "pay",
    "wage": "pay",
    "income": "pay",
    "compensation": "pay",
    "comp": "pay",
    "paid": "pay",
    "growth": "earnings",
    "grow": "earnings",
    "grows": "earnings",
    "growing": "earnings",
    "gains": "earnings",
    "gain": "earnings",
    "interest": "earnings",
    "returns": "earnings",
    "conversion": "convert",
    "conversions": "convert",
    "converting": "convert",
    "converted": "convert",
    "withdrawals": "withdrawal",
    "withdraw": "withdrawal",
    "access": "withdrawal",
    "withdrawing": "withdrawal",
    "distributions": "distribution",
    "taxed": "tax",
    "taxes": "tax",
    "taxable": "tax",
    "taxation": "tax",
    "vs": "versus",
    "v": "versus",
    "compared": "versus",
    "compare": "versus",
    "comparison": "versus",
    "difference": "versus",
    "differences": "versus",
    "diff": "versus",
    "differ": "versus",
    "differs": "versus",
    "different": "versus",
    "plans": "plan",
    # A plan that "allows" something supports it; "how much am I allowed" stays an amount.
    "allow": "support",
    "allows": "support",
    "permit": "support",
    "permits": "support",
    "offer": "support",
    "offers": "support",
    "supports": "support",
    "provider": "recordkeeper",
    "administrator": "recordkeeper",
    "fidelity": "recordkeeper",
    "vanguard": "recordkeeper",
    "schwab": "recordkeeper",
    "empower": "recordkeeper",
    "principal": "recordkeeper",
    "gross": "magi",
    "agi": "magi",
    "earners": "earner",
    "earner": "earner",
    "deferrals": "deferral",
    "defer": "deferral",
    "deferring": "deferral",
    "deferred": "deferral",
    "deferment": "deferral",
    "contributions": "contribution",
    "contribute": "contribution",
    "contributing": "contribution",
    "contributed": "contribution",
    "contributes": "contribution",
    "limits": "limit",
    "matching": "match",
    "matches": "match",
    "matched": "match",
    "rollovers": "rollover",
    "move": "roll",
    "moving": "roll",
    "moved": "roll",
}

_COMPILED = tuple(
    (frozenset(triggers), re.compile(pattern), repl) for triggers, pattern, repl in _RULES
)
_TRIGGERS = tuple(sorted({trigger for triggers, _, _ in _RULES for trigger in triggers}))


def _present(text: str) -> set[str]:
    return {trigger for trigger in _TRIGGERS if trigger in text}


def canonical_terms(text: str) -> str:
    """`text` (lowercase) with each jargon spelling replaced by its canonical term."""
    # Plain substring tests first: most rules cannot apply to a given question. A rule
    # that changes the text can bring a later rule's trigger in ("after tax" → "aftertax").
    present = _present(text)
    for triggers, pattern, repl in _COMPILED:
        if present.isdisjoint(triggers):
            continue
        changed = pattern.sub(repl, text)
        if changed != text:
            text = changed
            present = _present(text)
    return text
