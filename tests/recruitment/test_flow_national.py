"""The national CPNS flow end to end: 50 applicants for 3 posts through the administrative check (with
sanggah), SKD, SKB, integration and the final announcement (with sanggah), then hiring. Expected
rankings are written out from the scores in tests/recruitment/flow.py."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kinerja.audit.models import AuditEntry
from kinerja.people.models import Employee, EmployeeStatus
from kinerja.recruitment.models import (
    Application,
    ApplicationStatus,
    ObjectionStatus,
    OpeningStatus,
    StageKind,
    StagePublication,
)
from kinerja.recruitment.services.hiring import hire
from kinerja.recruitment.services.objections import decide_objection, file_objection
from kinerja.recruitment.services.openings import publish_opening
from kinerja.recruitment.services.publication import publish_stage
from kinerja.recruitment.services.ranking import compute_stage
from kinerja.recruitment.services.selection import advance, close_registration, included_stages
from tests.recruitment.flow import (
    SKB_EXTRA,
    TZ,
    day,
    enter_system_scores,
    number,
    numbers_in_rank_order,
    ranking,
    register_and_apply,
    review_all,
    score,
    skb_scores,
    skd_scores,
)


def test_pipeline_comes_from_the_national_plugin(national):
    opening = national.opening()
    stages = list(opening.stages.order_by("sequence"))
    assert [(s.name, s.kind, s.plugin_name) for s in stages] == [
        ("Seleksi Administrasi", StageKind.ADMINISTRATIVE, "kinerja-recruitment-national"),
        ("Seleksi Kompetensi Dasar (SKD)", StageKind.SCORED, "kinerja-recruitment-national"),
        ("Seleksi Kompetensi Bidang (SKB)", StageKind.SCORED, "kinerja-recruitment-national"),
        ("Integrasi Nilai SKD dan SKB", StageKind.COMPUTED, "kinerja-recruitment-national"),
        ("Pengumuman Akhir", StageKind.ANNOUNCEMENT, "kinerja-recruitment-national"),
    ]
    admin, skd, skb, integration, final = stages
    assert [c["passing_grade"] for c in skd.components] == ["65", "80", "166"]
    assert skd.advance_per_post == 3 and skd.tie_breaks == ["TKP", "TIU", "TWK"]
    assert [(c["source"], c["weight"]) for c in integration.components] == [(skd.name, "40"), (skb.name, "60")]
    assert integration.advance_per_post == 1 and integration.tie_breaks == [skd.name]
    assert (admin.objection_window_days, final.objection_window_days) == (3, 3)


def test_national_cpns_flow_end_to_end(national):
    org = national
    opening = org.opening()
    publish_opening(opening, actor=org.hr)
    admin, skd, skb, integration, final = included_stages(opening)
    apps = register_and_apply(opening, skip_document={48: "Transkrip nilai"})
    assert Application.objects.filter(opening=opening).count() == 50

    # --- administrative check with sanggah ---------------------------------------------------------
    close_registration(opening, actor=org.hr)
    review_all(org, apps, reject={49: ("Ijazah", "Programme not accredited"), 50: ("KTP", "Photo unreadable")})
    compute_stage(admin, actor=org.hr)
    failed = [n for n in numbers_in_rank_order(admin, "failed")]
    assert failed == [number(opening, 48), number(opening, 49), number(opening, 50)]
    publish_stage(admin, actor=org.hr, now=day(0))
    admin.refresh_from_db()
    assert admin.objection_deadline == datetime.datetime(2026, 3, 20, 23, 59, 59, tzinfo=TZ)  # day 0 + 3, local

    objection_49 = file_objection(applicant=apps[49].applicant, application=apps[49], stage=admin,
                                  reason="My programme is accredited B; certificate attached.", now=day(1))
    objection_50 = file_objection(applicant=apps[50].applicant, application=apps[50], stage=admin,
                                  reason="The KTP photo is readable on the original.", now=day(2))
    with pytest.raises(ValidationError, match="may be filed until"):
        advance(opening, actor=org.hr, now=day(2))
    with pytest.raises(ValidationError, match="objection window"):
        file_objection(applicant=apps[48].applicant, application=apps[48], stage=admin,
                       reason="I will send my transcript later.", now=day(4))
    with pytest.raises(ValidationError, match="open objection"):
        advance(opening, actor=org.hr, now=day(4))
    decide_objection(objection_49, actor=org.hr, accept=True, reason="Accreditation confirmed with BAN-PT.")
    decide_objection(objection_50, actor=org.hr, accept=False, reason="The uploaded KTP is unreadable.")
    republished = StagePublication.objects.filter(stage=admin).order_by("-version").first()
    assert republished.version == 2
    assert {row["number"]: row["outcome"] for row in republished.rows}[number(opening, 49)] == "passed"
    assert set(republished.rows[0]) == {"number", "name", "outcome"}
    assert AuditEntry.objects.filter(action="recruitment.objection.accepted", target_id=str(objection_49.pk)).exists()
    assert AuditEntry.objects.filter(action="recruitment.objection.rejected", target_id=str(objection_50.pk)).exists()
    advance(opening, actor=org.hr, now=day(4))

    # --- SKD: passing grades per sub-test, 3 x posts go on, ties by TKP then TIU ---------------------
    assert skd.results.count() == 48
    enter_system_scores(org, skd, apps, skd_scores)
    compute_stage(skd, actor=org.hr)
    assert numbers_in_rank_order(skd, "passed") == [number(opening, n) for n in (1, 3, 2, 4, 6, 5, 7, 8, 9)]
    assert ranking(skd)[9:12] == [f"{number(opening, 10)} failed", f"{number(opening, 12)} failed",
                                  f"{number(opening, 11)} failed"]
    assert skd.results.get(application=apps[10]).reason_code == "outside_quota"
    assert skd.results.get(application=apps[11]).reason_code == "below_passing_grade"
    assert skd.results.get(application=apps[11]).reason_detail == "TWK"
    assert score(skd, apps[1]) == Decimal("74.545")  # 410 / 550 x 100
    publish_stage(skd, actor=org.hr, now=day(5))
    with pytest.raises(ValidationError, match="objection window"):
        file_objection(applicant=apps[10].applicant, application=apps[10], stage=skd,
                       reason="I should have been within the quota.", now=day(5))
    advance(opening, actor=org.hr, now=day(5))
    assert Application.objects.get(pk=apps[10].pk).status == ApplicationStatus.ELIMINATED

    # --- SKB and integration (40% SKD on 100 + 60% SKB, ties to the higher SKD) ------------------------
    enter_system_scores(org, skb, apps, skb_scores)
    compute_stage(skb, actor=org.hr)
    assert score(skb, apps[7]) == Decimal("81.212")
    publish_stage(skb, actor=org.hr, now=day(6))
    assert not StagePublication.objects.filter(stage=skb).exists()  # SKB is not announced on its own
    advance(opening, actor=org.hr, now=day(6))
    compute_stage(integration, actor=org.hr)
    assert numbers_in_rank_order(integration) == [number(opening, n) for n in (2, 4, 7, 3, 6, 5, 9, 1, 8)]
    assert numbers_in_rank_order(integration, "passed") == [number(opening, n) for n in (2, 4, 7)]
    assert score(integration, apps[4]) == score(integration, apps[7]) == Decimal("77.091")
    assert score(integration, apps[2]) == Decimal("79.254")
    publish_stage(integration, actor=org.hr, now=day(7))
    advance(opening, actor=org.hr, now=day(7))

    # --- final announcement with sanggah: a corrected SKB score re-ranks and re-publishes --------------
    compute_stage(final, actor=org.hr)
    publish_stage(final, actor=org.hr, now=day(10))
    first = StagePublication.objects.get(stage=final, version=1)
    assert [(row["number"], row["rank"], row["outcome"]) for row in first.rows] == [
        (number(opening, n), rank, "passed" if rank <= 3 else "failed")
        for rank, n in enumerate((2, 4, 7, 3, 6, 5, 9, 1, 8), start=1)]
    objection_3 = file_objection(applicant=apps[3].applicant, application=apps[3], stage=final,
                                 reason="My practical test score was 95, not 75.", now=day(11))
    with pytest.raises(ValidationError, match="did not take part"):
        file_objection(applicant=apps[10].applicant, application=apps[10], stage=final,
                       reason="I should have been selected.", now=day(11))
    objection_2 = file_objection(applicant=apps[2].applicant, application=apps[2], stage=final,
                                 reason="Please confirm my rank is correct.", now=day(12))
    decide_objection(objection_3, actor=org.hr, accept=True, reason="Score sheet re-checked: 95.",
                     corrections={"stage": skb.pk, "scores": {SKB_EXTRA: "95"}})
    decide_objection(objection_2, actor=org.hr, accept=False, reason="Your rank is correct.")
    assert score(skb, apps[3]) == Decimal("86.000")
    assert numbers_in_rank_order(integration) == [number(opening, n) for n in (3, 2, 4, 7, 6, 5, 9, 1, 8)]
    second = StagePublication.objects.get(stage=final, version=2)
    assert [(row["number"], row["rank"], row["outcome"]) for row in second.rows][:4] == [
        (number(opening, 3), 1, "passed"), (number(opening, 2), 2, "passed"), (number(opening, 4), 3, "passed"),
        (number(opening, 7), 4, "failed")]
    audit = AuditEntry.objects.get(action="recruitment.objection.accepted", target_id=str(objection_3.pk))
    assert audit.after["changes"]["ranks"]["Pengumuman Akhir"][number(opening, 3)] == [4, 1, "failed", "passed"]
    advance(opening, actor=org.hr, now=day(14))

    # --- hiring ----------------------------------------------------------------------------------------
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.FINISHED
    selected = Application.objects.filter(opening=opening, status=ApplicationStatus.SELECTED).order_by("final_rank")
    assert [a.number for a in selected] == [number(opening, n) for n in (3, 2, 4)]
    assert Application.objects.get(pk=apps[7].pk).status == ApplicationStatus.ELIMINATED
    hires = hire(opening, actor=org.hr, start=datetime.date(2026, 6, 1))
    employees = Employee.objects.filter(pk__in=[h.employee_id for h in hires]).order_by("full_name")
    assert [(e.full_name, e.status, e.employee_type, e.rank, e.unit_id) for e in employees] == [
        ("Pelamar 02", EmployeeStatus.CANDIDATE, "PNS", "III/a", org.unit.pk),
        ("Pelamar 03", EmployeeStatus.CANDIDATE, "PNS", "III/a", org.unit.pk),
        ("Pelamar 04", EmployeeStatus.CANDIDATE, "PNS", "III/a", org.unit.pk)]
    pelamar_3 = employees.get(full_name="Pelamar 03")
    assert pelamar_3.nip == "19950404" + "202606" + "1" + "001"  # born 1995-04-04, TMT June 2026, male, no. 1
    assert Application.objects.filter(opening=opening, status=ApplicationStatus.HIRED).count() == 3
    assert objection_3.__class__.objects.get(pk=objection_3.pk).status == ObjectionStatus.ACCEPTED
