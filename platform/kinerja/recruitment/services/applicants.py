"""Applicants' portal accounts: registration and password check. The portal's session (who is signed
in) is the interface's business: kinerja.recruitment.portal_session."""
from __future__ import annotations

import datetime

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.recruitment.models import Applicant
from kinerja.region import facts


@transaction.atomic
def register_applicant(*, email: str, password: str, full_name: str, birth_date: datetime.date, gender: str,
                       phone: str = "") -> Applicant:
    errors: dict[str, list[str]] = {}
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("%r is not an email address") % email]
    else:
        if Applicant.objects.filter(email=email).exists():
            errors["email"] = [_("an applicant with this email is already registered; sign in instead")]
    if not (full_name or "").strip():
        errors["full_name"] = [_("give your full name as on your identity card")]
    if gender not in ("M", "F"):
        errors["gender"] = [_("gender must be M or F")]
    if not isinstance(birth_date, datetime.date):
        errors["birth_date"] = [_("a birth date is needed")]
    elif birth_date > facts.today() - datetime.timedelta(days=17 * 365):
        errors["birth_date"] = [_("applicants must be at least 17 years old")]
    try:
        validate_password(password or "")
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    return Applicant.objects.create(email=email, password=make_password(password), full_name=full_name.strip(),
                                    birth_date=birth_date, gender=gender, phone=(phone or "").strip())


def authenticate_applicant(email: str, password: str) -> Applicant | None:
    """The applicant of this region with that email and password, or None."""
    applicant = Applicant.objects.filter(email=(email or "").strip().lower()).first()
    if applicant is None:
        make_password(password)  # same work as a real check, so timing does not tell who is registered
        return None
    return applicant if check_password(password, applicant.password) else None


def record_sign_in(applicant: Applicant) -> None:
    Applicant.objects.filter(pk=applicant.pk).update(last_login=timezone.now())
