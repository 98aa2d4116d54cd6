"""What an assessor catches in the numbers of a plan's prose: four families a pack switches on.

`number-format`: 12.400 people (a point where the thousands comma goes), 12,40 or 1,2345.
`stated-percentages`: 310 of 2,480 patients (14%), when it is 12.5%; a change from 1,200 to 1,050
stated as 10%. `same-figure`: 1,250 emergency admissions avoided in one section, 1,400 in another.
`quoted-figures`: £87k for a scheme whose spend in the year is £86,420 (which is £86k).
Each reads sentences found by planpress.checks.prose_numbers and stays quiet where it is unsure:
a hedged figure (about, over, up to) is never held to a sum.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple
from decimal import ROUND_HALF_UP, Decimal

from planpress.checks.prose_numbers import Number, Sentence, sentences, words_after, words_before
from planpress.checks.registry import rule_family
from planpress.errors import Finding, Location
from planpress.figures import compute, scheme_key
from planpress.load.content import PlanContent
from planpress.load.models import Record, to_step
from planpress.render import money

HEDGES = ("about", "around", "approximately", "approx", "roughly", "nearly", "almost", "over", "under", "some",
          "than", "least", "most", "to", "exceeds", "exceeding", "circa", "c", "up", "estimated", "further",
          "additional", "another", "extra", "each", "every", "per")
DOWN = ("reduction", "decrease", "fall", "drop", "cut", "decline", "lower", "fewer")
UP = ("increase", "rise", "growth", "higher", "more")
CHANGE_WORDS = DOWN + UP + ("change", "improvement")
LABELS = ("section", "sections", "scheme", "schemes", "tier", "level", "phase", "part", "appendix", "risk",
          "milestone", "page", "paragraph", "chapter", "condition", "objective", "priority", "number", "no", "aged",
          "age", "ages", "over", "under", "band", "grade", "stage", "year", "years", "week", "quarter", "q")
DURATIONS = {"seconds", "minutes", "hours", "days", "weeks", "months", "years", "hrs", "mins"}
PHRASE_ENDS = {"and", "or", "but", "which", "who", "that", "whom", "whose", "if", "when", "while", "because"}
STOP_WORDS = {"a", "an", "the", "of", "in", "to", "for", "and", "or", "by", "on", "at", "with", "from", "as", "is",
              "are", "was", "were", "be", "this", "that", "its", "our", "their", "per", "each", "year", "month"}


class NumberFormatParams(Record):
    count_words: list[str] = ["people", "patients", "residents", "adults", "children", "carers", "admissions",
                              "users", "clients", "referrals", "beds", "places", "staff", "visits", "contacts",
                              "assessments", "households", "homes", "packages", "cases", "responses", "calls"]
    """Words that, straight after a number (or one word later), make it a count: 12.400 people is 12,400."""


class PercentagesParams(Record):
    hedges: list[str] = list(HEDGES)
    """Words before a percentage that say it is not exact (about 14%): such a percentage is not checked."""


class SameFigureParams(Record):
    words: int = 3
    """How many words after a number name what it counts: two numbers with the same words are the same figure."""
    hedges: list[str] = list(HEDGES)
    """Words before a number that make it something other than the figure itself (about, a further, each)."""
    labels: list[str] = list(LABELS)
    """Words before a number that make it a name or an age, not a count (section 75, aged 65, risk 3)."""
    more_labels: list[str] = []
    """The template's own such words, added to those (such as the name of its numbered parts)."""


class QuotedFiguresParams(Record):
    fund: str = r"(?i)\bpooled (?:budget|fund)\b"
    """A regular expression naming the whole fund, whose figure is the agreed budget (or the funding) by year."""
    fund_quote: str = ""
    """How prose quotes the fund's figure for a year, with {year} for the year, such as
    pooled_budget["{year}"].agreed: the message suggests it."""
    schemes: bool = True
    """Check money a sentence gives for one scheme in one year against the scheme's spend in the finance data."""
    hedges: list[str] = list(HEDGES)
    """Words before a figure that say it is not the figure itself (about £18m, over £18m)."""


# --- number-format -----------------------------------------------------------------------------


@rule_family("number-format", NumberFormatParams, reads_prose=True)
def number_format(content: PlanContent, params: NumberFormatParams) -> Iterator[Finding]:
    yield from malformed_numbers(sentences(content), params)


