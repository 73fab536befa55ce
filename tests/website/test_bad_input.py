"""Bad input gets a normal page or a clear 4xx, never a 500."""

JUNK_QUERIES = [
    "",
    " ",
    "a" * 5000,
    "'; DROP TABLE wagtailcore_page; --",
    '" OR 1=1 --',
    "\x00\x01\x02",
    "\u202e\u200b☃💉𝕏̸̡̢",
    "<script>alert(1)</script>",
    "%00%ff",
    '* AND NEAR( ) "',
    "NOT OR AND",
]


def test_junk_searches_answer_normally(client, clinic):
    for q in JUNK_QUERIES:
        response = client.get("/search/", {"q": q})
        assert response.status_code == 200, q
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_search_with_repeated_and_array_params(client, clinic):
    assert client.get("/search/?q=a&q=b&q[]=c&page=zz").status_code == 200


def test_search_only_accepts_get(client, clinic):
    assert client.post("/search/", {"q": "x"}).status_code == 405


ODD_QUERY_STRINGS = [
    "?page=-1",
    "?page=abc",
    "?page=99999999999999999999",
    "?tag=%00",
    "?tag=a%00b",
    "?treatment=%00",
    "?kind=%00",
    "?treatment=<b>",
    "?q=%ff%fe",
    "?tag=" + "x" * 3000,
]


def test_odd_query_strings_on_every_page(client, clinic):
    for key in ["home", "treatments", "questions", "reviews", "clinics", "location", "treatment", "post", "contact"]:
        for qs in ODD_QUERY_STRINGS:
            assert client.get(clinic[key].url + qs).status_code == 200, clinic[key].url + qs


UNKNOWN_URLS = ["/treatments/nope/", "/questions/nope/extra/", "/%00/", "/treatments/" + "x" * 500 + "/", "/..%2fetc"]


def test_unknown_urls_get_the_custom_404(client, clinic):
    for url in UNKNOWN_URLS:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "We can’t find that page" in response.content.decode()


def test_draft_pages_are_not_served(client, clinic):
    post = clinic["post"]
    post.unpublish()
    assert client.get(post.url or "/questions/test-question-0/").status_code == 404


def test_oversized_post_gets_a_plain_400(client, clinic, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(clinic["contact"].url, {"message": "x" * 5000})
    assert response.status_code == 400
    assert "We could not read that request" in response.content.decode()
