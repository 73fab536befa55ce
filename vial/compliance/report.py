"""What the public can read right now that breaks an advertising rule: every live page and live testimonial."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db.models import prefetch_related_objects
from taggit.managers import TaggableManager
from wagtail.models import DraftStateMixin, Page

from .content import Located, check_segments, segments_of_instance
from .forms import AdvertisingCheckedSnippetForm
from .models import active_rules


@dataclass(frozen=True)
class ReportRow:
    """One risky phrase in one piece of live content."""

    obj: object
    title: str
    content_type: str
    located: Located

    @property
    def phrase(self) -> str:
        return self.located.finding.phrase

    @property
    def kind(self) -> str:
        return self.located.finding.kind

    @property
    def suggestion(self) -> str:
        return self.located.finding.suggestion

    @property
    def field(self) -> str:
        return self.located.field

    @property
    def context(self) -> str:
        return self.located.finding.context


def checked_snippet_models() -> list[type]:
    """Publishable snippets whose admin form runs the advertising check (today: testimonials)."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, DraftStateMixin)
        and not issubclass(model, Page)
        and isinstance(getattr(model, "base_form_class", None), type)
        and issubclass(model.base_form_class, AdvertisingCheckedSnippetForm)
    ]


def _prefetch_tags(objects: list) -> None:
    by_model = defaultdict(list)
    for obj in objects:
        by_model[type(obj)].append(obj)
    for model, group in by_model.items():
        names = [f.name for f in model._meta.get_fields() if isinstance(f, TaggableManager)]
        if names:
            prefetch_related_objects(group, *names)


def live_content() -> Iterator[object]:
    """Every live page (as its specific type, site root excluded) and every live checked snippet."""
    pages = list(Page.objects.live().filter(depth__gt=1).specific().order_by("path"))
    _prefetch_tags(pages)
    yield from pages
    for model in checked_snippet_models():
        yield from model.objects.filter(live=True).order_by("pk")


def live_findings(rules=None) -> list[ReportRow]:
    """A row per risky phrase in live content, content in tree order, phrases in reading order."""
    rules = active_rules() if rules is None else rules
    rows = []
    for obj in live_content():
        for located in check_segments(segments_of_instance(obj), rules):
            title = obj.get_admin_display_title() if isinstance(obj, Page) else str(obj)
            rows.append(ReportRow(obj, title, str(obj._meta.verbose_name).capitalize(), located))
    return rows
