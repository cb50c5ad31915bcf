"""Applications and their documents: applying while registration is open, uploading the documents the
opening asks for, and HR's administrative check of each document."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record_change, snapshot
from kinerja.recruitment.models import (
    Applicant,
    Application,
    ApplicationDocument,
    Opening,
    OpeningStatus,
    ReviewStatus,
)
from kinerja.recruitment.selectors import documents_under_review
from kinerja.recruitment.services.access import require_hr
from kinerja.recruitment.services.selection import back_to_active, current_stage
from kinerja.region import facts

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
DOCUMENT_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png")


@transaction.atomic
def apply(*, applicant: Applicant, opening: Opening, now=None) -> Application:
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    today = facts.today(now)
    if opening.status != OpeningStatus.OPEN or not (opening.registration_opens <= today <= opening.registration_closes):
        raise ValidationError({"opening": [_("Registration for this opening is not open.")]})
    if Application.objects.filter(opening=opening, applicant=applicant).exists():
        raise ValidationError({"opening": [_("You have already applied for this opening.")]})
    count = Application.objects.filter(opening=opening).count()
    application = Application.objects.create(opening=opening, applicant=applicant,
                                             number=f"{opening.code.upper()}-{count + 1:05d}")
    record_change(actor=None, action="recruitment.application.submitted", target=application,
                  after={"opening": opening.code, "applicant": applicant.email, "number": application.number})
    return application


def registration_open(opening: Opening, now=None) -> bool:
    return opening.status == OpeningStatus.OPEN and \
        opening.registration_opens <= facts.today(now) <= opening.registration_closes


@transaction.atomic
def upload_document(*, applicant: Applicant, application: Application, name: str, uploaded_file,
                    now=None) -> ApplicationDocument:
    """Upload (or replace) one of the opening's required documents while registration is open."""
    if application.applicant_id != applicant.pk:
        raise PermissionDenied
    opening = application.opening
    if not registration_open(opening, now):
        raise ValidationError({"file": [_("Documents can only be uploaded while registration is open.")]})
    if name not in opening.documents_required:
        raise ValidationError({"name": [_("%s is not one of the documents this opening asks for.") % name]})
    filename = getattr(uploaded_file, "name", "") or ""
    if not filename.lower().endswith(DOCUMENT_EXTENSIONS):
        raise ValidationError({"file": [_("Upload a PDF, JPG or PNG file.")]})
    if uploaded_file.size > MAX_DOCUMENT_BYTES:
        raise ValidationError({"file": [_("The file is larger than %d MB.") % (MAX_DOCUMENT_BYTES // (1024 * 1024))]})
    document = ApplicationDocument.objects.filter(application=application, name=name).first()
    if document is None:
        document = ApplicationDocument(application=application, name=name)
    elif document.file:
        document.file.delete(save=False)
    document.file = uploaded_file
    document.original_name = filename.rsplit("/", 1)[-1][:255]
    document.review_status, document.review_reason, document.reviewed_by, document.reviewed_at = \
        ReviewStatus.PENDING, "", None, None
    document.save()
    return document


@transaction.atomic
def review_document(document: ApplicationDocument, *, actor, accepted: bool, reason: str = "") -> ApplicationDocument:
    """HR's administrative check of one document; a rejection needs a reason the applicant will read."""
    require_hr(actor)
    document = ApplicationDocument.objects.select_for_update().select_related("application__opening").get(pk=document.pk)
    if not documents_under_review(document.application.opening):
        raise ValidationError({"document": [_("Documents are checked during the administrative stage.")]})
    stage = current_stage(document.application.opening)
    reason = (reason or "").strip()
    if not accepted and not reason:
        raise ValidationError({"reason": [_("Say why the document is rejected.")]})
    before = snapshot(document, ["review_status", "review_reason"])
    document.review_status = ReviewStatus.ACCEPTED if accepted else ReviewStatus.REJECTED
    document.review_reason = reason
    document.reviewed_by, document.reviewed_at = actor, timezone.now()
    document.save()
    back_to_active(stage)
    record_change(actor=actor, action="recruitment.document.reviewed", target=document, before=before,
                  after=snapshot(document, ["review_status", "review_reason"]), reason=reason)
    return document
