"""Editors can preview drafts: the in-memory page a preview uses must render like the live one."""


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
