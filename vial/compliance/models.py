"""Advertising rules the clinic keeps as data, so editors can add a phrase without a developer.

The matching itself is in `rules.py`; a stored rule becomes a `rules.Rule` through `to_rule()`.
"""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from .rules import InvalidPattern, MatchType, Rule, validate_pattern


class AdvertisingRule(models.Model):
    """A phrase that may advertise a prescription-only medicine (or target under-18s), and what to say instead."""

    class MatchTypes(models.TextChoices):
        WORD = MatchType.WORD.value, "Word or phrase"
        HASHTAG = MatchType.HASHTAG.value, "Hashtag"
        NEAR_PRICE = MatchType.NEAR_PRICE.value, "Word or phrase beside a price"
        REGEX = MatchType.REGEX.value, "Regular expression"

    class Kind(models.TextChoices):
        BRAND = "brand", "prescription-only brand name"
        LOOKALIKE = "lookalike", "look-alike of a brand name"
        HASHTAG = "hashtag", "hashtag naming the medicine"
        INDIRECT = "indirect", "indirect term for the medicine"
        PRICE = "price", "toxin treatment beside a price"
        UNDER_18 = "under_18", "aimed at under-18s"
        OTHER = "other", "other advertising risk"

    pattern = models.CharField(
        "phrase or pattern",
        max_length=500,
        help_text=(
            "The words to look for, e.g. 'Botox' or 'wrinkle-relaxing injections'. Any case; hyphens and spaces "
            "between words are matched loosely. For a hashtag give the word ('botox'); for a regular expression "
            "give the expression."
        ),
    )
    match_type = models.CharField(
        "match",
        max_length=12,
        choices=MatchTypes.choices,
        default=MatchTypes.WORD,
        help_text="'Beside a price' only warns when a price such as £150 is within about 60 characters.",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.BRAND)
    suggestion = models.CharField(
        "suggested wording",
        max_length=300,
        help_text="What the editor should write instead, e.g. 'say \"a consultation for frown lines\"'.",
    )
    is_active = models.BooleanField("active", default=True, help_text="Untick to stop warning without deleting.")
    notes = models.TextField(blank=True, help_text="Why this rule exists, e.g. the ASA ruling or CAP Code rule.")
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("pattern"),
        FieldRowPanel([FieldPanel("match_type"), FieldPanel("kind")]),
        FieldPanel("suggestion"),
        FieldPanel("is_active"),
        FieldPanel("notes"),
    ]

    class Meta:
        ordering = ["kind", "pattern"]
        constraints = [
            models.UniqueConstraint(fields=["pattern", "match_type"], name="compliance_rule_unique_pattern"),
        ]

    def __str__(self):
        return f"{self.pattern} ({self.get_kind_display()})"

    def clean(self):
        super().clean()
        self.pattern = (self.pattern or "").strip()
        try:
            validate_pattern(self.pattern, self.match_type)
        except InvalidPattern as error:
            raise ValidationError({"pattern": str(error)}) from error

    def to_rule(self) -> Rule:
        return Rule(
            pattern=self.pattern,
            kind=self.get_kind_display(),
            suggestion=self.suggestion,
            match_type=self.match_type,
        )


def active_rules() -> list[Rule]:
    """Every active rule, as plain values (one query; the caller keeps the list for as long as it needs)."""
    return [rule.to_rule() for rule in AdvertisingRule.objects.filter(is_active=True).order_by("pk")]