def malformed_numbers(found: Iterable[Sentence], params: NumberFormatParams) -> Iterator[Finding]:
    for sentence in found:
        for number in sentence.numbers():
            where = Location(sentence.file, sentence.line_at(number.start))
            next_words = words_after(sentence, number, 2)
            counted = number.money or any(word in params.count_words for word in next_words)
            shown = f"{number.written} {next_words[0]}" if next_words and not number.money else number.written
            if _thousands_point(number, counted):
                whole = number.digits.replace(".", ",")
                yield Finding(where, "error", f"'{shown}' has a point where the thousands are separated, so it "
                              f"reads as {number.digits.rstrip('0')}", f"Write {_with(number, whole)}",
                              rule="thousands-point")
            elif _misplaced_commas(number, counted):
                digits = number.digits.replace(",", "")
                yield Finding(where, "error", f"'{shown}' has a comma out of place: a comma goes before each "
                              "group of three digits", f"Write {_with(number, f'{int(digits):,}')} if that is "
                              "the figure meant", rule="misplaced-comma")


def _thousands_point(number: Number, counted: bool) -> bool:
    """12.400 people or £12.400: a single point before three digits, where a whole number is meant."""
    grouped = re.fullmatch(r"[1-9]\d{0,2}(?:\.\d{3})+", number.digits)
    if grouped is None or number.percent or number.scale:
        return False
    return number.digits.count(".") > 1 or counted


def _misplaced_commas(number: Number, counted: bool) -> bool:
    """12,40 or 1,2345: commas that do not mark groups of three (1,2,3 is a list, left alone)."""
    if "," not in number.digits or number.value is not None or "." in number.digits:
        return False
    groups = number.digits.split(",")[1:]
    return any(len(group) > 3 for group in groups) or (counted and any(len(group) != 3 for group in groups))


def _with(number: Number, digits: str) -> str:
    return f"{'£' if number.money else ''}{digits}"


# --- stated-percentages ------------------------------------------------------------------------

_N = r"\x01(\d+)\x02"
_CHANGE = r"(" + "|".join(CHANGE_WORDS) + r")"
# from 204,750 in 2010 to 220,350 in 2030; from 2,000 to 1,800 a year
_TAIL = r"(?:\s+in\s+\S+|\s+(?:a|per|each)\s+(?:year|month|week|day|quarter))?"
_SHARE = re.compile(_N + r"\s+(?:out\s+)?of\s+(?:the\s+|all\s+|our\s+|these\s+|those\s+)?" + _N
                    + r"((?:[\s,]+[A-Za-z][\w'’-]*){0,6})\s*(?:\(\s*|,?\s+or\s+|,\s+)(\w+\s+)?" + _N + r"(?!\s+of\b)")
# "420 referrals, 147 of them (45%)": the whole, then the part of it and its share.
_SHARE_OF_THEM = re.compile(_N + r"((?:\s+[A-Za-z][\w'’-]*){0,4}),?\s+" + _N
                            + r"\s+of\s+(?:them|these|those|which|whom)\s*\(\s*" + _N + r"\s*\)")
# "Of the 640 who answered, 480 (75%) ...": the whole first, the part and its share after it.
_SHARE_OF_FIRST = re.compile(r"(?i:\bof)\s+(?:the\s+|all\s+|our\s+|these\s+|those\s+)?" + _N
                             + r"((?:[\s,]+[A-Za-z][\w'’-]*){1,10})[\s,]+" + _N + r"\s*\(\s*" + _N + r"\s*\)")
_SHARE_AFTER = re.compile(_N + r"\s*\(\s*(?:or\s+)?" + _N + r"\s+(?:out\s+)?of\s+(?:the\s+|all\s+)?" + _N)
_UNITS = r"(?:\s+(?!in\b|to\b)[a-z][\w'’-]*){0,3}"  # from 1,650 bed days in 2012/13 to 2,310
_CHANGE_AFTER = re.compile(r"from\s+" + _N + _UNITS + _TAIL + r"\s+to\s+" + _N + _UNITS + _TAIL
                           + r"[\s,]*\(?\s*(?:(?:a|an)\s+)?(?:" + _CHANGE + r"\s+of\s+)?(\w+\s+)?" + _N
                           + r"(?:\s+" + _CHANGE + r")?")
