"""Advertising rules as plain logic: find the phrases in a text that could advertise a prescription-only medicine.

No database here. `vial.compliance.models.AdvertisingRule` stores the rules editors keep and turns each one
into a `Rule`; this module only matches rules against text, so it is tested and benchmarked without Django.

UK background (CLINIC.md, 'Advertising'): a prescription-only medicine may not be advertised to the public
(Human Medicines Regulations 2012 reg. 284, CAP Code 12.12), and cosmetic-intervention ads must not target
under-18s (CAP 12.25). The checker warns; an editor decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

#: How far (in characters) a price may sit from a term for a 'near_price' rule to fire.
PRICE_DISTANCE = 60

#: Characters of text shown either side of a finding.
CONTEXT_CHARS = 40

#: A price as people write one: £150, £ 1,200, £99.99, 150 pounds, 150 GBP, GBP 150.
PRICE_RE = re.compile(
    r"""
    (?:[£€$]\s?\d[\d,]*(?:\.\d{1,2})?)                       # £150, £1,200, £99.99
    | (?:\b\d[\d,]*(?:\.\d{1,2})?\s?(?:pounds?|quid|gbp)\b)  # 150 pounds, 150 GBP
    | (?:\bgbp\s?\d[\d,]*(?:\.\d{1,2})?)                     # GBP 150
    """,
    re.IGNORECASE | re.VERBOSE,
)

#: What may sit between the words of a multi-word phrase: spaces, hyphens, dashes, slashes, a stray full stop.
_JOINER = r"[\s\-\u2010\u2011\u2012\u2013\u2014_/.'\u2019]{0,3}"

#: Longest pattern an editor may store; long enough for any phrase, short enough to keep regexes sane.
MAX_PATTERN_LENGTH = 500


class MatchType(StrEnum):
    """How a rule's pattern is matched against text."""

    WORD = "word"  # the whole word or phrase (or its plural), any case, loose about hyphens and spaces between words
    HASHTAG = "hashtag"  # a hashtag beginning with the word: #botox, #BotoxBeforeAndAfter
    NEAR_PRICE = "near_price"  # the word or phrase within PRICE_DISTANCE characters of a price
    REGEX = "regex"  # an editor's regular expression, any case


@dataclass(frozen=True)
class Rule:
    """One risky phrase and the compliant wording to suggest instead."""

    pattern: str
    kind: str
    suggestion: str
    match_type: str = MatchType.WORD


@dataclass(frozen=True)
class Finding:
    """A risky phrase found in a text.

    `phrase` is the text as written (so the editor can find it), `kind` the rule's label, `context` a short
    snippet around it, `start`/`end` its position in the text checked.
    """

    phrase: str
    kind: str
    suggestion: str
    context: str
    start: int
    end: int
    rule: Rule

    @property
    def message(self) -> str:
        """One line for an editor: what was found and what to write instead."""
        return f'Risky phrase "{self.phrase}" ({self.kind}): {self.suggestion}'


class InvalidPattern(ValueError):
    """A rule's pattern cannot be used; the message says why in an editor's words."""


def _word_regex(phrase: str) -> str:
    words = re.findall(r"\w+", phrase)
    if not words:
        raise InvalidPattern("Give at least one word or number.")
    # Each word also matches its plain plural ('injection' finds 'injections', 'GCSE' finds 'GCSEs').
    return r"(?<!\w)" + _JOINER.join(re.escape(word) + r"(?:e?s)?" for word in words) + r"(?!\w)"


def _hashtag_regex(tag: str) -> str:
    words = re.findall(r"\w+", tag)
    if not words:
        raise InvalidPattern("Give the hashtag's word, e.g. 'botox' or '#botox'.")
    return r"(?<![\w#])#" + re.escape("".join(words)) + r"\w*"


