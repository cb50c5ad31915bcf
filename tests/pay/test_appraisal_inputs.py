"""Pay reads only appraisal ratings delivered to the employee: a rating the appraiser has not delivered
(a draft the employee has not seen, nor could object to) changes nobody's TPP."""
import datetime

from django.utils import timezone

from kinerja.appraisal.models import Rating
from kinerja.pay import inputs, services
from kinerja.pay.models import PayRun
from tests.factories import make_employee
from tests.pay.factories import computed_run, quarter, rate, use_pay_plugin

MARCH = datetime.date(2025, 3, 1)


def _nets(run):
    return {employee_id: (net, inputs_record["appraisal"])
            for employee_id, net, inputs_record in run.results.values_list("employee_id", "net", "inputs")}


def test_an_undelivered_rating_does_not_change_pay(in_a, hr, unit):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    rated = make_employee(unit, "Dinilai", position_class=9)
    rate(rated, year=2024, work_result="above", behaviour="above", predicate="sangat_baik")
    draft_only = make_employee(unit, "Belum Diserahkan", position_class=9)
    baseline = _nets(computed_run(MARCH, hr))
    assert baseline[rated.pk][1]["predikat"] == "Sangat Baik"
    assert baseline[draft_only.pk][1] is None
    services.cancel_run(PayRun.objects.get(month=MARCH), actor=hr, reason="again with drafts")

    # later ratings, in force by the end of March, that the appraiser has not delivered yet
    rate(rated, year=2025, work_result="below", behaviour="below", predicate="sangat_kurang", delivered=False,
         period=quarter(2025, 1))
    rate(draft_only, year=2024, work_result="above", behaviour="above", predicate="sangat_baik", delivered=False)
    assert _nets(computed_run(MARCH, hr)) == baseline


def test_a_delivered_rating_counts_and_the_latest_delivered_one_wins(in_a, hr, unit):
    employee = make_employee(unit, "Diserahkan", position_class=9)
    rate(employee, year=2024, work_result="above", behaviour="above", predicate="sangat_baik")
    later = rate(employee, year=2025, work_result="below", behaviour="as_expected", predicate="butuh_perbaikan",
                 delivered=False, period=quarter(2025, 1))
    assert inputs.appraisal_results([employee.pk], MARCH)[employee.pk].predikat == "Sangat Baik"
    Rating.objects.filter(pk=later.pk).update(delivered_at=timezone.now())
    assert inputs.appraisal_results([employee.pk], MARCH)[employee.pk].predikat == "Butuh Perbaikan"


def test_a_rating_delivered_after_the_run_started_waits_for_the_next_run(in_a, hr, unit):
    """A run resumed after its worker died computes what it began: a rating delivered in between is not
    read half-way through the population."""
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    employee = make_employee(unit, "Tengah Jalan", position_class=9)
    run = services.create_run(month=MARCH, actor=hr)
    services.start_run(run, actor=hr, enqueue=False, reason="Test data: not every input is complete.")
    rate(employee, year=2024, work_result="above", behaviour="above", predicate="sangat_baik")
    run = services.compute_run(run.pk)
    assert run.results.get(employee=employee).inputs["appraisal"] is None