_CHANGE_BEFORE = re.compile(r"(?:" + _CHANGE + r"\s+(?:of|by)\s+|by\s+)(\w+\s+)?" + _N + r"\s+(?:" + _CHANGE
                            + r"\s+)?from\s+" + _N + _TAIL + r"\s+to\s+" + _N)
_CHANGE_BEFORE_PLAIN = re.compile(r"(?:a|an)\s+(\w+\s+)?" + _N + r"\s+" + _CHANGE + r"\s+from\s+" + _N + _TAIL
                                  + r"\s+to\s+" + _N)


@dataclass(frozen=True)
class Stated:
    """A percentage the text states beside the figures it comes from."""

    percent: Number
    part: Number
    whole: Number
    change: str = ""
    """The word naming a change (reduction, rise), or "" for a share (310 of 2,480)."""


@rule_family("stated-percentages", PercentagesParams, reads_prose=True)
def stated_percentages(content: PlanContent, params: PercentagesParams) -> Iterator[Finding]:
    yield from wrong_percentages(sentences(content), params)


def wrong_percentages(found: Iterable[Sentence], params: PercentagesParams) -> Iterator[Finding]:
    for sentence in found:
        if sentence.kind != "prose":
            continue
        seen: set[int] = set()
        for stated in _stated(sentence, set(params.hedges)):
            if stated.percent.start in seen:
                continue
            seen.add(stated.percent.start)
            finding = _percentage_finding(sentence, stated)
            if finding is not None:
                yield finding


def _stated(sentence: Sentence, hedges: set[str]) -> Iterator[Stated]:
    numbers = sentence.numbers()
    if len(numbers) < 3 or not any(number.percent for number in numbers):
        return  # every pattern below reads a percentage and two other figures: most sentences have neither
    shape = _shape(sentence.text, numbers)

    def number(index: str) -> Number:
        return numbers[int(index)]

    def plain(*found: Number) -> bool:
        return all(n.value is not None and not n.is_year for n in found)

    for match in _SHARE.finditer(shape):
        part, whole, percent = number(match.group(1)), number(match.group(2)), number(match.group(5))
        if percent.percent and not (part.percent or whole.percent) and _unhedged(match.group(4), hedges) \
                and plain(part, whole) and not re.search(r"\d", match.group(3)):
            yield Stated(percent, part, whole)
    for match in _SHARE_OF_THEM.finditer(shape):
        whole, part, percent = number(match.group(1)), number(match.group(3)), number(match.group(4))
        if percent.percent and not (part.percent or whole.percent) and plain(part, whole):
            yield Stated(percent, part, whole)
    for match in _SHARE_OF_FIRST.finditer(shape):
        whole, part, percent = number(match.group(1)), number(match.group(3)), number(match.group(4))
        if percent.percent and not (part.percent or whole.percent) and plain(part, whole):
            yield Stated(percent, part, whole)
    for match in _SHARE_AFTER.finditer(shape):
        percent, part, whole = number(match.group(1)), number(match.group(2)), number(match.group(3))
        if percent.percent and not (part.percent or whole.percent) and plain(part, whole):
            yield Stated(percent, part, whole)
    for match in _CHANGE_AFTER.finditer(shape):
        start, end, percent = number(match.group(1)), number(match.group(2)), number(match.group(5))
        word = match.group(3) or match.group(6)
        if word and percent.percent and not _ages(shape[:match.start()]) and _unhedged(match.group(4), hedges) and plain(start, end):
            yield Stated(percent, start, end, word)
    for pattern in (_CHANGE_BEFORE, _CHANGE_BEFORE_PLAIN):
        for match in pattern.finditer(shape):
            groups = match.groups()
            word, hedge = (groups[0] or groups[3], groups[1]) if pattern is _CHANGE_BEFORE else (groups[2], groups[0])
            index = 2 if pattern is _CHANGE_BEFORE else 1
            percent, start, end = number(groups[index]), number(groups[-2]), number(groups[-1])
            if percent.percent and _unhedged(hedge, hedges) and plain(start, end) \
                    and not _ages(shape[:match.start(len(groups) - 1)]):
                yield Stated(percent, start, end, word or "change")


