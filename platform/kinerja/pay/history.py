"""The years behind a person and a region: an employee's predicates and TPP year by year on one page, and
the annual TPP summary per unit for HR.

Reads only. Who may see whose history follows pay's rule (kinerja.pay.selectors): one's own, or anyone's
for the region-wide readers (HR, leadership, auditors); a supervisor sees a subordinate's appraisal but
not their pay, so not their history either. Only released runs (approved or locked) count, as on the
payslips. A result keeps the unit it was paid in (`PayResult.unit_name`), so the summary reads the same
after people move."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404

from kinerja.appraisal.models import Rating
from kinerja.pay.models import PayResult
from kinerja.pay.selectors import RELEASED, reads_all_pay
from kinerja.people.models import Employee


@dataclass
class YearLine:
    year: int
    predicate: str = ""  # the delivered annual predicate's label, "" when none
    periods: list[dict] = field(default_factory=list)  # [{"period": "TW I", "predicate": "Baik"}]
    months_paid: int = 0
    earnings: int = 0
    deductions: int = 0
    net: int = 0

    def as_dict(self) -> dict:
        return {"year": self.year, "predicate": self.predicate, "periods": self.periods,
                "months_paid": self.months_paid, "earnings": self.earnings, "deductions": self.deductions,
                "net": self.net}


def history_employee(user, employee_id=None) -> Employee:
    """The employee whose history `user` asks for: their own when `employee_id` is None; another's only
    for a region-wide pay reader. Anyone else is not found, whether they exist or not."""
    employees = Employee.objects.select_related("unit", "position")
    if employee_id is None:
        employee = employees.filter(user=user).first() if user.is_authenticated else None
    elif reads_all_pay(user):
        employee = employees.filter(pk=employee_id).first()
    else:
        employee = employees.filter(pk=employee_id, user=user).first() if user.is_authenticated else None
    if employee is None:
        raise Http404
    return employee


def employee_years(employee: Employee) -> list[YearLine]:
    """Year by year, newest first: delivered predicates (annual and periodic) and the TPP of released
    runs. Two queries."""
    years: dict[int, YearLine] = {}
    ratings = (Rating.objects.filter(plan__employee=employee, delivered_at__isnull=False)
               .select_related("plan__appraisal_year", "period__appraisal_year")
               .order_by("plan__appraisal_year__year", "period__number"))
    for rating in ratings:
        line = years.setdefault(rating.plan.appraisal_year.year, YearLine(rating.plan.appraisal_year.year))
        if rating.period_id is None:
            line.predicate = rating.get_predicate_display()
        else:
            line.periods.append({"period": rating.period.label, "predicate": rating.get_predicate_display()})
    paid = (PayResult.objects.filter(employee=employee, run__status__in=RELEASED, ok=True)
            .annotate(year=ExtractYear("run__month")).values("year")
            .annotate(months=Count("run__month", distinct=True), earnings=Sum("earnings"),
                      deductions=Sum("deductions"), net=Sum("net")))
    for row in paid:
        line = years.setdefault(row["year"], YearLine(row["year"]))
        line.months_paid, line.earnings, line.deductions, line.net = (
            row["months"], row["earnings"] or 0, row["deductions"] or 0, row["net"] or 0)
    return [years[year] for year in sorted(years, reverse=True)]


def paid_years() -> list[int]:
    """Years with a released run, newest first."""
    return sorted({month.year for month in PayResult.objects.filter(run__status__in=RELEASED)
                   .values_list("run__month", flat=True).distinct()}, reverse=True)


def annual_summary(year: int) -> dict:
    """The year's TPP per unit it was paid in: people paid, months, earnings, deductions, paid by the
    region, take-home; with the region's totals. Two queries."""
    rows = list(PayResult.objects.filter(run__status__in=RELEASED, run__month__year=year, ok=True)
                .values("unit_name")
                .annotate(employees=Count("employee", distinct=True), results=Count("id"),
                          months=Count("run__month", distinct=True), earnings=Sum("earnings"),
                          deductions=Sum("deductions"), contributions=Sum("contributions"), net=Sum("net"))
                .order_by("unit_name"))
    totals = {key: sum(row[key] or 0 for row in rows)
              for key in ("results", "earnings", "deductions", "contributions", "net")}
    totals["employees"] = (PayResult.objects.filter(run__status__in=RELEASED, run__month__year=year, ok=True)
                           .values("employee").distinct().count()) if rows else 0
    return {"year": year, "units": rows, "totals": totals}
