"""Helpers for driving the Wagtail admin's page and snippet forms over HTTP, as an editor's browser would."""

from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

PUBLISH = {"action-publish": "action-publish"}


def form_data(client, url, form_id):
    """The form on an admin page as the browser would post it (StreamFields are rebuilt by the caller)."""
    response = client.get(url)
    assert response.status_code == 200
    return querydict_from_html(response.content.decode(), form_id=form_id)


def with_answer(data, answer_html, **fields):
    """Replace a QuestionPage form's StreamFields (answer: one paragraph; no FAQs) and any other fields."""
    stream = nested_form_data({"answer": streamfield([("paragraph", rich_text(answer_html))]), "faqs": streamfield([])})
    for key, value in {**stream, **fields}.items():
        data[key] = value
    return data


def edit_question(client, page, answer_html, *, publish=False, **fields):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = with_answer(form_data(client, url, "page-edit-form"), answer_html, **fields)
    if publish:
        data.update(PUBLISH)
    return client.post(url, data)


def messages_in(response, level="error"):
    """The admin's message banner texts (each detail line too), as an editor reads them."""
    soup = BeautifulSoup(response.content, "html.parser")
    return [" ".join(li.get_text(" ", strip=True).split()) for li in soup.select(f".messages li.{level} li")]


def messages_after_redirect(client):
    """Messages queued for the next page the editor sees."""
    response = client.get(reverse("wagtailadmin_home"))
    soup = BeautifulSoup(response.content, "html.parser")
    return [" ".join(li.get_text(" ", strip=True).split()) for li in soup.select(".messages li")]
