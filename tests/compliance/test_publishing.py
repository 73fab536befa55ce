"""Publishing through the Wagtail admin: risky phrases are refused with a suggestion; drafts always save."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.compliance.conftest import (
    PUBLISH,
    edit_question,
    form_data,
    messages_after_redirect,
    messages_in,
    with_answer,
)
from vial.website.models import QuestionPage

pytestmark = pytest.mark.django_db

RISKY = "<p>Besides frown lines, Botox also eases excessive sweating.</p>"
REWRITTEN = "<p>Besides frown lines, a prescription-only medicine can also ease excessive sweating.</p>"
BRAND_SUGGESTION = '"a consultation for frown lines"'


def answer_text(page):
    return " ".join(str(block.value) for block in page.answer)


def test_publishing_a_brand_name_is_refused_with_the_phrase_and_a_suggestion(admin_client, clinic):
    post = clinic["post"]
    revisions = post.revisions.count()

    response = edit_question(admin_client, post, RISKY, publish=True)

    assert response.status_code == 200
    errors = messages_in(response)
    brand = [e for e in errors if '"Botox"' in e]
    assert len(brand) == 1
    assert "prescription-only brand name" in brand[0] and BRAND_SUGGESTION in brand[0] and "Answer" in brand[0]
    assert any("I have checked these phrases" in e for e in errors)
    assert 'name="advertising_reviewed"' in response.content.decode()
    post.refresh_from_db()
    assert post.live and "Botox" not in answer_text(post)
    assert post.revisions.count() == revisions


def test_a_draft_with_a_brand_name_saves_and_warns(admin_client, clinic):
    post = clinic["post"]

    response = edit_question(admin_client, post, RISKY)

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.has_unpublished_changes
    assert "Botox" in answer_text(post.get_latest_revision_as_object())
    assert "Botox" not in answer_text(post)  # the live page is untouched
    warnings = messages_after_redirect(admin_client)
    assert any('"Botox"' in m and BRAND_SUGGESTION in m for m in warnings)


def test_publishing_after_rewriting_succeeds_and_the_post_is_on_the_blog(admin_client, client, clinic):
    post = clinic["post"]
    assert edit_question(admin_client, post, RISKY, publish=True).status_code == 200

    response = edit_question(admin_client, post, REWRITTEN, publish=True)

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.live and not post.has_unpublished_changes
    assert "a prescription-only medicine can also ease" in answer_text(post)
    assert "a prescription-only medicine can also ease" in client.get(post.url).content.decode()
    assert post.title in client.get(clinic["questions"].url).content.decode()


def test_publishing_with_the_acknowledgement_ticked_succeeds(admin_client, clinic):
    post = clinic["post"]

    response = edit_question(admin_client, post, RISKY, publish=True, advertising_reviewed="on")

    assert response.status_code == 302
    post.refresh_from_db()
    assert "Botox" in answer_text(post)


def test_a_clean_page_publishes_without_the_acknowledgement(admin_client, clinic):
    assert edit_question(admin_client, clinic["post"], REWRITTEN, publish=True).status_code == 302


def test_every_risky_phrase_is_listed_and_other_fields_are_checked_too(admin_client, clinic):
    post = clinic["post"]

    response = edit_question(
        admin_client,
        post,
        "<p>Wrinkle-relaxing injections from £150 #botox</p>",
        publish=True,
        title="Prom season glow-up",
        summary="Dysport or Azzalure?",
        tags="offers, xeomin",
    )

    errors = " | ".join(messages_in(response))
    for phrase, kind in [
        ('"Prom" in Title', "aimed at under-18s"),
        ('"Dysport" in Summary', "prescription-only brand name"),
        ('"Azzalure" in Summary', "prescription-only brand name"),
        ('"Wrinkle-relaxing injections" in Answer', "indirect term"),
        ('"#botox" in Answer', "hashtag"),
        ('"xeomin" in Tags', "prescription-only brand name"),
    ]:
        assert f"{phrase} ({kind}" in errors
    post.refresh_from_db()
    assert post.title == "Test question 0"


def test_writing_a_new_question_the_way_an_editor_does(admin_client, client, clinic):
    """The acceptance path: write a Q&A naming a brand, see the warning, rewrite, publish, find it on the blog."""
    url = reverse("wagtailadmin_pages:add", args=["website", "questionpage", clinic["questions"].pk])
    fields = {
        "title": "Can toxin treatment help with sweating?",
        "slug": "toxin-and-sweating",
        "question": "Can it stop my armpits sweating through my shirts?",
        "summary": "Yes, for many people, after a consultation.",
        "date": "2024-05-01",
        "author": str(clinic["author"].pk),
    }

    data = with_answer(form_data(admin_client, url, "page-edit-form"), "<p>Yes: Xeomin or Botox.</p>", **fields)
    response = admin_client.post(url, {**data.dict(), **PUBLISH})

    assert response.status_code == 200
    errors = messages_in(response)
    assert any('"Xeomin"' in e for e in errors) and any('"Botox"' in e for e in errors)
    assert not QuestionPage.objects.filter(slug="toxin-and-sweating").exists()

    data = with_answer(data, "<p>Yes: book a consultation for excessive sweating.</p>")
    response = admin_client.post(url, {**data.dict(), **PUBLISH})

    assert response.status_code == 302
    page = QuestionPage.objects.get(slug="toxin-and-sweating")
    assert page.live
    assert page.title in client.get(clinic["questions"].url).content.decode()
    assert "book a consultation for excessive sweating" in client.get(page.url).content.decode()


def test_an_editor_without_publish_rights_is_checked_when_submitting_for_moderation(client, django_user_model, clinic):
    editor = django_user_model.objects.create_user(username="editor", password="x" * 12)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    post = clinic["post"]
    url = reverse("wagtailadmin_pages:edit", args=[post.pk])
    data = with_answer(form_data(client, url, "page-edit-form"), RISKY)

    response = client.post(url, {**data.dict(), "action-submit": "action-submit"})

    assert response.status_code == 200
    assert any('"Botox"' in e for e in messages_in(response))
    post.refresh_from_db()
    assert post.workflow_in_progress is False

    response = client.post(url, {**with_answer(data, REWRITTEN).dict(), "action-submit": "action-submit"})

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.workflow_in_progress


def test_bulk_publishing_from_the_explorer_refuses_risky_drafts(admin_client, clinic):
    post = clinic["post"]
    post.unpublish()
    assert edit_question(admin_client, post, RISKY).status_code == 302
    clean = clinic["treatment"]
    clean.unpublish()
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])

    response = admin_client.post(f"{url}?id={post.pk}&id={clean.pk}&next=/admin/", {})

    assert response.status_code == 302
    post.refresh_from_db()
    clean.refresh_from_db()
    assert not post.live and not clean.live  # nothing is published when any page is risky
    assert any(f'{post.title}: "Botox"' in m for m in messages_after_redirect(admin_client))

    response = admin_client.post(f"{url}?id={clean.pk}&next=/admin/", {})

    assert response.status_code == 302
    clean.refresh_from_db()
    assert clean.live
