"""Search in patients' own words.

A query is normalised, stop words dropped, and the editors' synonym list adds the words our pages
use ("sweaty" → "sweating hyperhidrosis"). A word that is none of the words patients can find
(treatment titles, problems, phrases, areas, the synonyms) but is spelt close to one ("hyperhydrosis",
"migrane") is searched for as that word too: a plain edit-distance match over a few hundred words,
the same on SQLite and PostgreSQL (under a millisecond; the word list is cached until content changes).
Wagtail's search backend (FTS5 on SQLite, full-text on PostgreSQL) then ranks treatments and Q&A
posts separately, so treatments always come first.
"""

import difflib
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
#: How alike a misspelling must be to a known word (difflib's ratio): "migrane" → "migraine" is 0.93.
CLOSENESS = 0.8
SHORTEST_CORRECTED = 4  # shorter words have too many near neighbours to guess from
VOCABULARY_KEY = "website:search-vocabulary"


@dataclass
class SearchQuery:
    raw: str
    words: list[str] = field(default_factory=list)
    expanded: list[str] = field(default_factory=list)
    corrections: dict[str, str] = field(default_factory=dict)  # typed word → the known word also searched

    @property
    def text(self) -> str:
        return " ".join(dict.fromkeys(self.words + self.expanded))

    def __bool__(self):
        return bool(self.words or self.expanded)


def normalise(raw: str) -> str:
    """Lower-case words only: punctuation, symbols and SQL-ish junk fall away."""
    return " ".join(_WORD.findall((raw or "")[:MAX_QUERY_LENGTH].lower()))


def words_of(*texts: str) -> set[str]:
    """The searchable words in some text (no stop words, no numbers)."""
    return {
        w.replace("'", "") for text in texts for w in normalise(text).split() if w not in STOP_WORDS and w.isalpha()
    }


def correction(word: str, vocabulary: frozenset[str]) -> str | None:
    """The known word closest to an unknown one, if one is close enough ('hyperhydrosis' → 'hyperhidrosis')."""
    if len(word) < SHORTEST_CORRECTED or word in vocabulary or not word.isalpha():
        return None
    close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=CLOSENESS)
    return close[0] if close else None


def build_query(raw: str, synonyms: dict[str, str], vocabulary: frozenset[str] = frozenset()) -> SearchQuery:
    """Pure: turn what the patient typed into the terms to search for."""
    text = normalise(raw)
    words = [w.replace("'", "") for w in text.split() if w not in STOP_WORDS][:MAX_TERMS]
    corrections = {w: known for w in dict.fromkeys(words) if (known := correction(w, vocabulary))}
    # The synonyms see the corrected words too ("botax" → "botox" → what the editors say it means).
    text = " ".join(corrections.get(w, w) for w in text.split())
    padded = f" {text} "
    expanded: list[str] = []
    for phrase, means in synonyms.items():
        if f" {phrase} " in padded:
            expanded.extend(normalise(means).split())
    expanded = [*corrections.values(), *expanded]
    return SearchQuery(raw=raw, words=words, expanded=expanded[:MAX_TERMS], corrections=corrections)


def vocabulary(synonyms: dict[str, str]) -> frozenset[str]:
    """Every word a patient can find something with: treatments' titles, problems, phrases and areas, and
    the synonyms. The treatments' part is cached under the site's content version (any publish renews it)."""
    from django.core.cache import cache

    from . import chrome
    from .models import TreatmentPage

    key = f"{VOCABULARY_KEY}:{chrome.content_version()}"
    words = cache.get(key)
    if words is None:
        rows = TreatmentPage.objects.live().values_list("title", "patient_problem", "patient_phrases", "areas")
        words = frozenset(words_of(*(text for row in rows for text in row)))
        cache.set(key, words, chrome.CHROME_TIMEOUT)
    return words | words_of(*synonyms, *synonyms.values())


def run_search(raw: str):
    """Return (query, treatments, questions) for what the patient typed."""
    from .models import QuestionPage, SearchSynonym, TreatmentPage

    synonyms = dict(SearchSynonym.objects.values_list("phrase", "means"))
    query = build_query(raw, synonyms, vocabulary(synonyms))
    if not query:
        return query, [], []
    treatments = list(TreatmentPage.objects.live().search(query.text, operator="or", order_by_relevance=True)[:10])
    questions = list(QuestionPage.objects.live().search(query.text, operator="or", order_by_relevance=True)[:10])
    return query, treatments, questions
