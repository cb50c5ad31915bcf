"""SKP plans: the state machine, who may do what, cascading, indicator templates."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.appraisal import selectors, services
from kinerja.appraisal.indicators import agency_type_for_unit, indicator_templates
from kinerja.appraisal.models import PlanRevision, PlanStatus, SkpPlan
from tests.appraisal.factories import open_year, plan_with_indicators

pytestmark = pytest.mark.django_db


def test_plan_defaults_to_the_direct_supervisor_as_appraiser(org):
    year = open_year(org)
    plan = services.create_plan(actor=org.staff.user, employee=org.staff, appraisal_year=year)
    assert plan.appraiser == org.chief and plan.unit == org.health and plan.status == PlanStatus.DRAFT


def test_plan_without_supervisor_needs_hr_to_name_the_appraiser(org):
    year = open_year(org)
    with pytest.raises(ValidationError) as error:
        services.create_plan(actor=org.head.user, employee=org.head, appraisal_year=year)
    assert "appraiser" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.create_plan(actor=org.head.user, employee=org.head, appraisal_year=year, appraiser=org.edu_head)
    plan = services.create_plan(actor=org.hr, employee=org.head, appraisal_year=year, appraiser=org.edu_head)
    assert plan.appraiser == org.edu_head


def test_one_plan_per_employee_and_year_and_only_own(org):
    year = open_year(org)
    services.create_plan(actor=org.staff.user, employee=org.staff, appraisal_year=year)
    with pytest.raises(ValidationError, match="already has an SKP"):
        services.create_plan(actor=org.staff.user, employee=org.staff, appraisal_year=year)
    with pytest.raises(PermissionDenied):
        services.create_plan(actor=org.staff.user, employee=org.staff2, appraisal_year=year)


def test_full_cycle_with_return_approval_and_revision_history(org):
    year = open_year(org)
    plan = services.create_plan(actor=org.staff.user, employee=org.staff, appraisal_year=year)
    rhk = services.add_rhk(actor=org.staff.user, plan=plan, kind="utama", text="Patient records digitised")
    services.add_iki(actor=org.staff.user, rhk=rhk, text="Records digitised", aspect="quantity", target_value="500",
                     target_unit="records")
    services.submit_plan(actor=org.staff.user, plan=plan)
    with pytest.raises(ValidationError, match="Say what must change"):
        services.return_plan(actor=org.chief.user, plan=plan, comment="  ")
    services.return_plan(actor=org.chief.user, plan=plan, comment="Add a quality indicator")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and plan.return_comment == "Add a quality indicator"
    services.add_iki(actor=org.staff.user, rhk=rhk, text="Error rate", aspect="quality", target_value="2",
                     target_unit="percent")
    services.submit_plan(actor=org.staff.user, plan=plan)
    services.approve_plan(actor=org.chief.user, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.revision == 1 and plan.return_comment == ""

    with pytest.raises(ValidationError, match="reason"):
        services.reopen_plan(actor=org.staff.user, plan=plan, reason="")
    services.reopen_plan(actor=org.staff.user, plan=plan, reason="New programme from June")
    services.add_rhk(actor=org.staff.user, plan=plan, kind="tambahan", text="Vaccination campaign")
    new = plan.rhks.get(kind="tambahan")
    services.add_iki(actor=org.staff.user, rhk=new, text="Campaign held", aspect="qualitative",
                     target_text="Held in every village")
    services.submit_plan(actor=org.staff.user, plan=plan)
    services.approve_plan(actor=org.chief.user, plan=plan)

    revisions = list(PlanRevision.objects.filter(plan=plan).order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert [r["kind"] for r in revisions[0].content["rhks"]] == ["utama"]
    assert len(revisions[0].content["rhks"][0]["ikis"]) == 2
    assert sorted(r["kind"] for r in revisions[1].content["rhks"]) == ["tambahan", "utama"]
    assert [e.action for e in plan.events.all()] == [
        "create", "submit", "return", "submit", "approve", "reopen", "submit", "approve"]


@pytest.mark.parametrize("status,action,label", [
    ("draft", "approve", "Draft"), ("draft", "return", "Draft"), ("draft", "reopen", "Draft"),
    ("submitted", "submit", "Submitted"), ("submitted", "reopen", "Submitted"),
    ("approved", "submit", "Approved"), ("approved", "approve", "Approved"), ("approved", "return", "Approved"),
    ("returned", "approve", "Returned with comments"), ("returned", "return", "Returned with comments"),
])
def test_illegal_transitions_are_refused_with_a_clear_error(org, status, action, label):
    year = open_year(org)
    plan = plan_with_indicators(org.staff, year, approve=False)
    SkpPlan.objects.filter(pk=plan.pk).update(status=status)
    calls = {
        "submit": lambda: services.submit_plan(actor=org.staff.user, plan=plan),
        "approve": lambda: services.approve_plan(actor=org.chief.user, plan=plan),
        "return": lambda: services.return_plan(actor=org.chief.user, plan=plan, comment="Fix it"),
        "reopen": lambda: services.reopen_plan(actor=org.staff.user, plan=plan, reason="Because"),
    }
    with pytest.raises(ValidationError) as error:
        calls[action]()
    assert error.value.message_dict["status"] == [f"Cannot {action} a plan that is {label}."]
    plan.refresh_from_db()
    assert plan.status == status


def test_submit_needs_a_main_rhk_and_an_indicator_on_every_rhk(org):
    year = open_year(org)
    plan = services.create_plan(actor=org.staff.user, employee=org.staff, appraisal_year=year)
    with pytest.raises(ValidationError, match="main"):
        services.submit_plan(actor=org.staff.user, plan=plan)
    services.add_rhk(actor=org.staff.user, plan=plan, kind="utama", text="Reports filed")
    with pytest.raises(ValidationError, match="no indicator"):
        services.submit_plan(actor=org.staff.user, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_roles_in_the_state_machine(org):
    year = open_year(org)
    plan = plan_with_indicators(org.staff, year, approve=False)
    with pytest.raises(PermissionDenied):
        services.submit_plan(actor=org.chief.user, plan=plan)
    services.submit_plan(actor=org.staff.user, plan=plan)
    for intruder in (org.staff.user, org.staff2.user, org.head.user, org.hr, org.leadership):
        with pytest.raises(PermissionDenied):
            services.approve_plan(actor=intruder, plan=plan)
    with pytest.raises(PermissionDenied):
        services.add_rhk(actor=org.chief.user, plan=plan, kind="utama", text="Not mine to write")


def test_a_submitted_or_approved_plan_cannot_be_edited(org):
    year = open_year(org)
    plan = plan_with_indicators(org.staff, year)
    rhk = plan.rhks.get()
    with pytest.raises(ValidationError, match="reopen it"):
        services.add_rhk(actor=org.staff.user, plan=plan, kind="utama", text="Sneaked in")
    with pytest.raises(ValidationError, match="reopen it"):
        services.remove_iki(actor=org.staff.user, iki=rhk.ikis.get())


def test_indicator_targets_are_validated_by_aspect(org):
    year = open_year(org)
    plan = services.create_plan(actor=org.staff.user, employee=org.staff, appraisal_year=year)
    rhk = services.add_rhk(actor=org.staff.user, plan=plan, kind="utama", text="Result")
    cases = [
        (dict(text="x", aspect="qualitative"), "target_text"),
        (dict(text="x", aspect="quantity", target_value="", target_unit="docs"), "target_value"),
        (dict(text="x", aspect="quantity", target_value="ten", target_unit="docs"), "target_value"),
        (dict(text="x", aspect="cost", target_value="-5", target_unit="rupiah"), "target_value"),
        (dict(text="x", aspect="time", target_value="5"), "target_unit"),
        (dict(text="x", aspect="speed", target_value="5", target_unit="docs"), "aspect"),
        (dict(text=" ", aspect="quantity", target_value="5", target_unit="docs"), "text"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as error:
            services.add_iki(actor=org.staff.user, rhk=rhk, **kwargs)
        assert field in error.value.message_dict, kwargs
    assert not rhk.ikis.exists()


def test_indicator_templates_per_agency_type(org):
    assert agency_type_for_unit(org.health) == "health"
    assert agency_type_for_unit(org.education) == "education"
    health = {t.text for t in indicator_templates("health")}
    assert {"Health services delivered", "Citizen satisfaction index"} <= {str(t) for t in health}
    assert any("exam" in str(t.text) for t in indicator_templates("education"))
    assert any("on_time" in t.code or "on-time" in t.code for t in indicator_templates("public_service"))

    year = open_year(org)
    plan = services.create_plan(actor=org.staff.user, employee=org.staff, appraisal_year=year)
    rhk = services.add_rhk(actor=org.staff.user, plan=plan, kind="utama", text="Better services")
    iki = services.add_iki(actor=org.staff.user, rhk=rhk, template_code="health-satisfaction", target_value="85")
    assert (iki.text, iki.aspect, iki.target_unit, iki.template_code) == (
        "Citizen satisfaction index", "quality", "index points", "health-satisfaction")
    with pytest.raises(ValidationError, match="Unknown indicator template"):
        services.add_iki(actor=org.staff.user, rhk=rhk, template_code="nope", target_value="1")


def test_cascading_links_only_to_the_appraisers_rhk_of_the_same_year(org):
    year = open_year(org)
    chief_plan = plan_with_indicators(org.chief, year, text="Section goal")
    chief_rhk = chief_plan.rhks.get()
    staff_plan = plan_with_indicators(org.staff, year, parent=chief_rhk)
    staff_rhk = staff_plan.rhks.get()
    assert staff_rhk.parent == chief_rhk
    assert list(selectors.supporting_rhks(chief_rhk)) == [staff_rhk]
    assert list(selectors.cascade_options(staff_plan)) == [chief_rhk]

    teacher_plan = plan_with_indicators(org.teacher, year)
    staff2_plan = services.create_plan(actor=org.staff2.user, employee=org.staff2, appraisal_year=year)
    with pytest.raises(ValidationError) as error:
        services.add_rhk(actor=org.staff2.user, plan=staff2_plan, kind="utama", text="x",
                         parent=teacher_plan.rhks.get())
    assert "parent" in error.value.message_dict
    with pytest.raises(ValidationError):  # a colleague's RHK is not the appraiser's
        services.add_rhk(actor=org.staff2.user, plan=staff2_plan, kind="utama", text="x", parent=staff_rhk)
    other_year = open_year(org, 2027)
    later = services.create_plan(actor=org.staff2.user, employee=org.staff2, appraisal_year=other_year)
    with pytest.raises(ValidationError):
        services.add_rhk(actor=org.staff2.user, plan=later, kind="utama", text="x", parent=chief_rhk)
    services.reopen_plan(actor=org.chief.user, plan=chief_plan, reason="change")
    with pytest.raises(ValidationError, match="cascade"):
        services.remove_rhk(actor=org.chief.user, rhk=chief_rhk)


def test_who_sees_which_plans(org):
    year = open_year(org)
    plans = {name: plan_with_indicators(getattr(org, name), year, approve=False)
             for name in ("chief", "staff", "staff2", "teacher")}

    def seen(user):
        return {p.employee.full_name for p in selectors.visible_plans(user)}

    assert seen(org.staff.user) == {"Staf Satu"}
    assert seen(org.chief.user) == {"Kepala Seksi", "Staf Satu", "Staf Dua"}
    assert seen(org.head.user) == {"Kepala Seksi"}
    assert seen(org.edu_head.user) == {"Guru"}
    for reader in (org.hr, org.leadership, org.auditor):
        assert seen(reader) == {"Kepala Seksi", "Staf Satu", "Staf Dua", "Guru"}
    with pytest.raises(SkpPlan.DoesNotExist):
        selectors.plan_for(org.staff2.user, plans["staff"].pk)
    with pytest.raises(PermissionDenied):
        services.add_rhk(actor=org.leadership, plan=plans["staff"], kind="utama", text="read-only role")
