"""Exports open safely in a spreadsheet: what a patient typed never runs as a formula (OWASP CSV injection)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from vial.core.spreadsheets import safe_cell, safe_csv_writer
from vial.enquiries.models import Enquiry

HYPERLINK = '=HYPERLINK("http://x","y")'
# Every start a spreadsheet may read as a formula; tab and CR cannot come through the web form
# (it drops control characters), so those are stored directly as an import or old row might be.
DANGEROUS = [HYPERLINK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_text_that_could_be_a_formula_gets_a_quote(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Jane Testpatient", "", "07700 900123", "O'Neil", "a=b", 5, -5, 1.5, None, True])
def test_everything_else_is_left_alone(value):
    assert safe_cell(value) == value


def test_the_csv_writer_makes_every_cell_safe():
    out = io.StringIO()
    writer = safe_csv_writer(out)
    writer.writerow(["name", "=1+1", -3])
    dict_out = io.StringIO()
    dict_writer = safe_csv_writer(dict_out, fieldnames=["a", "b"])
    dict_writer.writeheader()
    dict_writer.writerow({"a": "@x", "b": "fine"})
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["name", "'=1+1", "-3"]]
    assert list(csv.reader(io.StringIO(dict_out.getvalue()))) == [["a", "b"], ["'@x", "fine"]]


@pytest.mark.django_db
def test_a_formula_typed_on_the_contact_form_comes_out_of_the_admin_export_as_text(
    client, admin_client, clinic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            clinic["contact"].url,
            {
                "kind": "question",
                "name": HYPERLINK,
                "email": "attacker@example.com",
                "phone": "",
                "treatment": "",
                "message": "-1+1 and @SUM(A1:A9) in the message too",
                "consent_to_contact": "on",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    for n, value in enumerate(DANGEROUS[1:]):
        Enquiry.objects.create(
            kind=Enquiry.Kind.QUESTION, name=value, email=f"p{n}@example.com", message="hi", consent_to_contact=True
        )

    response = admin_client.get(reverse("enquiries:index"), {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    names = {row["Name"] for row in rows}
    assert names == {"'" + value for value in DANGEROUS}
    assert "'-1+1 and @SUM(A1:A9) in the message too" in {row["Message"] for row in rows}

    response = admin_client.get(reverse("enquiries:index"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    column = header.index("Name")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    # XML stores a carriage return as a line break, so compare with CR read back as LF.
    assert {cell.value for cell in cells} == {"'" + value.replace("\r", "\n") for value in DANGEROUS}
    assert all(cell.data_type == "s" for cell in cells), "a name must be a text cell, never a formula"


@pytest.mark.django_db
def test_the_advertising_report_export_is_safe(admin_client, clinic, monkeypatch):
    from vial.compliance import views

    class Finding:
        title, content_type, field, kind, suggestion, context = "=cmd()", "Page", "body", "risk", "+x", "-y"
        phrase = "@z"
        obj = None

    monkeypatch.setattr(views, "live_findings", lambda: [Finding()])
    response = admin_client.get(reverse("compliance_advertising_report"), {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1] == ["'=cmd()", "Page", "body", "'@z", "risk", "'+x", "'-y"]
