"""Presentational helpers for the public site: illustrations drawn for Vial, short menu labels, the team.

Nothing here is fetched or photographed: the treatment drawings, portraits and maps are inline SVG made
from templates in `templates/components/art/`, so a page needs no extra request for them.
"""

import hashlib

from django import template
from django.utils.html import format_html

from vial.staff.models import StaffMember
from vial.website import chrome
from vial.website.models import Accreditation

register = template.Library()

#: Which part of the drawing each demo treatment marks (by page slug). Others get a plain face.
ZONES = {
    "frown-lines": "frown",
    "forehead-lines": "forehead",
    "crows-feet": "crows-feet",
    "underarm-sweating": "underarm",
    "oily-skin": "oily-skin",
    "nose-tip-lift": "nose",
    "jaw-slimming-and-teeth-grinding": "jaw",
    "jowls": "jowls",
    "neck-lines": "neck",
    "migraine": "migraine",
    "gummy-smile": "lip",
    "dermal-filler": "filler",
    "skin-peel": "skin",
}

#: Short words for the header's one row; the menu on small screens and the footer use the full titles.
MENU_LABELS = {
    "treatments": "Treatments",
    "questions": "Questions",
    "reviews": "Reviews",
    "accreditations": "Accreditations",
    "clinics": "Clinics",
    "contact": "Contact",
}

# Portrait palettes: skin tones, hair colours, clothes and grounds (the clinic's own colours).
_SKIN = ("#f1d3bd", "#e0b08f", "#c58c66", "#8d5a3b", "#f5dccb")
_HAIR = ("#3b2a22", "#6b4a2f", "#1f1b1a", "#a8774a", "#8c8c8c")
_CLOTHES = ("#0d5c58", "#1d2628", "#4b6b73", "#7a5a44")
_GROUNDS = ("#e3efed", "#f2ece3", "#f6e3d3", "#e6e9ef")


@register.inclusion_tag("components/art/face.html")
def treatment_art(slug, label="", size=""):
    """The drawing for a treatment: decorative (aria-hidden) unless a label is given."""
    return {"zone": ZONES.get(slug, ""), "label": label, "size": size}


@register.filter
def menu_label(item):
    """The header's short label for a menu item (a dict from chrome.sections)."""
    return MENU_LABELS.get(item.get("slug"), item.get("title"))


def _pick(name: str, options: tuple, salt: str):
    digest = hashlib.sha256(f"{salt}:{name}".encode()).digest()
    return options[digest[0] % len(options)]


@register.inclusion_tag("components/art/avatar.html")
def avatar(person):
    """An illustrated portrait chosen from the person's name: the same person always looks the same."""
    name = str(person)
    return {
        "skin": _pick(name, _SKIN, "skin"),
        "hair_colour": _pick(name, _HAIR, "hair"),
        "hair": _pick(name, (0, 1, 2), "style"),
        "clothes": _pick(name, _CLOTHES, "clothes"),
        "ground": _pick(name, _GROUNDS, "ground"),
    }


@register.inclusion_tag("components/art/map.html")
def clinic_map(location):
    """An illustrated map of the clinic's street (not to scale), with its pin and name."""
    longest = max(len(location.title) * 8.2, len(location.street_address) * 6.6)
    return {
        "location": location,
        "variant": _pick(location.slug, (0, 1, 2), "map"),
        "label_width": int(longest) + 28,
    }


@register.simple_tag
def clinic_team():
    """Everyone who sees patients, for the clinic pages (one query; the page body is cached)."""
    return list(StaffMember.objects.filter(active=True).exclude(registration_number="").select_related("photo"))


@register.filter
def motto_parts(motto):
    """'Passion | Precision | Perfection' as its words, for the hero's three lines."""
    return [part.strip() for part in str(motto).split("|") if part.strip()]


#: How many marks the home page's trust row shows (the first, in the editors' order): one row, however many
#: the clinic holds. The footer and the accreditations page list every one.
TRUST_ROW_MARKS = 6


@register.inclusion_tag("components/trust_row.html", takes_context=True)
def trust_row(context):
    """Registers and awards as one row of marks, each a link to the public register.

    Site-wide set-up data like the footer that lists them all: kept under the content version (any
    change to an accreditation renews it); built from the footer's query when both are built at once.
    """
    request = context["request"]
    return {"accreditations": chrome.cached("trust-row", lambda: Accreditation.for_request(request)[:TRUST_ROW_MARKS])}


@register.filter
def mark(accreditation):
    """The short mark shown for a register: its body's initials when the name is long ('Save Face' -> 'SF')."""
    body = accreditation.body.strip()
    if accreditation.kind == Accreditation.Kind.AWARD:
        return str(accreditation.year)
    if len(body) <= 5:
        return body
    return "".join(word[0] for word in body.split() if word[:1].isalpha() and word[0].isupper())[:4] or body[:4]


#: Each regulator's public register, where a patient can check a registration number.
REGISTERS = {
    "GMC": "https://www.gmc-uk.org/registrants",
    "GDC": "https://olr.gdc-uk.org/searchregister",
    "NMC": "https://www.nmc.org.uk/registration/search-the-register/",
    "GPhC": "https://www.pharmacyregulation.org/registers",
}


@register.simple_tag
def register_link(person):
    """'GMC no. 7093418', linked to the regulator's public register."""
    if not person.regulator:
        return ""
    url = REGISTERS.get(person.regulator)
    text = f"{person.regulator} no. {person.registration_number}"
    if not url:
        return text
    return format_html(
        '<a href="{}" rel="noopener">{}<span class="visually-hidden"> (check it on the {} register)</span></a>',
        url,
        text,
        person.get_regulator_display(),
    )
