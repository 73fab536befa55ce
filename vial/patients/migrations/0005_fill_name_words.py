"""The name words of the patient records already there (those booking's migration 0007 made too).

The rule is `vial.patients.search.name_words` as it stood when this was written (copied: a migration
must not change when the code does): lower case, accents dropped, words of letters with apostrophes
inside them. Merged records and fully erased ones ('(erased)') get none, as `search.searchable` says.
"""

import re
import unicodedata

from django.db import migrations

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
ERASED = "(erased)"
BATCH = 5000


def name_words(*names):
    text = unicodedata.normalize("NFKD", " ".join(names)).casefold().replace("\u2019", "'")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return sorted(set(WORD.findall(text)))


def fill(apps, schema_editor):
    Patient = apps.get_model("patients", "Patient")
    NameWord = apps.get_model("patients", "NameWord")
    PatientNameWord = apps.get_model("patients", "PatientNameWord")
    ids = dict(NameWord.objects.values_list("word", "pk"))
    rows = []
    searchable = Patient.objects.filter(merged_into__isnull=True).exclude(preferred_name=ERASED).order_by("pk")
    for pk, preferred, legal in searchable.values_list("pk", "preferred_name", "legal_name").iterator(chunk_size=2000):
        for word in name_words(preferred, legal):
            if word not in ids:
                ids[word] = NameWord.objects.create(word=word).pk
            rows.append(PatientNameWord(patient_id=pk, word_id=ids[word]))
        if len(rows) >= BATCH:
            PatientNameWord.objects.bulk_create(rows)
            rows = []
    PatientNameWord.objects.bulk_create(rows)


def empty(apps, schema_editor):
    apps.get_model("patients", "PatientNameWord").objects.all().delete()
    apps.get_model("patients", "NameWord").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0004_name_words"),
        ("booking", "0007_appointment_patient"),  # the patients it creates from appointments get their words too
    ]
    operations = [migrations.RunPython(fill, empty, elidable=False)]
