"""Admin menus for what editors keep outside the page tree."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Accreditation, SearchSynonym, Testimonial


class TestimonialViewSet(SnippetViewSet):
    model = Testimonial
    icon = "openquote"
    list_display = ["author_name", "rating", "treatment", "date", "consent_to_publish", "live"]
    list_filter = ["rating", "consent_to_publish", "live"]
    search_fields = ["author_name", "quote"]


class AccreditationViewSet(SnippetViewSet):
    model = Accreditation
    icon = "success"
    list_display = ["name", "body", "kind", "register_number", "year"]
    sort_order_field = "sort_order"


class SearchSynonymViewSet(SnippetViewSet):
    model = SearchSynonym
    icon = "search"
    menu_label = "Search synonyms"
    list_display = ["phrase", "means"]
    search_fields = ["phrase", "means"]


class WebsiteGroup(SnippetViewSetGroup):
    menu_label = "Clinic content"
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (TestimonialViewSet, AccreditationViewSet, SearchSynonymViewSet)  # clinicians: Staff (vial.staff)


register_snippet(WebsiteGroup)
