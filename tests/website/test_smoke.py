import pytest


@pytest.mark.parametrize(
    "key", ["home", "treatments", "questions", "reviews", "clinics", "location", "treatment", "post"]
)
def test_every_page_type_renders(client, clinic, key):
    response = client.get(clinic[key].url)
    assert response.status_code == 200
    assert clinic[key].title in response.content.decode()
