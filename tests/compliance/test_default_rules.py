"""The rules the clinic starts with (seeded by a migration), checked without a database."""

import importlib

import pytest

from vial.compliance.rules import Rule, find_risky_phrases, validate_pattern

SEED = importlib.import_module("vial.compliance.migrations.0002_default_rules")
KINDS = {"brand", "lookalike", "hashtag", "indirect", "price", "under_18", "other"}
DEFAULT_RULES = [Rule(pattern, kind, suggestion, match_type) for pattern, match_type, kind, suggestion, _ in SEED.RULES]


def kinds(text):
    return {f.kind for f in find_risky_phrases(text, DEFAULT_RULES)}


def test_every_default_rule_is_usable_and_has_a_suggestion():
    for pattern, match_type, kind, suggestion, _ in SEED.RULES:
        validate_pattern(pattern, match_type)
        assert kind in KINDS and len(suggestion) > 20


@pytest.mark.parametrize("brand", SEED.BRANDS)
def test_every_licensed_brand_is_flagged(brand):
    assert kinds(f"Ask us about {brand} today") == {"brand"}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Beautox evenings every Friday", "lookalike"),
        ("Brotox for busy dads", "lookalike"),
        ("Baby botox, a lighter touch", "lookalike"),
        ("B0tox is here", "lookalike"),
        ("Fresh results #antiwrinkle", "hashtag"),
        ("Our wrinkle relaxing injections", "indirect"),
        ("Injections for excessive sweating", "indirect"),
        ("Muscle-relaxing injections for your jaw", "indirect"),
        ("Anti-wrinkle injections from £150", "price"),
        ("Three areas of botulinum toxin, £250", "price"),
        ("Treat yourself before prom", "under_18"),
        ("Back-to-school confidence", "under_18"),
        ("Revising for your GCSEs?", "under_18"),
        ("Win a free anti-wrinkle treatment", "other"),
        ("20% off anti-wrinkle treatment this month", "other"),
    ],
)
def test_risky_wording_is_flagged(text, kind):
    assert kind in kinds(text)


def test_the_clinics_2017_post_as_written_is_flagged():
    question = "Besides relaxing wrinkles, what medical uses does botulinum toxin type A (brand: Botox) have?"
    assert kinds(question) == {"brand"}


@pytest.mark.parametrize(
    "text",
    [
        "A consultation for frown lines, from £50.",
        "A consultation for excessive sweating. Consultation £50.",
        "Anti-wrinkle treatment: your prescriber may recommend a prescription-only medicine after assessing you.",
        "Excessive sweating (hyperhidrosis): a grid of tiny injections in each armpit; results within a week.",
        "Dr Amelia Hart trained at medical school in Bristol and is on the GMC register.",
        "We never treat anyone under 18, and we check ID at every first visit.",
        "Relief lasts up to about six months, until new nerve endings grow.",
        "Jaw slimming: the masseter muscle relaxes and the jawline looks slimmer; lasts about a year.",
        "Parking on the promenade; step-free access from the car park.",
        "The clinic won a patient-service award in 2023.",
    ],
)
def test_ordinary_clinic_wording_is_not_flagged(text):
    assert kinds(text) == set()
