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
