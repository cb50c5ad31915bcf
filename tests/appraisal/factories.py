"""Appraisal data for the appraisal tests: an appraisal year, and plans with indicators. People come from
tests.factories."""
from __future__ import annotations


def open_year(org, year: int = 2026, cadence: str = "quarterly"):
    from kinerja.appraisal import services

    return services.create_appraisal_year(actor=org.hr, year=year, cadence=cadence)


def plan_with_indicators(employee, appraisal_year, *, approve: bool = True, parent=None, text: str = "Result"):
    """An SKP with one Utama RHK carrying one quantity IKI; approved by the appraiser unless told not to."""
    from kinerja.appraisal import services

    plan = services.create_plan(actor=employee.user, employee=employee, appraisal_year=appraisal_year)
    rhk = services.add_rhk(actor=employee.user, plan=plan, kind="utama", text=f"{text} of {employee.full_name}",
                           parent=parent)
    services.add_iki(actor=employee.user, rhk=rhk, text="Documents processed", aspect="quantity",
                     target_value="120", target_unit="documents")
    if approve:
        services.submit_plan(actor=employee.user, plan=plan)
        services.approve_plan(actor=plan.appraiser.user, plan=plan)
    plan.refresh_from_db()
    return plan
