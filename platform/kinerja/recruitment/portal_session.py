"""The applicant's sign-in on the job portal, kept in the session under a key of its own (never a staff
login). The key names the region's schema too, so a session can never be read as another region's
applicant."""
from __future__ import annotations

from django.db import connection

from kinerja.recruitment.models import Applicant
from kinerja.recruitment.services.applicants import record_sign_in

APPLICANT_SESSION_KEY = "recruitment_applicant"


def sign_in_applicant(request, applicant: Applicant) -> None:
    """Start the applicant's portal session."""
    request.session.cycle_key()
    request.session[APPLICANT_SESSION_KEY] = {"id": applicant.pk, "schema": connection.schema_name}
    record_sign_in(applicant)


def sign_out_applicant(request) -> None:
    request.session.pop(APPLICANT_SESSION_KEY, None)
    request.session.cycle_key()


def current_applicant(request) -> Applicant | None:
    """The applicant signed in to this region's portal, from the portal's own session key."""
    data = request.session.get(APPLICANT_SESSION_KEY) if hasattr(request, "session") else None
    if not isinstance(data, dict) or data.get("schema") != connection.schema_name:
        return None
    return Applicant.objects.filter(pk=data.get("id")).first()
