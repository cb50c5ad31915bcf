"""Kota Tebingtinggi's CPNS flow for a managerial post end to end: the national stages plus Tebingtinggi's
psychological test, managerial panel interview (three assessors, averaged) and clarification session,
50 applicants for 3 posts, a clarification that corrects a score and re-ranks, then hiring with the
onboarding courses Tebingtinggi gives new hires (service ethics, administration)."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.accounts.models import Role
from kinerja.people.models import Employee, EmployeeStatus
from kinerja.recruitment import selectors
from kinerja.recruitment.models import Application, ApplicationStatus, Hire, StageKind, StagePublication, StageResult
from kinerja.recruitment.services.hiring import hire
from kinerja.recruitment.services.objections import decide_objection, file_objection
from kinerja.recruitment.services.openings import publish_opening
from kinerja.recruitment.services.publication import publish_stage
from kinerja.recruitment.services.ranking import compute_stage
from kinerja.recruitment.services.scoring import assign_assessor, save_score_sheet
from kinerja.recruitment.services.selection import advance, close_registration, included_stages
from kinerja.recruitment.services.stages import move_stage, set_stage_included
from tests.helpers import make_user
from tests.recruitment.flow import (
    SKB_EXTRA,
    day,
    enter_system_scores,
    number,
    numbers_in_rank_order,
    register_and_apply,
    review_all,
    score,
    skb_scores,
    skd_scores,
)

ONBOARDING = ["TEK-PELAYANAN", "TEK-ARSIP"]  # Etika dan Standar Pelayanan Publik; Tata Naskah Dinas dan Kearsipan


def _panel_scores(n: int) -> list[dict]:
    """Three assessors' scores (vision, leadership, integrity). Averages: 80/75/85 (79.5), or 65 for 9."""
    if n == 9:
        rows = [(60, 60, 60), (65, 65, 65), (70, 70, 70)]
    else:
        rows = [(80, 75, 85), (70, 80, 90), (90, 70, 80)]
    names = ("Visi dan rencana kerja", "Kepemimpinan", "Integritas")
    return [dict(zip(names, row)) for row in rows]


def test_pipeline_adds_tebingtinggi_stages_and_hr_can_drop_or_reorder_optional_ones(tebingtinggi):
    org = tebingtinggi
    managerial = org.opening(code="cpns-kabid-2026", managerial=True, position=org.manager_position, posts=1)
    assert [(s.name, s.plugin_order, s.included) for s in managerial.stages.order_by("sequence")] == [
        ("Seleksi Administrasi", 10, True), ("Seleksi Kompetensi Dasar (SKD)", 20, True),
        ("Seleksi Kompetensi Bidang (SKB)", 30, True), ("Tes Psikologi", 35, True),
        ("Wawancara Panel Jabatan Manajerial", 36, True), ("Integrasi Nilai SKD dan SKB", 40, True),
        ("Pengumuman Akhir", 50, True), ("Sesi Klarifikasi Hasil", 60, True)]
    panel = managerial.stages.get(name__startswith="Wawancara Panel")
    assert (panel.kind, panel.threshold, panel.tie_breaks) == (StageKind.SCORED, Decimal("70.000"), ["Integritas"])
    assert managerial.stages.get(name="Sesi Klarifikasi Hasil").kind == StageKind.NOTICE

    # A post that is not managerial leaves the optional panel out; HR can put it back or drop it again.
    plain = org.opening(code="cpns-analis-2026")
    panel = plain.stages.get(name__startswith="Wawancara Panel")
    assert not panel.included
    set_stage_included(panel, actor=org.hr, included=True)
    set_stage_included(panel, actor=org.hr, included=False)
    skd = plain.stages.get(name__contains="(SKD)")
    with pytest.raises(ValidationError, match="not optional"):
        set_stage_included(skd, actor=org.hr, included=False)
    # Moving the psychological test before SKB is fine; moving integration before SKB is refused on publishing.
    psych = plain.stages.get(name="Tes Psikologi")
    move_stage(psych, actor=org.hr, up=True)
    assert [s.name for s in included_stages(plain)][2:4] == ["Tes Psikologi", "Seleksi Kompetensi Bidang (SKB)"]
    integration = plain.stages.get(name__startswith="Integrasi")
    move_stage(integration, actor=org.hr, up=True)  # over the dropped panel
    move_stage(integration, actor=org.hr, up=True)  # over SKB
    with pytest.raises(ValidationError, match="must be included and come before it"):
        publish_opening(plain, actor=org.hr)
    move_stage(integration, actor=org.hr, up=False)
    publish_opening(plain, actor=org.hr)
    with pytest.raises(ValidationError, match="only change while the opening is a draft"):
        move_stage(psych, actor=org.hr, up=False)
    with pytest.raises(PermissionDenied):
        move_stage(psych, actor=make_user(org.region, Role.AUDITOR, username="auditor-x"), up=False)