def build_regex(pattern: str, match_type: str) -> re.Pattern:
    """Compile a rule's pattern; raise InvalidPattern with a helpful message if it cannot be used."""
    pattern = (pattern or "").strip()
    if not pattern:
        raise InvalidPattern("Give a phrase or pattern.")
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise InvalidPattern(f"Keep the pattern under {MAX_PATTERN_LENGTH} characters.")
    if match_type in (MatchType.WORD, MatchType.NEAR_PRICE):
        source = _word_regex(pattern)
    elif match_type == MatchType.HASHTAG:
        source = _hashtag_regex(pattern)
    elif match_type == MatchType.REGEX:
        source = pattern
    else:
        raise InvalidPattern(f"Unknown match type {match_type!r}.")
    try:
        compiled = re.compile(source, re.IGNORECASE)
    except re.error as error:
        raise InvalidPattern(f"This is not a valid regular expression: {error}.") from error
    if compiled.search("") is not None:
        raise InvalidPattern("This pattern matches empty text, so it would flag everything.")
    return compiled


@lru_cache(maxsize=1024)
def _compiled(pattern: str, match_type: str) -> re.Pattern | None:
    try:
        return build_regex(pattern, match_type)
    except InvalidPattern:
        return None  # a bad rule is skipped, never fatal; AdvertisingRule.clean stops one being saved


def validate_pattern(pattern: str, match_type: str) -> None:
    """Raise InvalidPattern if the rule could not be matched."""
    build_regex(pattern, match_type)


def _context(text: str, start: int, end: int) -> str:
    left = max(0, start - CONTEXT_CHARS)
    right = min(len(text), end + CONTEXT_CHARS)
    snippet = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + snippet + ("…" if right < len(text) else "")


def _near_a_price(prices: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(
        (price_start >= end and price_start - end <= PRICE_DISTANCE)
        or (price_end <= start and start - price_end <= PRICE_DISTANCE)
        or (price_start < end and price_end > start)
        for price_start, price_end in prices
    )


def find_risky_phrases(text: str, rules) -> list[Finding]:
    """Every place in `text` where a rule matches, in order of position.

    Where one finding lies inside a longer one ('botox' inside 'baby botox' or '#botox'), only the longer,
    more specific one is kept; two rules matching the very same words are both kept when their kinds differ
    (a brand name that also sits beside a price breaks two rules).
    """
    if not text:
        return []
    prices = None
    found: list[Finding] = []
    for rule in rules:
        regex = _compiled(rule.pattern, rule.match_type)
        if regex is None:
            continue
        for match in regex.finditer(text):
            start, end = match.span()
            if start == end:
                continue
            if rule.match_type == MatchType.NEAR_PRICE:
                if prices is None:
                    prices = [m.span() for m in PRICE_RE.finditer(text)]
                if not _near_a_price(prices, start, end):
                    continue
            found.append(
                Finding(
                    phrase=match.group(0),
                    kind=rule.kind,
                    suggestion=rule.suggestion,
                    context=_context(text, start, end),
                    start=start,
                    end=end,
                    rule=rule,
                )
            )
    return _drop_overlapped(found)


def _drop_overlapped(findings: list[Finding]) -> list[Finding]:
    # Longest first, so a contained finding meets its container before it is kept.
    by_length = sorted(findings, key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Finding] = []
    for finding in by_length:
        inside_longer = any(
            other.start <= finding.start
            and finding.end <= other.end
            and (other.end - other.start) > (finding.end - finding.start)
            for other in kept
        )
        same_span_same_kind = any(
            (other.start, other.end, other.kind) == (finding.start, finding.end, finding.kind) for other in kept
        )
        if not inside_longer and not same_span_same_kind:
            kept.append(finding)
    return sorted(kept, key=lambda f: (f.start, f.end))


def unique_findings(findings) -> list[Finding]:
    """The first finding of each phrase and kind ('Botox' four times in a page is one thing to fix)."""
    seen = set()
    result = []
    for finding in findings:
        key = (" ".join(finding.phrase.lower().split()), finding.kind)
        if key not in seen:
            seen.add(key)
            result.append(finding)
    return result
