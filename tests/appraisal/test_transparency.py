"""Transparency: the employee sees criteria, targets, realisation, ratings, predicate and the reasons."""
import datetime

import pytest

from kinerja.appraisal import selectors, services
from kinerja.appraisal.models import BEHAVIOUR_VALUE_CODES
from tests.appraisal.factories import open_year, plan_with_indicators
from tests.helpers import english_client

pytestmark = pytest.mark.django_db

VALUES = {code: "as_expected" for code in BEHAVIOUR_VALUE_CODES}
NOW = datetime.datetime(2026, 12, 20, 3, 0, tzinfo=datetime.timezone.utc)


@pytest.fixture
def result(org):
    plan = plan_with_indicators(org.staff, open_year(org, 2026))
    iki = plan.rhks.get().ikis.get()
    services.record_realisation(actor=org.staff.user, iki=iki, period=selectors.period_of_plan(plan, 4), value="118",
                                now=NOW)
    rating = services.rate(actor=org.chief.user, plan=plan, work_result="above", behaviour="above",
                           behaviour_values={**VALUES, "kolaboratif": "above"}, reason="118 of 120 documents", now=NOW)
    services.calibrate(actor=org.hr, rating=rating, predicate="baik", reason="Unit ceiling of 70% Sangat Baik")
    services.deliver_rating(actor=org.chief.user, rating=rating, now=NOW)
    return plan


def test_employee_sees_targets_realisation_predicate_and_both_reasons(org, result):
    page = english_client(org.region, org.staff.user).get(f"/appraisal/skp/{result.pk}/result/").content.decode()
    for expected in ("Documents processed", "120 documents", "118", "118 of 120 documents", "Baik",
                     "HR calibration", "Unit ceiling of 70% Sangat Baik", "Collaborative (Kolaboratif)",
                     "You may object until 3 January 2027", "Sangat Kurang", 'data-testid="completed-training"'):
        assert expected in page, expected


def test_result_api_and_its_access(org, result):
    data = english_client(org.region, org.staff.user).get(f"/api/v1/appraisal/plans/{result.pk}/result/").json()
    [annual] = data["ratings"]
    assert (annual["predicate"], annual["predicate_source"]) == ("baik", "calibration")
    assert annual["adjustment_reason"] == "Unit ceiling of 70% Sangat Baik"
    assert annual["objection_deadline"] == "2027-01-03" and len(data["criteria"]["predicate_matrix"]) == 9
    assert data["indicators"][0]["target"] == "120 documents"
    assert data["indicators"][0]["realisation"][3] == {"period": 4, "value": "118.00", "text": ""}
    for outsider in (org.staff2.user, org.edu_head.user):
        client = english_client(org.region, outsider)
        assert client.get(f"/api/v1/appraisal/plans/{result.pk}/result/").status_code == 404
        assert client.get(f"/appraisal/skp/{result.pk}/result/").status_code == 404
