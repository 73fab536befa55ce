"""Finding a patient at the desk: by any part of the name (misspelt too), date of birth, phone or e-mail.

Names are found through the words of patients' names (`NameWord`: a few thousand at a clinic, however
many patients), in two steps:

1. the words close to each typed word: the same word, a word it starts or is part of, or a word one
   letter away (two for words of seven letters or more: 'Lfe' -> 'lee', 'Luskombe' -> 'luscombe'; two
   letters side by side swapped count as one: 'Smtih' -> 'smith').
   PostgreSQL compares in SQL (`levenshtein_less_equal`, the `fuzzystrmatch` extension); SQLite (the
   demo) reads the words and compares them here. This is the only difference between the two.
2. the patients with those words (`PatientNameWord`, indexed by word then record: each word's patients
   come in order and the lookup stops at the places left). When the very word typed is a name, its
   patients take 40 of the 50 places and the other words share the rest (all 50 if they have fewer);
   otherwise the words share the places, so 'Bfll' shows Bells and Balls. Best first: the same word,
   then words that start with it, words it is part of, words one letter away, two; then by name.
   More than one typed word: every one must match a word of the name.

`index_name_words` keeps a patient's words in step with the names, from `Patient.save()`; merged and
fully erased records have none, and a word nobody uses any longer is deleted.
"""

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache
from math import ceil

from django.db import connection
from django.db.models import Case, Exists, F, Func, IntegerField, OuterRef, Value, When
from django.db.models.functions import Abs, Length, Lower

from vial.core.phones import PhoneError, clean_uk_phone

from .models import NameWord, Patient, PatientNameWord
from .services import ERASED

LIMIT = 50
#: At most this many words per typed word (best first): each is one indexed lookup of its patients.
WORDS = 20
#: When the word typed is a name itself and other words answer too, one place in this many is kept
#: for those: 'Hart' lists 40 Harts, then Hartleys (best first all the same).
KEPT_FOR_CLOSE = 5
#: For the other typed words of a name ('Tamsin' in 'Tamsin Luscombe'), which only filter.
FILTER_WORDS = 200
#: How a name's word relates to the typed one, best first.
SAME, STARTS, CONTAINS, CLOSE = 0, 1, 2, 3  # CLOSE: one letter differs, CLOSE + 1: two
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %m %Y", "%d %B %Y", "%d %b %Y")
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")  # letters, and apostrophes inside a word (o'brien)


