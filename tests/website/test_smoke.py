import pytest
from bs4 import BeautifulSoup

from vial.website.chrome import clear
from vial.website.models import Accreditation


@pytest.mark.parametrize(
    "key", ["home", "treatments", "questions", "reviews", "clinics", "location", "treatment", "post"]
)
def test_every_page_type_renders(client, clinic, key):
    response = client.get(clinic[key].url)
    assert response.status_code == 200
    assert clinic[key].title in response.content.decode()


def test_the_home_page_trust_row_shows_the_first_six_marks_and_the_footer_every_one(client, clinic):
    Accreditation.objects.bulk_create(
        Accreditation(name=f"Register {n}", body=f"Body {n}", year=2020, sort_order=n) for n in range(1, 9)
    )
    clear()  # bulk_create sends no signal to move the content version
    soup = BeautifulSoup(client.get(clinic["home"].url).content, "html.parser")
    in_row = [item.select_one(".trust__name").text for item in soup.select(".trust__item")]
    assert len(in_row) == 6 and in_row == [a.body for a in Accreditation.objects.all()[:6]]
    assert len(soup.select(".site-footer .badge")) == Accreditation.objects.count() == 9


def test_an_edited_accreditation_shows_in_the_trust_row_at_once_on_the_uncached_path(client, clinic):
    """The trust row is kept under the content version; saving an accreditation renews it."""
    accreditation = Accreditation.objects.create(name="Register", body="Old body name", year=2020)

    def row():
        page = BeautifulSoup(client.get(clinic["home"].url, {"from": "search"}).content, "html.parser")
        return [item.select_one(".trust__name").text for item in page.select(".trust__item")]

    assert "Old body name" in row()
    accreditation.body = "New body name"
    accreditation.save()
    assert "New body name" in row() and "Old body name" not in row()
    accreditation.delete()
    assert "New body name" not in row()
