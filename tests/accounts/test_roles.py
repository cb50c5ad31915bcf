"""Roles granted and revoked with a reason, audited; only HR grants; the last HR admin stays."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from kinerja.accounts.capabilities import has
from kinerja.accounts.models import Role, RoleGrant
from kinerja.audit.models import AuditEntry
from kinerja.logins import services

from tests.helpers import english_client

pytestmark = pytest.mark.django_db


def test_an_employee_granted_hr_admin_keeps_their_own_appraisal(org):
    user = org.chief.user
    services.grant_role(actor=org.hr, user=user, role=Role.HR_ADMIN, reason="Second HR admin for maker-checker")
    user.refresh_from_db()
    assert has(user, "pay.run.approve") and has(user, "appraisal.take_part")
    grant = RoleGrant.objects.get(user=user, role=Role.HR_ADMIN)
    assert grant.granted_by == org.hr and grant.reason.startswith("Second")
    entry = AuditEntry.objects.get(action="accounts.role.grant", target_id=str(user.pk))
    assert entry.reason == grant.reason and entry.after == {"roles": [Role.HR_ADMIN]}

    services.revoke_role(actor=org.hr, user=user, role=Role.HR_ADMIN, reason="Moved to another post")
    user.refresh_from_db()
    assert not has(user, "pay.run.approve") and has(user, "appraisal.take_part")
    grant.refresh_from_db()
    assert grant.revoked_by == org.hr and grant.revoke_reason == "Moved to another post"


def test_a_reason_is_required_and_only_grantable_roles(org):
    with pytest.raises(ValidationError) as refused:
        services.grant_role(actor=org.hr, user=org.staff.user, role=Role.AUDITOR, reason="  ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.grant_role(actor=org.hr, user=org.staff.user, role=Role.OPERATOR, reason="why not")
    assert "role" in refused.value.message_dict


def test_an_employee_cannot_grant_roles(org):
    for actor in (org.staff.user, org.head.user, org.leadership, org.auditor):
        with pytest.raises(PermissionDenied):
            services.grant_role(actor=actor, user=actor, role=Role.HR_ADMIN, reason="me")
    page = english_client(org.region, org.staff.user).post(
        f"/logins/{org.staff.user.pk}/roles/grant/", {"role": Role.HR_ADMIN, "reason": "me"})
    assert page.status_code == 403
    api = english_client(org.region, org.staff.user).post(
        f"/api/v1/logins/{org.staff.user.pk}/grant/", {"role": Role.HR_ADMIN, "reason": "me"},
        content_type="application/json")
    assert api.status_code == 403
    org.staff.user.refresh_from_db()
    assert org.staff.user.roles == {Role.EMPLOYEE}


def test_the_last_hr_admin_cannot_lose_the_role(org):
    from django.contrib.auth import get_user_model

    # only org.hr and the onboarded admin are HR admins in region A
    others = get_user_model().objects.filter(role=Role.HR_ADMIN).exclude(pk=org.hr.pk)
    services.revoke_role(actor=org.hr, user=others.get(), role=Role.HR_ADMIN, reason="left BKPSDM")
    with pytest.raises(ValidationError, match="last HR admin"):
        services.revoke_role(actor=org.hr, user=org.hr, role=Role.HR_ADMIN, reason="oops")


def test_grant_through_the_page_and_the_menu_follows(org):
    hr = english_client(org.region, org.hr)
    response = hr.post(f"/logins/{org.teacher.user.pk}/roles/grant/", {"role": Role.AUDITOR, "reason": "Inspektorat"})
    assert response.status_code == 302
    page = hr.get(f"/logins/{org.teacher.user.pk}/")
    assert b"Inspektorat" in page.content
    teacher = english_client(org.region, org.teacher.user)
    assert b'data-nav="audit"' in teacher.get("/dashboard/").content
