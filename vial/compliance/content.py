"""The words a page or snippet shows the public, as plain text, field by field.

Used twice: on a bound admin form (the words about to be published, from `cleaned_data`) and on a saved
object (the words already live, for the report). Both read the same fields so the two always agree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.text import capfirst
from taggit.managers import TaggableManager
from wagtail.fields import RichTextField, StreamField
from wagtail.rich_text import get_text_for_indexing

from .rules import Finding, Rule, find_risky_phrases, unique_findings

#: Text fields that hold machinery, not words the public reads.
SKIPPED_FIELDS = {"path", "draft_title", "slug", "url_path"}
_NOT_PROSE = (models.EmailField, models.URLField, models.SlugField)

MISSING = object()


@dataclasses.dataclass(frozen=True)
class Located:
    """A finding and the field it was found in."""

    finding: Finding
    field: str

    @property
    def message(self) -> str:
        f = self.finding
        return f'Risky phrase "{f.phrase}" in {self.field} ({f.kind}): {f.suggestion}'


def _text_fields(model) -> Iterable[models.Field]:
    for field in model._meta.get_fields():
        if field.name in SKIPPED_FIELDS or field.name.startswith("_"):
            continue
        if isinstance(field, (StreamField, RichTextField, TaggableManager)) or (
            isinstance(field, (models.CharField, models.TextField))
            and not isinstance(field, _NOT_PROSE)
            and not field.choices
        ):
            yield field


def _plain(field, value) -> str:
    if value is None or value is MISSING:
        return ""
    if isinstance(field, StreamField):
        return "\n".join(force_str(piece) for piece in field.get_searchable_content(value) if piece)
    if isinstance(field, RichTextField):
        return get_text_for_indexing(force_str(value))
    if isinstance(field, TaggableManager):
        return ", ".join(force_str(tag) for tag in value)
    return force_str(value)


def _price(model, get: Callable[[str], Any]) -> str:
    for field in model._meta.concrete_fields:
        if isinstance(field, models.DecimalField) and "price" in field.name:
            value = get(field.name)
            if value not in (None, MISSING, ""):
                return f"£{value}"
    return ""


def text_segments(model, get: Callable[[str], Any]) -> list[tuple[str, str]]:
    """(field label, plain text) for each prose field of `model`; `get(name)` supplies each field's value.

    A model with a price field also gets a 'title and price' segment, because listings show the title beside
    the price ('Anti-wrinkle injections from £150' breaks the rules even if neither field does alone).
    """
    segments = []
    for field in _text_fields(model):
        text = _plain(field, get(field.name))
        if text.strip():
            segments.append((capfirst(force_str(field.verbose_name)), text))
    price = _price(model, get)
    title = get("title") if any(f.name == "title" for f in model._meta.concrete_fields) else None
    if price and title not in (None, MISSING, ""):
        segments.append(("Title with price", f"{title} from {price}"))
    return segments


def segments_of_instance(instance) -> list[tuple[str, str]]:
    """The prose of a saved (or in-memory) page or snippet."""

    def get(name):
        value = getattr(instance, name, MISSING)
        if isinstance(value, models.Manager):  # tags
            return [tag.name for tag in value.all()]
        return value

    return text_segments(type(instance), get)


def segments_of_form(form) -> list[tuple[str, str]]:
    """The prose a bound, cleaned admin form is about to save; fields not on the form keep the instance's value."""
    instance = form.instance
    cleaned = form.cleaned_data

    def get(name):
        if name in cleaned:
            return cleaned[name]
        if name in form.fields:  # on the form but did not validate; nothing to check yet
            return MISSING
        value = getattr(instance, name, MISSING)
        if isinstance(value, models.Manager):
            return [tag.name for tag in value.all()] if instance.pk else []
        return value

    return text_segments(type(instance), get)


def check_segments(segments, rules: list[Rule]) -> list[Located]:
    """Each distinct risky phrase in the segments, with the field it was first found in."""
    located = []
    seen = set()
    for label, text in segments:
        for finding in unique_findings(find_risky_phrases(text, rules)):
            key = (" ".join(finding.phrase.lower().split()), finding.kind)
            if key in seen:
                continue
            seen.add(key)
            located.append(Located(finding, label))
    return located
