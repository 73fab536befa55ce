"""Editors can preview drafts: the in-memory page a preview uses must render like the live one."""

from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from tests.factories import make_treatment


def test_draft_question_with_treatments_previews(clinic):
    post = clinic["post"]
    post.title = "Draft wording"
    post.save_revision()  # a draft revision: what the editor previews
    draft = post.get_latest_revision_as_object()
    response = draft.make_preview_request()
    assert response.status_code == 200
    html = response.content.decode()
    assert "Draft wording" in html
    assert clinic["treatment"].title in html


def test_a_draft_naming_other_treatments_previews_the_drafts_choice(clinic):
    other = make_treatment(clinic["treatments"], n=1)
    post = clinic["post"]
    post.related_treatments = [other]
    post.save_revision()
    html = post.get_latest_revision_as_object().make_preview_request().content.decode()
    assert f'href="{other.url}"' in html
    assert f'href="{clinic["treatment"].url}"' not in html


def test_a_home_page_draft_with_another_hero_image_previews_that_image(client, clinic, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    live, draft_image = (Image.objects.create(title=t, file=get_test_image_file()) for t in ("Live", "Draft"))
    home = clinic["home"]
    home.hero_image = live
    home.save_revision().publish()
    client.get(home.url)  # the live page's og:image is kept under the content version
    home.hero_image = draft_image
    home.save_revision()
    html = home.get_latest_revision_as_object().make_preview_request().content.decode()
    assert draft_image.get_rendition("fill-1200x630").url in html
    assert live.get_rendition("fill-1200x630").url not in html
