"""Seed the advertising rules the clinic starts with, and let editors keep them.

Sources (CLINIC.md, 'Advertising'): Human Medicines Regulations 2012 reg. 284 and CAP Code 12.12 forbid
advertising a prescription-only medicine to the public; CAP 12.25 forbids aiming cosmetic-intervention ads at
under-18s. The rows are data: editors change, add or switch them off in Settings > Advertising rules.
The list is frozen here on purpose (a migration must not change meaning when app code changes).
"""

from django.db import migrations

BRAND_SUGGESTION = (
    'name the concern, not the product: "a consultation for frown lines". If the medicine must be mentioned, '
    'call it "a prescription-only medicine" that a prescriber may recommend after assessing you in person.'
)
BRANDS = [
    "Botox",
    "Vistabel",
    "Azzalure",
    "Bocouture",
    "Dysport",
    "Xeomin",
    "Alluzience",
    "Letybo",
    "Nuceiva",
    "Relfydess",
]

UNDER_18_SUGGESTION = (
    "cosmetic treatments may not be aimed at under-18s, and the clinic cannot give them toxin or fillers. "
    "Write for adults, or remove the reference."
)

PRIZE_REGEX = (
    r"\b(?:win|prize|giveaway|competition|raffle|discount|half[\s-]price|\d+\s?%\s?off)\b[^.!?\n]{0,60}?"
    r"\b(?:anti[\s-]?wrinkle|botox|toxin|wrinkle[\s-]?relax\w*)"
    r"|\b(?:anti[\s-]?wrinkle|botox|toxin|wrinkle[\s-]?relax\w*)[^.!?\n]{0,60}?"
    r"\b(?:prize|giveaway|competition|raffle|discount|half[\s-]price|\d+\s?%\s?off)\b"
)