def test_tebingtinggi_flow_end_to_end(tebingtinggi):
    from kinerja.training.services import sync_catalog

    org = tebingtinggi
    opening = org.opening(code="cpns-kabid-2026", managerial=True, position=org.manager_position,
                          onboarding=ONBOARDING)
    publish_opening(opening, actor=org.hr)
    admin, skd, skb, psych, panel, integration, final, clarification = included_stages(opening)
    apps = register_and_apply(opening, skip_document={50: "KTP"})

    close_registration(opening, actor=org.hr)
    review_all(org, apps)
    compute_stage(admin, actor=org.hr)
    assert numbers_in_rank_order(admin, "failed") == [number(opening, 50)]
    publish_stage(admin, actor=org.hr, now=day(0))
    advance(opening, actor=org.hr, now=day(4))

    enter_system_scores(org, skd, apps, skd_scores)
    compute_stage(skd, actor=org.hr)
    assert numbers_in_rank_order(skd, "passed") == [number(opening, n) for n in (1, 3, 2, 4, 6, 5, 7, 8, 9)]
    publish_stage(skd, actor=org.hr, now=day(5))
    advance(opening, actor=org.hr, now=day(5))
    enter_system_scores(org, skb, apps, skb_scores)
    compute_stage(skb, actor=org.hr)
    publish_stage(skb, actor=org.hr, now=day(6))
    advance(opening, actor=org.hr, now=day(6))

    # --- psychological test: one psychologist, pass at 60 ---------------------------------------------
    psychologist = make_user(org.region, Role.EMPLOYEE, username="psikolog")
    with pytest.raises(ValidationError, match="Assign at least one assessor"):
        compute_stage(psych, actor=org.hr)
    assign_assessor(psych, psychologist, actor=org.hr)
    for result in StageResult.objects.filter(stage=psych).select_related("application"):
        value = 55 if result.application_id == apps[6].pk else 75
        save_score_sheet(psych, result.application, assessor=psychologist,
                         scores={"Asesmen psikologi": value}, submit=True)
    compute_stage(psych, actor=org.hr)
    assert numbers_in_rank_order(psych, "failed") == [number(opening, 6)]
    assert psych.results.filter(rank__isnull=False).count() == 0  # "tidak diperingkat"
    publish_stage(psych, actor=org.hr, now=day(7))
    advance(opening, actor=org.hr, now=day(7))

    # --- managerial panel: three assessors, averaged; none sees another's scores before submitting -------
    assessors = [make_user(org.region, Role.EMPLOYEE, username=f"panel-{i}") for i in range(3)]
    for assessor in assessors:
        assign_assessor(panel, assessor, actor=org.hr)
    candidates = StageResult.objects.filter(stage=panel).select_related("application")
    assert sorted(r.application.number for r in candidates) == [number(opening, n) for n in (1, 2, 3, 4, 5, 7, 8, 9)]
    for result in candidates:
        n = next(k for k, a in apps.items() if a.pk == result.application_id)
        for assessor, scores in zip(assessors, _panel_scores(n)):
            save_score_sheet(panel, result.application, assessor=assessor, scores=scores)
        first_view = selectors.assessor_view(assessors[1], panel, result.application)
        assert first_view["others"] == [] and first_view["others_hidden"]
        for assessor in assessors:
            save_score_sheet(panel, result.application, assessor=assessor, scores={}, submit=True)
        after = selectors.assessor_view(assessors[1], panel, result.application)
        assert {s.assessor_id for s in after["others"]} == {assessors[0].pk, assessors[2].pk}
    with pytest.raises(ValidationError, match="submitted"):
        save_score_sheet(panel, apps[1], assessor=assessors[0], scores={"Integritas": 100})
    compute_stage(panel, actor=org.hr)
    assert score(panel, apps[1]) == Decimal("79.500")
    assert numbers_in_rank_order(panel, "failed") == [number(opening, 9)]
    assert panel.results.get(application=apps[9]).reason_code == "below_threshold"
    publish_stage(panel, actor=org.hr, now=day(8))
    advance(opening, actor=org.hr, now=day(8))

    # --- integration and the final announcement -------------------------------------------------------
    compute_stage(integration, actor=org.hr)
    assert numbers_in_rank_order(integration) == [number(opening, n) for n in (2, 4, 7, 3, 5, 1, 8)]
    publish_stage(integration, actor=org.hr, now=day(9))
    advance(opening, actor=org.hr, now=day(9))
    compute_stage(final, actor=org.hr)
    publish_stage(final, actor=org.hr, now=day(10))
    advance(opening, actor=org.hr, now=day(14))

    # --- clarification session: a score correction re-ranks and re-publishes ----------------------------
    compute_stage(clarification, actor=org.hr)
    assert numbers_in_rank_order(clarification, "passed") == [number(opening, n) for n in (2, 4, 7)]
    publish_stage(clarification, actor=org.hr, now=day(15))
    request = file_objection(applicant=apps[3].applicant, application=apps[3], stage=clarification,
                             reason="Please explain my SKB practical test score.", now=day(19))
    decide_objection(request, actor=org.hr, accept=True, reason="Practical test re-marked: 95.",
                     corrections={"stage": skb.pk, "scores": {SKB_EXTRA: "95"}})
    assert numbers_in_rank_order(integration, "passed") == [number(opening, n) for n in (3, 2, 4)]
    for stage in (final, clarification):
        latest = StagePublication.objects.filter(stage=stage).order_by("-version").first()
        assert latest.version == 2 and "objection" in latest.note
        assert [row["number"] for row in latest.rows if row["outcome"] == "passed"] == \
            [number(opening, n) for n in (3, 2, 4)]
    with pytest.raises(ValidationError, match="objection window"):
        file_objection(applicant=apps[7].applicant, application=apps[7], stage=clarification,
                       reason="I was selected before the correction.", now=day(21))
    advance(opening, actor=org.hr, now=day(21))

    # --- hiring, with the onboarding courses enrolled in the training module ------------------------------
    sync_catalog(actor=org.hr)
    hires = hire(opening, actor=org.hr, start=datetime.date(2026, 6, 1))
    assert [h.application.number for h in hires] == [number(opening, n) for n in (3, 2, 4)]
    for made in Hire.objects.filter(application__opening=opening):
        assert [(c["code"], c["status"]) for c in made.onboarding] == [("TEK-PELAYANAN", "enrolled"),
                                                                       ("TEK-ARSIP", "enrolled")]
        assert made.onboarding[0]["title"] == "Etika dan Standar Pelayanan Publik"
    from kinerja.training.models import Enrolment

    employees = Employee.objects.filter(pk__in=[h.employee_id for h in hires])
    assert set(employees.values_list("status", "position_id")) == {(EmployeeStatus.CANDIDATE, org.manager_position.pk)}
    assert Enrolment.objects.filter(employee__in=employees).count() == 6
    assert Application.objects.filter(opening=opening, status=ApplicationStatus.HIRED).count() == 3
