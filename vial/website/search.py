"""Search in patients' own words.

A query is normalised, stop words dropped, and the editors' synonym list adds the words our pages
use ("sweaty" → "sweating hyperhidrosis"). Wagtail's search backend (FTS5 on SQLite, full-text on
PostgreSQL) then ranks treatments and Q&A posts separately, so treatments always come first.
"""

import re
from dataclasses import dataclass, field

MAX_QUERY_LENGTH = 200
MAX_TERMS = 30

# Words that carry no meaning for matching a treatment ("I sweat too much" → "sweat").
STOP_WORDS = frozenset(
    """a about after all am an and any are as at be been before but by can could do does doing for from
    get gets getting got had has have having how i i'm if in into is it it's its just me more most much my
    no not of on or our really so some still such than that the their them then there these they this
    those to too very was way we were what when where which who why will with won't would you your""".split()  # noqa: SIM905 - a readable word list
)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@dataclass
class SearchQuery:
    raw: str
    words: list[str] = field(default_factory=list)
    expanded: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(dict.fromkeys(self.words + self.expanded))

    def __bool__(self):
        return bool(self.words or self.expanded)


def normalise(raw: str) -> str:
    """Lower-case words only: punctuation, symbols and SQL-ish junk fall away."""
    return " ".join(_WORD.findall((raw or "")[:MAX_QUERY_LENGTH].lower()))


def build_query(raw: str, synonyms: dict[str, str]) -> SearchQuery:
    """Pure: turn what the patient typed into the terms to search for."""
    text = normalise(raw)
    words = [w.replace("'", "") for w in text.split() if w not in STOP_WORDS][:MAX_TERMS]
    padded = f" {text} "
    expanded: list[str] = []
    for phrase, means in synonyms.items():
        if f" {phrase} " in padded:
            expanded.extend(normalise(means).split())
    return SearchQuery(raw=raw, words=words, expanded=expanded[:MAX_TERMS])


def run_search(raw: str):
    """Return (query, treatments, questions) for what the patient typed."""
    from .models import QuestionPage, SearchSynonym, TreatmentPage

    synonyms = dict(SearchSynonym.objects.values_list("phrase", "means"))
    query = build_query(raw, synonyms)
    if not query:
        return query, [], []
    treatments = list(TreatmentPage.objects.live().search(query.text, operator="or", order_by_relevance=True)[:10])
    questions = list(QuestionPage.objects.live().search(query.text, operator="or", order_by_relevance=True)[:10])
    return query, treatments, questions