def as_date(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date, no time of day
        except ValueError:
            continue
    return None


def as_phone(text: str) -> str | None:
    digits = re.sub(r"[\s()-]", "", text)
    if not re.fullmatch(r"\+?\d{6,15}", digits):
        return None
    try:
        return clean_uk_phone(text)
    except PhoneError:
        return digits.lstrip("0")  # a fragment: match the end of stored numbers


def find_patients(query: str, limit: int = LIMIT) -> list[Patient]:
    """Live (not merged) patients matching `query`, best first."""
    text = " ".join(query.split())[:100]
    if len(text) < 2:
        return []
    live = Patient.objects.filter(merged_into__isnull=True)
    born = as_date(text)
    if born is not None:
        return list(live.filter(date_of_birth=born).order_by("preferred_name", "pk")[:limit])
    if "@" in text:
        return list(live.annotate(lower_email=Lower("email")).filter(lower_email=text.lower())[:limit])
    phone = as_phone(text)
    if phone is not None:
        matches = live.filter(phone=phone) if phone.startswith("+") else live.filter(phone__endswith=phone)
        return list(matches.order_by("preferred_name", "pk")[:limit])
    return find_by_name(live, text, limit)


# --------------------------------------------------------------------------- names


def name_words(*names: str) -> list[str]:
    """The words of names as search keeps and compares them: lower case, accents dropped, hyphens split.

    'Zoë Smith-Jones' -> ['jones', 'smith', 'zoe']; "O’Brien" -> ["o'brien"].
    """
    text = unicodedata.normalize("NFKD", " ".join(names)).casefold().replace("\u2019", "'")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return sorted(set(WORD.findall(text)))


def tolerance(typed: str) -> int:
    """How many letters may differ: none in one or two letters, one up to six, two from seven."""
    return 0 if len(typed) < 3 else 1 if len(typed) < 7 else 2


@lru_cache(maxsize=4096)  # ranking 50 records asks about the same few words again and again
def word_rank(word: str, typed: str) -> int | None:
    """How well a name's word answers a typed word (SAME best), or None: the rule both databases follow."""
    if word == typed:
        return SAME
    if word.startswith(typed):
        return STARTS
    if typed in word:
        return CONTAINS
    allowed = tolerance(typed)
    if allowed and word in swaps(typed):
        return CLOSE
    distance = edit_distance(word, typed, allowed)
    return CLOSE - 1 + distance if distance <= allowed else None


@lru_cache(maxsize=64)
def swaps(typed: str) -> frozenset[str]:
    """The typed word with two letters side by side swapped ('smtih' -> 'smith'): a slip that counts as
    one letter wrong here, where Levenshtein counts two."""
    return frozenset(typed[:i] + typed[i + 1] + typed[i] + typed[i + 2 :] for i in range(len(typed) - 1)) - {typed}


def edit_distance(a: str, b: str, at_most: int) -> int:
    """Letters inserted, deleted or changed to turn a into b (Levenshtein); anything over `at_most` as at_most+1."""
    if abs(len(a) - len(b)) > at_most:
        return at_most + 1
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        if min(current) > at_most:
            return at_most + 1
        previous = current
    return min(previous[-1], at_most + 1)


class Levenshtein(Func):
    """PostgreSQL's `levenshtein_less_equal(a, b, at_most)` (fuzzystrmatch, migration 0004)."""

    function = "levenshtein_less_equal"
    output_field = IntegerField()


def matching_words(typed: str, limit: int) -> list[tuple[int, int]]:
    """(word id, rank) of the name words that answer a typed word, best first (then nearest in length)."""
    if connection.vendor == "postgresql":
        swapped = [When(word__in=sorted(swaps(typed)), then=Value(CLOSE))] if tolerance(typed) and swaps(typed) else []
        rank = Case(
            When(word=typed, then=Value(SAME)),
            When(word__startswith=typed, then=Value(STARTS)),
            When(word__contains=typed, then=Value(CONTAINS)),
            *swapped,
            default=CLOSE - 1 + Levenshtein(F("word"), Value(typed), Value(tolerance(typed))),
        )
        return list(
            NameWord.objects.annotate(rank=rank)
            .filter(rank__lt=CLOSE + tolerance(typed))
            .order_by("rank", Abs(Length("word") - len(typed)), "word")
            .values_list("pk", "rank")[:limit]
        )
    scored = []
    for pk, word in NameWord.objects.values_list("pk", "word").iterator():
        rank = word_rank(word, typed)
        if rank is not None:
            scored.append((rank, abs(len(word) - len(typed)), word, pk))
    return [(pk, rank) for rank, _, _, pk in sorted(scored)[:limit]]


def find_by_name(live, text: str, limit: int) -> list[Patient]:
    """Patients whose names hold a word answering every typed word, best first.

    The longest typed word leads (the likeliest to be a surname, and the fewest patients); its words
    are looked up one by one (an indexed lookup of one word's patients stops at what is still wanted);
    the other typed words only filter. The order is `_order`'s.
    """
    typed = name_words(text)
    if not typed:
        return []
    lead = max(typed, key=len)
    words = matching_words(lead, WORDS)
    for other in (t for t in typed if t != lead):
        ids = [word_id for word_id, _ in matching_words(other, FILTER_WORDS)]
        if not ids:
            return []
        live = live.filter(Exists(PatientNameWord.objects.filter(patient=OuterRef("pk"), word_id__in=ids)))
    same = [w for w in words if w[1] == SAME]
    close = [w for w in words if w[1] != SAME]
    found: dict[int, Patient] = {}
    first = limit - (limit // KEPT_FOR_CLOSE if close else 0)
    taken = _take(live, same, first, found)
    _take(live, close, limit - len(found), found)
    if taken == first:  # the same word may have more: the places the close words left
        _take(live, same, limit - len(found), found)
    return sorted(found.values(), key=lambda patient: _order(patient, typed))


def _order(patient: Patient, typed: list[str]) -> tuple:
    """Best first: each typed word's best rank among the name's words, summed; then the same among the
    preferred name's words (Olivia Smith before Andrew (Olivia) Smith); then the name."""
    every = name_words(patient.preferred_name, patient.legal_name)
    preferred = name_words(patient.preferred_name)

    def best(words: list[str], word: str) -> int:
        return min((r for w in words if (r := word_rank(w, word)) is not None), default=CLOSE + 3)

    return (
        sum(best(every, word) for word in typed),
        sum(best(preferred, word) for word in typed),
        patient.preferred_name.casefold(),
        patient.pk,
    )


def _take(live, words: list[tuple[int, int]], places: int, found: dict) -> int:
    """Up to `places` more patients into `found` from `words`, each word a fair share of the places left
    (in record order: an indexed lookup that stops there); returns how many were added."""
    before = len(found)
    for n, (word_id, _) in enumerate(words):
        share = ceil((before + places - len(found)) / (len(words) - n))
        if share <= 0:
            break
        patients = live.filter(name_words__word_id=word_id)
        if found:  # a patient may hold two of the words ('William Williams')
            patients = patients.exclude(pk__in=list(found))
        found.update((patient.pk, patient) for patient in patients.order_by("pk")[:share])
    return len(found) - before


# --------------------------------------------------------------------------- keeping the words in step


def searchable(patient: Patient) -> bool:
    """Merged records are reached through the one they were merged into; fully erased ones have no name."""
    return patient.merged_into_id is None and patient.preferred_name != ERASED


def index_name_words(patient: Patient, new: bool = False) -> None:
    """Make the patient's rows in `PatientNameWord` say what the names say now (called by `Patient.save`).

    A new patient: 3 queries (the words, their ids, the rows: a first booking's budget counts them); a
    saved one: 1 more to read the rows it had, and 2 when a word goes (the row, the word if no one else
    has it).
    """
    wanted = set(name_words(patient.preferred_name, patient.legal_name)) if searchable(patient) else set()
    rows = PatientNameWord.objects.filter(patient=patient)
    had = {} if new else dict(rows.values_list("word__word", "word_id"))
    gone = [word_id for word, word_id in had.items() if word not in wanted]
    if gone:
        rows.filter(word_id__in=gone).delete()
        prune_name_words(gone)
    missing = sorted(wanted - had.keys())
    if missing:
        # Words another booking may be adding at the same moment: ignored if there, never locked.
        NameWord.objects.bulk_create([NameWord(word=word) for word in missing], ignore_conflicts=True)
        word_ids = NameWord.objects.filter(word__in=missing).values_list("pk", flat=True)
        PatientNameWord.objects.bulk_create(PatientNameWord(word_id=pk, patient=patient) for pk in word_ids)


def prune_name_words(word_ids=None) -> int:
    """Delete the name words no patient uses any longer (of `word_ids`, or all); returns how many."""
    unused = NameWord.objects.exclude(Exists(PatientNameWord.objects.filter(word=OuterRef("pk"))))
    if word_ids is not None:
        unused = unused.filter(pk__in=list(word_ids))
    deleted, _ = unused.delete()
    return deleted