def _ages(before: str) -> bool:
    """Aged from 65 to 74 is a band of ages, not a change."""
    return bool(re.search(r"(?i)\b(?:aged|ages?|between)\s*(?:from\s+)?$", before))


def _shape(text: str, numbers: list[Number]) -> str:
    """The sentence with each number replaced by a marker holding its index, for the patterns above."""
    shape, last = [], 0
    for index, number in enumerate(numbers):
        shape += [text[last:number.start], f"\x01{index}\x02"]
        last = number.end
    return "".join(shape + [text[last:]])


def _unhedged(word: str | None, hedges: set[str]) -> bool:
    return word is None or word.strip().lower() not in hedges


def _percentage_finding(sentence: Sentence, stated: Stated) -> Finding | None:
    # For a change, part is the figure it starts from and whole the one it ends at.
    part, whole, percent = stated.part.value, stated.whole.value, stated.percent.value
    if part is None or whole is None or percent is None or (whole if not stated.change else part) == 0:
        return None  # no percentage of nothing
    where = Location(sentence.file, sentence.line_at(stated.percent.start))
    places = stated.percent.places
    if not stated.change:
        actual = part * 100 / whole
        figures = f"{stated.part.written} of {stated.whole.written}"
    else:
        actual = abs(whole - part) * 100 / part
        direction = "reduction" if whole < part else "increase"
        figures = f"From {stated.part.written} to {stated.whole.written}"
        if _wrong_direction(stated.change, whole, part):
            return Finding(where, "error", f"{figures} is {_a(direction)}, not {_a(stated.change)}",
                           f"Correct the figures or the word; the {direction} is {_percent(actual, places + 1)}",
                           rule="percentage-mismatch")
        figures += f" is {_a(stated.change if stated.change in DOWN + UP else direction)} of"
    if _rounded(actual, places) == percent:
        return None
    shown = f"{_percent(actual, places + 1)}" if stated.change else f"is {_percent(actual, places + 1)}"
    return Finding(where, "error", f"{figures} {shown}, not {_percent(percent, places)}",
                   f"Write {_percent(_rounded(actual, places), places)}, or correct the figures it comes from",
                   rule="percentage-mismatch")


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _wrong_direction(word: str, end: Decimal, start: Decimal) -> bool:
    return (word in DOWN and end > start) or (word in UP and end < start)


