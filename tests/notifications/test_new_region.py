"""A region onboarded through the operator's page, as a new user meets it: its first HR admin's dashboard
says what to do first; when the operator suspends the region the admin hears of it by e-mail and finds
it in the inbox once the region is open again; the operator's dashboard names the suspended region."""
import pytest
from django_tenants.utils import schema_context
from kinerja.accounts.models import Role, User
from kinerja.notifications.models import Notification

from tenants.models import Region
from tests.factories import make_login
from tests.helpers import english_client

pytestmark = pytest.mark.django_db


def test_new_region_from_onboarding_to_suspension_notice(mail):
    operator = make_login(Role.OPERATOR, "ops-new-region")
    ops = english_client(None, operator)
    onboarded = ops.post("/operator/regions/new/", {
        "name": "Kota Padang", "slug": "padangbaru", "kind": "kota", "region_code": "13.71",
        "province": "Sumatera Barat", "time_zone": "Asia/Jakarta", "admin_name": "Admin BKPSDM Padang",
        "admin_email": "bkpsdm@padang.go.id"})
    assert onboarded.status_code == 200
    # the page shows the result and an empty form for the next region, not this one's values to resend
    assert not onboarded.context["form"].is_bound and 'value="padangbaru"' not in onboarded.content.decode()
    region = Region.objects.get(schema_name="padangbaru")
    with schema_context(region.schema_name):
        admin = User.objects.get(role=Role.HR_ADMIN)

    dashboard = english_client(region, admin).get("/dashboard/")
    first_steps = {step.key: step for step in dashboard.context["hr_steps"]}
    assert not first_steps["attendance"].done and "runs-to-approve" not in first_steps
    assert 'data-testid="hr-next-steps"' in dashboard.content.decode()
    assert english_client(region, admin).get("/notifications/").status_code == 200

    with mail.commit():
        assert ops.post(f"/operator/regions/{region.pk}/suspend/", {"reason": "Contract not signed"}).status_code == 302
    (message,) = mail.to("bkpsdm@padang.go.id")
    assert "Kota Padang" in message.subject and "Contract not signed" in message.body
    assert "https://padangbaru.localhost/billing/" in message.body
    suspended = {step.key: step for step in ops.get("/dashboard/").context["operator_steps"]}
    assert "Kota Padang" in [item["text"] for item in suspended["regions-suspended"].items]

    assert ops.post(f"/operator/regions/{region.pk}/reactivate/").status_code == 302
    inbox = english_client(region, admin).get("/notifications/").content.decode()
    assert "The platform operator suspended Kota Padang: Contract not signed." in inbox
    with schema_context("bukittinggi"):
        assert not Notification.objects.filter(kind="region.suspended").exists()
