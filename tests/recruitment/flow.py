"""The 50 applicants of the end-to-end flows and the steps that drive an opening through its stages.

Applicant n registers as pelamar{n}@example.id and gets registration number <CODE>-000nn. Scores are
written out below so the expected rankings in the tests can be checked by hand:

SKD (TWK/TIU/TKP; passing grades 65/80/166; the first 12 are the contenders):
    1: 100/120/190 = 410    2: 95/110/200 = 405     3: 90/115/200 = 405 (ties 2, higher TIU)
    4: 110/100/190 = 400    5: 80/120/195 = 395     6: 85/110/200 = 395 (ties 5, higher TKP)
    7: 70/100/220 = 390     8: 100/100/185 = 385    9: 75/95/210 = 380
    10: 90/90/195 = 375     11: 64/150/220 = 434 (fails TWK)   12: 80/85/205 = 370
    13-50: each fails one passing grade.
SKB (CAT 60% / extra test 40%):
    1: 70/70 = 70       2: 85/80 = 83       3: 80/75 = 78       4: 80/80 = 80       5: 90/60 = 78
    6: 75/85 = 79       7: 82.02/80 = 81.212 (final ties 4; 4 has the higher SKD)     8: 65/65 = 65
    9: 78/80 = 78.8
"""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.recruitment.models import Application, ApplicationDocument, StageResult
from kinerja.recruitment.services.applicants import register_applicant
from kinerja.recruitment.services.applications import apply, review_document, upload_document
from kinerja.recruitment.services.scoring import enter_scores
from tests.recruitment.conftest import APPLICANT_PASSWORD, OPEN_DAY

TZ = datetime.timezone(datetime.timedelta(hours=7))
APPLY_TIME = datetime.datetime(2026, 3, 5, 10, 0, tzinfo=TZ)

SKD = {1: (100, 120, 190), 2: (95, 110, 200), 3: (90, 115, 200), 4: (110, 100, 190), 5: (80, 120, 195),
       6: (85, 110, 200), 7: (70, 100, 220), 8: (100, 100, 185), 9: (75, 95, 210), 10: (90, 90, 195),
       11: (64, 150, 220), 12: (80, 85, 205)}
SKB = {1: ("70", "70"), 2: ("85", "80"), 3: ("80", "75"), 4: ("80", "80"), 5: ("90", "60"), 6: ("75", "85"),
       7: ("82.02", "80"), 8: ("65", "65"), 9: ("78", "80")}
SKB_CAT, SKB_EXTRA = "CAT SKB", "Tes tambahan (praktik kerja/wawancara)"


def skd_scores(n: int) -> dict:
    if n in SKD:
        twk, tiu, tkp = SKD[n]
    else:  # everyone else misses exactly one passing grade
        twk, tiu, tkp = [(60, 100, 180), (90, 75, 180), (90, 100, 160)][n % 3]
    return {"TWK": twk, "TIU": tiu, "TKP": tkp}


def number(opening, n: int) -> str:
    return f"{opening.code.upper()}-{n:05d}"


def day(offset: int, hour: int = 10) -> datetime.datetime:
    """A moment `offset` days after registration closes, in the region's time (WIB)."""
    return datetime.datetime.combine(OPEN_DAY + datetime.timedelta(days=15 + offset), datetime.time(hour), tzinfo=TZ)


def register_and_apply(opening, count: int = 50, *, skip_document: dict | None = None) -> dict[int, Application]:
    """Applicants 1..count register, apply and upload every required document (except those in
    skip_document: {n: document name})."""
    skip_document = skip_document or {}
    applications = {}
    for n in range(1, count + 1):
        applicant = register_applicant(
            email=f"pelamar{n}@example.id", password=APPLICANT_PASSWORD, full_name=f"Pelamar {n:02d}",
            birth_date=datetime.date(1995, 1 + n % 12, 1 + n % 28), gender="M" if n % 2 else "F")
        application = apply(applicant=applicant, opening=opening, now=APPLY_TIME)
        for name in opening.documents_required:
            if skip_document.get(n) == name:
                continue
            upload_document(applicant=applicant, application=application, name=name, now=APPLY_TIME,
                            uploaded_file=SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4 " + name.encode()))
        applications[n] = application
    return applications


def review_all(org, applications, *, reject: dict | None = None) -> None:
    """HR accepts every document except those in reject: {n: (document, reason)}."""
    reject = reject or {}
    for n, application in applications.items():
        for document in ApplicationDocument.objects.filter(application=application):
            if n in reject and reject[n][0] == document.name:
                review_document(document, actor=org.hr, accepted=False, reason=reject[n][1])
            else:
                review_document(document, actor=org.hr, accepted=True)


def enter_system_scores(org, stage, applications, scores_of) -> None:
    for result in StageResult.objects.filter(stage=stage).select_related("application"):
        n = next(k for k, a in applications.items() if a.pk == result.application_id)
        enter_scores(stage, result.application, actor=org.hr, scores=scores_of(n))


def skb_scores(n: int) -> dict:
    cat, extra = SKB[n]
    return {SKB_CAT: cat, SKB_EXTRA: extra}


def ranking(stage) -> list[str]:
    """Registration numbers in rank order, with the outcome: ["X-00001 passed", ...]."""
    return [f"{r.application.number} {r.outcome}" for r in
            StageResult.objects.filter(stage=stage).select_related("application").order_by("rank", "application__number")]


def numbers_in_rank_order(stage, outcome: str | None = None) -> list[str]:
    results = StageResult.objects.filter(stage=stage).select_related("application").order_by("rank", "application__number")
    return [r.application.number for r in results if outcome is None or r.outcome == outcome]


def score(stage, application) -> Decimal:
    return StageResult.objects.get(stage=stage, application=application).score
