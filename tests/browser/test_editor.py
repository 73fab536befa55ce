"""An editor in the real Wagtail admin: a post naming a prescription-only brand is refused, then published.

Everything goes through the admin as an editor would use it: the login form, the page editor's fields,
a Paragraph block typed into the Draftail editor, the clinician chooser, and the Publish action.
"""

import re

from playwright.sync_api import expect

from vial.website.demo.loader import ADMIN_PASSWORD, ADMIN_USERNAME
from vial.website.models import QuestionIndexPage, QuestionPage

from .conftest import BROWSER_TEST

pytestmark = BROWSER_TEST

TITLE = "Can anything stop my armpits sweating through my shirts?"
RISKY = "Botox stops underarm sweating for months, so book yours today."
COMPLIANT = (
    "Yes. At a consultation a prescriber checks for other causes and explains every option, "
    "including a prescription-only medicine that can calm the sweat glands for several months."
)


def type_answer(page, text):
    """Replace everything in the answer's paragraph with `text`, as a person at the keyboard would."""
    editor = page.locator("#panel-child-content-answer-content [contenteditable='true']").first
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)
    expect(editor).to_have_text(text)
    # Draftail stores what was typed in the block's hidden input a moment later; publish only once it has.
    stored = page.locator("#panel-child-content-answer-content input[name$='-value']").first
    expect(stored).to_have_value(re.compile(re.escape(text[-30:])))


def publish(page):
    """Publish sits in the footer's action menu, under the 'Save draft' button."""
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    page.wait_for_load_state()


def test_editor_is_warned_rewrites_and_publishes(site, open_context):
    page = open_context(width=1280, height=900).new_page()

    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill(ADMIN_USERNAME)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/admin/login/" not in page.url

    # The Q&A index in the page explorer; it takes only question pages, so "Add child page" opens that form.
    index = QuestionIndexPage.objects.get()
    page.goto(f"{site}/admin/pages/{index.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(index.title)
    page.get_by_role("link", name="Add child page").click()
    expect(page).to_have_url(f"{site}/admin/pages/add/website/questionpage/{index.pk}/")
    page.get_by_role("textbox", name="Title*", exact=True).fill(TITLE)
    page.get_by_role("textbox", name="Question*", exact=True).fill(
        "My armpits sweat through my shirts, even in winter."
    )
    page.get_by_role("textbox", name="Summary*", exact=True).fill(
        "Yes: a prescriber can assess you and explain the options."
    )
    page.get_by_label("Excessive underarm sweating", exact=True).check()

    page.locator("#panel-child-content-answer-content").get_by_title("Insert a block").first.click()
    page.get_by_role("option", name="Paragraph").first.click()
    type_answer(page, RISKY)

    page.get_by_role("button", name=re.compile(r"^Choose (clinician|staff member)")).first.click()
    chooser = page.get_by_role("dialog")
    chooser.get_by_role("link", name=re.compile(r"^Dr ")).first.click()
    expect(chooser).to_be_hidden()

    # Publishing is refused: the phrase and its suggested wording are shown.
    publish(page)
    errors = page.locator(".messages")
    expect(errors).to_contain_text('Risky phrase "Botox"')
    expect(errors).to_contain_text("a prescription-only medicine")
    expect(errors).to_contain_text("a consultation for frown lines")
    assert not QuestionPage.objects.filter(title=TITLE, live=True).exists()

    # Rewritten in compliant words, it publishes.
    type_answer(page, COMPLIANT)
    publish(page)
    expect(page.locator(".messages")).to_contain_text(f"Page '{TITLE}' has been published")
    post = QuestionPage.objects.get(title=TITLE)
    assert post.live and "Botox" not in str(post.answer)

    # The public blog index lists it, and so does the feed.
    page.goto(site + "/questions/")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text("calm the sweat glands")

    feed = page.request.get(site + "/feeds/questions.rss")
    assert feed.ok
    assert f"<title>{TITLE}</title>" in feed.text()
