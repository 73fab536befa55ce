"""The headers an observatory-style scan looks for, on public pages and the admin."""

from vial.core.middleware import PUBLIC_CSP


def test_public_pages_send_strict_headers(client, clinic):
    response = client.get(clinic["treatment"].url)
    assert response["Content-Security-Policy"] == PUBLIC_CSP
    assert "default-src 'self'" in PUBLIC_CSP and "'unsafe-inline'" not in PUBLIC_CSP
    assert "frame-ancestors 'none'" in PUBLIC_CSP
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_anonymous_pages_may_be_cached_briefly_but_not_admin(client, clinic, admin_client):
    assert client.get(clinic["home"].url)["Cache-Control"] == "public, max-age=60"
    admin = admin_client.get("/admin/")
    assert "public" not in admin.get("Cache-Control", "")
    assert "'unsafe-inline'" in admin["Content-Security-Policy"]


def test_no_third_party_hosts_in_public_html(client, clinic):
    for key in ("home", "treatment", "post", "reviews", "contact"):
        html = client.get(clinic[key].url).content.decode()
        for marker in ('src="http', "src='http", 'href="//', "fonts.googleapis", "cdn."):
            assert marker not in html, (key, marker)