def _rounded(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _percent(value: Decimal, places: int) -> str:
    text = f"{_rounded(value, places):f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


# --- same-figure -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """A figure and the words that say what it is, in one sentence."""

    number: Number
    sentence: Sentence
    name: str

    @property
    def where(self) -> Location:
        return Location(self.sentence.file, self.sentence.line_at(self.number.start))


@rule_family("same-figure", SameFigureParams, reads_prose=True)
def same_figure(content: PlanContent, params: SameFigureParams) -> Iterator[Finding]:
    yield from differing_figures(sentences(content), params)


def differing_figures(found: Iterable[Sentence], params: SameFigureParams) -> Iterator[Finding]:
    first: dict[tuple, Mention] = {}
    for mention in _mentions(found, params):
        key = (mention.name, mention.number.money, mention.number.percent, frozenset(mention.sentence.years()))
        earlier = first.setdefault(key, mention)
        if earlier.sentence.file != mention.sentence.file and not _agree(earlier.number, mention.number):
            yield Finding(mention.where, "warning",
                          f"{_as_named(mention)} here, but {_as_named(earlier)} in {earlier.where}",
                          "If they are the same figure, make them agree (or quote it from the data with {{ ... }}); "
                          "if not, say what differs, such as the year or the area", rule="figure-differs")


def _mentions(found: Iterable[Sentence], params: SameFigureParams) -> Iterator[Mention]:
    hedges, labels = set(params.hedges), set(params.labels) | set(params.more_labels)
    for sentence in found:
        if sentence.kind != "prose":
            continue
        for number in sentence.numbers():
            before = words_before(sentence, number, 1)
            if number.value is None or number.is_year or (before and before[-1] in hedges | labels):
                continue
            # A share (38% of emergency bed days) is a share of whatever the sentence is about: only
            # a percentage named before it (the target of 3.5%) is one figure.
            name = _name_before(sentence, number) or ("" if number.percent else
                                                      _name_after(sentence, number, params.words))
            if name:
                yield Mention(number, sentence, name)


def _name_after(sentence: Sentence, number: Number, count: int) -> str:
    """The words after a figure that say what it counts (1,250 emergency admissions avoided), or ""."""
    words = words_after(sentence, number, count)
    words = words[:next((i for i, word in enumerate(words) if word in PHRASE_ENDS), len(words))]
    meaningful = [word for word in words if word not in STOP_WORDS]
    if len(words) < count or len(meaningful) < 2 or words[-1] in STOP_WORDS or words[0] in DURATIONS:
        return ""  # 91 days after discharge is a length of time, one of many a plan measures
    return " ".join(words)


def _name_before(sentence: Sentence, number: Number) -> str:
    """The words naming a figure before it (the pooled budget of £18.6m, the pooled budget is £18.6m), or ""."""
    words = words_before(sentence, number, 5)
    if len(words) < 3 or words[-1] not in ("of", "is", "was", "totals", "totalling", "totaling"):
        return ""
    name: list[str] = []
    for word in reversed(words[:-1]):
        if word in STOP_WORDS:
            break
        name.insert(0, word)
    return " ".join(name) if len(name) >= 2 else ""


def _agree(one: Number, other: Number) -> bool:
    """The same figure, each to its own precision: £18.6m agrees with £18,640,000 and £18.64m."""
    coarse, fine = (one, other) if one.quantum >= other.quantum else (other, one)
    return _to_quantum(fine.value, coarse.quantum) == coarse.value


def _to_quantum(value: Decimal, quantum: Decimal) -> Decimal:
    return to_step(value, quantum)  # as a stated figure in the data is read (planpress.load.models)


def _as_named(mention: Mention) -> str:
    text = mention.sentence.text
    after = f"{mention.number.written} {mention.name}"
    return f"'{after}'" if mention.name in text[mention.number.end:mention.number.end + 80].lower() \
        else f"'{mention.name} of {mention.number.written}'"


# --- quoted-figures ----------------------------------------------------------------------------


@rule_family("quoted-figures", QuotedFiguresParams, reads_prose=True)
def quoted_figures(content: PlanContent, params: QuotedFiguresParams) -> Iterator[Finding]:
    if content.plan is None or content.data.get("finance") is None:
        return
    figures = compute(content)
    fund = {year: (figures.agreed_by_year.get(year) or figures.funding_by_year.get(year)) for year in figures.years}
    schemes = {key for key in figures.spend_by_scheme if key}
    names = _scheme_names(content, schemes)
    for sentence in sentences(content):
        stated = _one_money_figure(sentence, set(params.hedges))
        if sentence.kind == "heading" or stated is None:
            continue
        years = [year for year in figures.years if year in sentence.years()]
        named_fund = re.search(params.fund, sentence.text) if params.fund else None
        if named_fund and "minimum" not in sentence.text.lower() and _names(named_fund, stated, sentence.text):
            found = _fund_figure(fund, years)
            if found is not None:
                quote = f"{{{{ {params.fund_quote.format(year=found[0])} | money }}}}" \
                    if params.fund_quote and found[0] in fund else ""
                yield from _compare(sentence, stated, found[1], f"the pooled budget for {found[0]}", quote)
            continue
        scheme = _scheme_named(sentence, names) if params.schemes and _spend(sentence.text) else None
        if scheme is not None and len(years) == 1 and not named_fund:
            spend = figures.spend_by_scheme[scheme].by_year[years[0]]
            yield from _compare(sentence, stated, spend, f"scheme {scheme}'s spend in {years[0]}",
                                f'{{{{ scheme.{scheme}.spend["{years[0]}"] | money }}}}')


_LINKING = re.compile(r"\s*(?:(?:for|in)\s+\S+\s*)?(?:,\s*)?(?:of|is|was|will be|totals|totalling|stands at|amounts to"
                      r"|comes to|:)?\s*(?:(?:for|in)\s+\S+\s*)?(?:of|is|was|will be)?\s*")
_SPEND = re.compile(r"(?i)\b(?:costs?|costing|spends?|spending|spent|budget|investment|invest(?:s|ed)?|funded|funding"
                    r"|allocat\w*)\b")
_NOT_SPEND = re.compile(r"(?i)\b(?:sav\w*|reduc\w*|return\w*|benefits?|income|charges?|fees?)\b")


def _names(fund: re.Match, stated: Number, text: str) -> bool:
    """The fund's name is tied to the figure: the pooled budget for 2015/16 is £18.6m; a £18.6m pooled budget."""
    if fund.end() <= stated.start:
        return bool(_LINKING.fullmatch(text[fund.end():stated.start]))
    return bool(re.fullmatch(r"\s*(?:BCF\s+)?", text[stated.end:fund.start()]))


def _spend(text: str) -> bool:
    """The sentence is about what a scheme costs, not what it saves or brings in."""
    return bool(_SPEND.search(text)) and not _NOT_SPEND.search(text)


def _one_money_figure(sentence: Sentence, hedges: set[str]) -> Number | None:
    """The sentence's only amount of money, when it has one and it is not hedged (about £18m)."""
    amounts = [number for number in sentence.numbers() if number.money and not number.percent]
    if len(amounts) != 1 or amounts[0].value is None:
        return None
    before = words_before(sentence, amounts[0], 2)
    return None if set(before) & hedges else amounts[0]


def _fund_figure(fund: dict[str, Decimal | None], years: list[str]) -> tuple[str, Decimal] | None:
    """The fund's figure for the one year the sentence names, or for every year when they are all the same."""
    if len(years) == 1 and fund.get(years[0]) is not None:
        return years[0], fund[years[0]]
    values = set(fund.values())
    if not years and len(values) == 1 and None not in values:
        return " and ".join(fund), values.pop()
    return None


_WORD_RUN = re.compile(r"[\w-]+")


class _SchemeNames(NamedTuple):
    """The schemes a sentence may name, worked out once for every sentence of the plan."""

    all: set[str]
    plain: set[str]
    """Those of letters, digits and hyphens only (see _references_in)."""
    others: set[str]
    own_of: dict[str, str]
    """Each description's file -> its scheme."""


def _scheme_names(content: PlanContent, schemes: set[str]) -> _SchemeNames:
    plain = {key for key in schemes if _WORD_RUN.fullmatch(key)}
    own_of: dict[str, str] = {}
    for doc in content.schemes:
        own_of.setdefault(doc.file, scheme_key(doc))
    return _SchemeNames(schemes, plain, schemes - plain, own_of)


def _scheme_named(sentence: Sentence, names: _SchemeNames) -> str | None:
    """The one scheme a sentence names: by a link, by its reference, or as "the scheme" in its own description."""
    named = {link.split(":", 1)[1] for link in sentence.links if link.startswith("scheme:")}
    named |= _references_in(sentence.text, names.plain, names.others)
    own = names.own_of.get(sentence.file)
    if own and re.search(r"(?i)\b(?:the|this) scheme\b", sentence.text):
        named.add(own)
    named &= names.all
    return named.pop() if len(named) == 1 else None


def _references_in(text: str, plain: set[str], others: set[str]) -> set[str]:
    """The references written in `text` as words of their own (not inside a longer one, PE1 in PE12).

    A `plain` reference (letters, digits and hyphens) stands alone exactly when it is a whole run of them,
    so the text's runs are looked up rather than each reference searched for in each sentence; any
    `others` are searched for."""
    found = {run for run in _WORD_RUN.findall(text) if run in plain}
    return found | {key for key in others if re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", text)}


def _compare(sentence: Sentence, stated: Number, actual: Decimal, what: str, quote: str = "") -> Iterator[Finding]:
    rounded = _to_quantum(actual, stated.quantum)
    if rounded == stated.value:
        return
    where = Location(sentence.file, sentence.line_at(stated.start))
    exact = stated.quantum <= 1
    message = f"{stated.written} here, but {what} is {money(actual)}"
    if not exact:
        message += f", which is {_written_like(stated, rounded)}"
    hint = f"Correct the figure, or quote it from the data: {quote}" if quote else "Correct the figure"
    yield Finding(where, "error", message, hint, rule="quoted-figure-mismatch")


def _written_like(stated: Number, value: Decimal) -> str:
    """A figure written the way the author wrote another: £86k beside £87k, £18.6m beside £18.5m."""
    scaled = f"{value / stated.multiplier:,.{stated.places}f}"
    return f"£{scaled}{stated.scale}"