# (pattern, match_type, kind, suggestion, notes)
RULES = [
    *[
        (brand, "word", "brand", BRAND_SUGGESTION, "A UK brand of botulinum toxin, a prescription-only medicine.")
        for brand in BRANDS
    ],
    (
        "Beautox",
        "word",
        "lookalike",
        'a play on a brand name still advertises the medicine; say "anti-wrinkle treatment, after a consultation".',
        "Look-alike of a brand name (CAP guidance on prescription-only medicines).",
    ),
    (
        "baby botox",
        "word",
        "lookalike",
        'say "a light, natural-looking anti-wrinkle treatment, discussed at your consultation".',
        "",
    ),
    (
        "Brotox",
        "word",
        "lookalike",
        'say "anti-wrinkle treatment for men, after a consultation".',
        "",
    ),
    (
        r"(?<!\w)(?!botox\b)b\W?[o0*°]\W?t\W?[o0*°]\W?x(?!\w)",
        "regex",
        "lookalike",
        'a disguised spelling still names the brand; describe the concern instead: "a consultation for frown lines".',
        "Catches B0tox, Bo-tox, B.o.t.o.x and similar.",
    ),
    (
        "botox",
        "hashtag",
        "hashtag",
        "remove the hashtag; use one about the concern or the clinic, e.g. #frownlines or #aestheticsclinic.",
        "ASA rulings treat #botox posts as ads for a prescription-only medicine.",
    ),
    (
        "antiwrinkle",
        "hashtag",
        "hashtag",
        "remove the hashtag, or use one about skin health or the clinic rather than the injection.",
        "",
    ),
    ("babybotox", "hashtag", "hashtag", "remove the hashtag; describe the concern in words instead.", ""),
    ("brotox", "hashtag", "hashtag", "remove the hashtag; describe the concern in words instead.", ""),
    (
        "wrinkle-relaxing injection",
        "word",
        "indirect",
        'this can only mean the medicine; say "anti-wrinkle treatment" or "a consultation for lines and wrinkles".',
        "Also finds 'wrinkle relaxing injections' (spaces and hyphens are matched loosely).",
    ),
    (
        "wrinkle relaxer",
        "word",
        "indirect",
        'say "anti-wrinkle treatment" or "a consultation for lines and wrinkles".',
        "",
    ),
    (
        "muscle-relaxing injection",
        "word",
        "indirect",
        'name the concern instead: "a consultation for jaw clenching" or "for frown lines".',
        "",
    ),
    (
        "injection for excessive sweating",
        "word",
        "indirect",
        'say "a consultation for excessive sweating" or "treatment for excessive sweating".',
        "Named by ASA rulings (e.g. against clinic pages on hyperhidrosis with a price list).",
    ),
    (
        "injection for sweating",
        "word",
        "indirect",
        'say "a consultation for excessive sweating".',
        "",
    ),
    (
        "botulinum toxin",
        "near_price",
        "price",
        "keep prices away from the medicine: give the price of the consultation or of treatment for the concern "
        '("consultation for excessive sweating, £50"), not of the toxin.',
        "A price beside the medicine makes the page an advertisement for it.",
    ),
    (
        "botulinum",
        "near_price",
        "price",
        'move the price away from the medicine, or price the consultation instead: "consultation, £50".',
        "",
    ),
    (
        "toxin",
        "near_price",
        "price",
        'move the price away from the medicine, or price the consultation instead: "consultation, £50".',
        "",
    ),
    (
        "botox",
        "near_price",
        "price",
        'never put a price beside a brand name; price "a consultation for frown lines" instead.',
        "",
    ),
    (
        "anti-wrinkle injection",
        "near_price",
        "price",
        'say "anti-wrinkle treatment" and price the consultation ("consultation from £50"), not the injections.',
        "ASA rulings name 'anti-wrinkle injections' beside a price.",
    ),
    (
        "injection",
        "near_price",
        "price",
        "price the consultation or the treatment of the concern, not injections "
        '("consultation for excessive sweating, £50").',
        "",
    ),
    ("teens", "word", "under_18", UNDER_18_SUGGESTION, "CAP Code 12.25."),
    ("teenager", "word", "under_18", UNDER_18_SUGGESTION, ""),
    ("prom", "word", "under_18", UNDER_18_SUGGESTION, "Prom season offers target school pupils."),
    ("back to school", "word", "under_18", UNDER_18_SUGGESTION, ""),
    ("sixth form", "word", "under_18", UNDER_18_SUGGESTION, "Also finds 'sixth-form' and 'sixth forms'."),
    ("sixth former", "word", "under_18", UNDER_18_SUGGESTION, ""),
    ("GCSE", "word", "under_18", UNDER_18_SUGGESTION, ""),
    ("school leaver", "word", "under_18", UNDER_18_SUGGESTION, ""),
    ("students under 18", "word", "under_18", UNDER_18_SUGGESTION, ""),
    (
        PRIZE_REGEX,
        "regex",
        "other",
        "a prescription-only treatment may not be a prize or a discount offer; offer a consultation instead.",
        "Prizes and discounts on the medicine are ads for it (CAP 12.12).",
    ),
]

RULE_PERMISSIONS = ["add_advertisingrule", "change_advertisingrule", "delete_advertisingrule"]
EDITOR_GROUPS = ["Editors", "Moderators"]


def seed_rules(apps, schema_editor):
    AdvertisingRule = apps.get_model("compliance", "AdvertisingRule")
    for pattern, match_type, kind, suggestion, notes in RULES:
        AdvertisingRule.objects.get_or_create(
            pattern=pattern,
            match_type=match_type,
            defaults={"kind": kind, "suggestion": suggestion, "notes": notes, "is_active": True},
        )


def let_editors_keep_rules(apps, schema_editor):
    """Editors and moderators (Wagtail's default groups, where they exist) may add and change rules."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="compliance", model="advertisingrule")
    permissions = []
    for codename in RULE_PERMISSIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=codename,
            defaults={"name": f"Can {codename.split('_')[0]} advertising rule"},
        )
        permissions.append(permission)
    for group in Group.objects.filter(name__in=EDITOR_GROUPS):
        group.permissions.add(*permissions)


def remove_rules(apps, schema_editor):
    AdvertisingRule = apps.get_model("compliance", "AdvertisingRule")
    AdvertisingRule.objects.filter(pattern__in=[rule[0] for rule in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [
        migrations.RunPython(seed_rules, remove_rules),
        migrations.RunPython(let_editors_keep_rules, migrations.RunPython.noop),
    ]
