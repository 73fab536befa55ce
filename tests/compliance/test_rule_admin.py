"""Editors keep the rules in the admin, and a new rule takes effect at the next publish."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.compliance.conftest import edit_question, messages_in
from vial.compliance.models import AdvertisingRule

pytestmark = pytest.mark.django_db


def test_default_rules_are_seeded():
    brands = set(AdvertisingRule.objects.filter(kind="brand").values_list("pattern", flat=True))
    assert {"Botox", "Vistabel", "Azzalure", "Bocouture", "Dysport", "Xeomin"} <= brands
    assert {"Alluzience", "Letybo", "Nuceiva", "Relfydess"} <= brands
    assert AdvertisingRule.objects.filter(match_type="hashtag", pattern="botox").exists()


def test_an_editor_adds_a_rule_and_it_takes_effect(admin_client, clinic):
    response = admin_client.post(
        reverse("advertising_rules:add"),
        {
            "pattern": "glow jab",
            "match_type": "word",
            "kind": "lookalike",
            "suggestion": 'say "a consultation for tired-looking skin".',
            "is_active": "on",
            "notes": "Seen on a competitor's leaflet.",
        },
    )
    assert response.status_code == 302
    assert AdvertisingRule.objects.filter(pattern="glow jab").exists()

    response = edit_question(admin_client, clinic["post"], "<p>Our Glow-Jabs are back.</p>", publish=True)

    assert response.status_code == 200
    assert any(
        '"Glow-Jabs" in Answer (look-alike of a brand name): say "a consultation for tired-looking skin".' in e
        for e in messages_in(response)
    )


def test_an_invalid_regular_expression_is_refused_on_save(admin_client, clinic):
    response = admin_client.post(
        reverse("advertising_rules:add"),
        {"pattern": "b(o|0tox", "match_type": "regex", "kind": "other", "suggestion": "Rewrite it.", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "not a valid regular expression" in response.content.decode()
    assert not AdvertisingRule.objects.filter(pattern="b(o|0tox").exists()
    # and pages still publish: nothing broken was stored
    assert edit_question(admin_client, clinic["post"], "<p>All clear.</p>", publish=True).status_code == 302


def test_switching_a_rule_off_stops_its_warning(admin_client, clinic):
    AdvertisingRule.objects.filter(pattern="Dysport").update(is_active=False)
    assert edit_question(admin_client, clinic["post"], "<p>Dysport.</p>", publish=True).status_code == 302


def test_editors_may_keep_rules_and_read_the_report(client, django_user_model, clinic):
    editor = django_user_model.objects.create_user(username="editor", password="x" * 12)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)

    assert client.get(reverse("advertising_rules:index")).status_code == 200
    assert client.get(reverse("advertising_rules:add")).status_code == 200
    assert client.get(reverse("compliance_advertising_report")).status_code == 200
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("advertising_rules:index") in menu and reverse("compliance_advertising_report") in menu


def test_people_without_admin_access_are_kept_out(client, django_user_model, clinic):
    client.force_login(django_user_model.objects.create_user(username="patient", password="x" * 12))
    for url in [reverse("advertising_rules:index"), reverse("compliance_advertising_report")]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
