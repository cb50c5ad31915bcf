"""Region lifecycle: onboarding, suspension, reactivation and archiving. The CLI command, the API and
the operator's pages all call these functions; none of them holds a rule of its own."""
from __future__ import annotations

import json
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core import serializers, signing
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from kinerja import jobs
from kinerja.audit.services import record_change, snapshot
from kinerja.logins.services import create_first_hr_admin
from kinerja.logins.services import set_password_url as _set_password_url
from kinerja.notifications.services import notify, page, users_holding
from kinerja.plugins.services import notify_region_created

from tenants import cluster
from tenants.models import Domain, Region, RegionKind, RegionStatus, RegionTimeZone
from tenants.schemas import create_region_schema

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9]{1,29}$")
USERNAME_PATTERN = re.compile(r"^[\w.@+-]{2,150}$")
REGION_CODE_PATTERN = re.compile(r"^\d{2}(\.\d{2})?$")
REFILL_SPARES_TASK = "tenants.tasks.refill_spare_schemas_task"
PLACE_REGION_TASK = "tenants.tasks.place_region_task"
EXPORT_TASK = "tenants.tasks.export_region_data_task"
RESERVED_SLUGS = {"public", "www", "api", "admin", "static", "media", "region_template", "bkn", "platform"}


@dataclass(frozen=True)
class OnboardingRequest:
    name: str
    slug: str
    kind: str
    region_code: str
    province: str
    time_zone: str
    admin_email: str
    admin_name: str
    admin_username: str = "admin"


@dataclass(frozen=True)
class OnboardingResult:
    region: Region
    domain: str
    admin_username: str
    set_password_url: str
    schema_created_by: str  # "spare" (cloned ahead), "clone" or "migrate"
    emailed_to: str = ""  # where the link and the username were sent ("" when the region sends no e-mail)
    placed_later: bool = False  # Citus: cloned on the coordinator, placed on a worker by a background task


def region_host(slug: str) -> str:
    return f"{slug}.{settings.KINERJA_BASE_DOMAIN}"


def validate_onboarding(request: OnboardingRequest) -> None:
    """Raise ValidationError naming every field that is wrong; nothing is created when it does."""
    errors: dict[str, list[str]] = {}

    def fail(field_name: str, message: str) -> None:
        errors.setdefault(field_name, []).append(message)

    if not request.name.strip():
        fail("name", _("The region's name is required."))
    if not SLUG_PATTERN.match(request.slug or ""):
        fail("slug", _("Use 2-30 lowercase letters and digits, starting with a letter (it becomes the subdomain)."))
    elif request.slug in RESERVED_SLUGS:
        fail("slug", _("'%s' is reserved.") % request.slug)
    elif Region.objects.filter(schema_name=request.slug).exists():
        fail("slug", _("A region with the subdomain '%s' already exists.") % request.slug)
    if request.kind not in {RegionKind.REGENCY, RegionKind.CITY, RegionKind.PROVINCE}:
        fail("kind", _("Kind must be kabupaten, kota or provinsi."))
    if not REGION_CODE_PATTERN.match(request.region_code or ""):
        fail("region_code", _("The official code looks like 13 (province) or 13.75 (regency or city)."))
    elif request.kind == RegionKind.PROVINCE and "." in request.region_code:
        fail("region_code", _("A province's code has two digits only, such as 13."))
    elif request.kind in {RegionKind.REGENCY, RegionKind.CITY} and "." not in request.region_code:
        fail("region_code", _("A regency's or city's code has the form 13.75."))
    elif Region.objects.filter(region_code=request.region_code).exists():
        fail("region_code", _("The region code %s is already registered.") % request.region_code)
    if request.time_zone not in RegionTimeZone.values:
        fail("time_zone", _("Time zone must be one of %s.") % ", ".join(RegionTimeZone.values))
    if "@" not in (request.admin_email or ""):
        fail("admin_email", _("A valid e-mail address for the first HR admin is required."))
    if not (request.admin_name or "").strip():
        fail("admin_name", _("The first HR admin's name is required."))
    if not USERNAME_PATTERN.match(request.admin_username or ""):
        fail("admin_username", _("A username has 2-150 letters, digits and @ . + - _ only."))
    if errors:
        raise ValidationError(errors)


def set_password_url(user, host: str) -> str:
    """A one-time link: the token stops working once the password is set (it hashes the password)."""
    return _set_password_url(user, configured_site_url(host))


def configured_site_url(host: str) -> str:
    """A region's address with the scheme and port of the configured site address (KINERJA_SITE_URL),
    never of a request's Host header, which whoever sends the request writes."""
    configured = urlsplit(settings.KINERJA_SITE_URL)
    port = f":{configured.port}" if configured.port and ":" not in host else ""
    return f"{configured.scheme or 'https'}://{host}{port}/"


def onboard_region(request: OnboardingRequest, *, actor=None, use_template: bool = True,
                   site_url: str = "", send_email: bool = True) -> OnboardingResult:
    """`site_url` is the new region's address as the operator's browser reaches it (scheme and port);
    by default the configured site address at the region's host. The first HR admin is e-mailed their username and one-time
    link unless `send_email` is off (billing sends its own approval mail with both)."""
    validate_onboarding(request)
    host = region_host(request.slug)
    site_url = site_url or configured_site_url(host)
    with transaction.atomic():
        region = Region(
            schema_name=request.slug, name=request.name.strip(), kind=request.kind,
            region_code=request.region_code, province=request.province.strip(), time_zone=request.time_zone,
            status=RegionStatus.ONBOARDING,
        )
        region.auto_create_schema = False  # the schema is made below, from the template when it can be
        region.save()
        Domain.objects.create(domain=host, tenant=region, is_primary=True)
        created_by = create_region_schema(region.schema_name, use_template=use_template)
        with schema_context(region.schema_name):
            delivery = create_first_hr_admin(username=request.admin_username, email=request.admin_email,
                                             full_name=request.admin_name, site_url=site_url,
                                             send_email=send_email)
            admin, link = delivery.user, delivery.link
            record_change(actor=None, action="region.onboarded", target=admin,
                          after={"username": admin.username, "role": admin.role})
        region.status = RegionStatus.ACTIVE
        region.status_changed_at = timezone.now()
        region.save(update_fields=["status", "status_changed_at"])
        record_change(actor=actor, action="region.onboarded", target=region, after=snapshot(region))
    connection.set_schema_to_public()
    _tell_plugins(region)
    placed_later = created_by == "clone" and cluster.is_citus()  # cloned on the coordinator: off to a worker
    if created_by == "spare":
        transaction.on_commit(lambda: jobs.enqueue(REFILL_SPARES_TASK))
    elif placed_later:
        transaction.on_commit(lambda: jobs.enqueue(PLACE_REGION_TASK, region.schema_name))
    return OnboardingResult(region, host, admin.username, link, created_by, delivery.emailed_to, placed_later)


def _tell_plugins(region: Region) -> None:
    """After the region exists: a plugin's failure is logged and never undoes the onboarding."""
    import logging

    with schema_context(region.schema_name):
        for plugin, error in notify_region_created(region.schema_name):
            logging.getLogger(__name__).warning("plugin %s failed on region_created(%s): %s", plugin, region.schema_name, error)


def _change_status(region: Region, status: str, *, actor, reason: str, action: str) -> Region:
    before = snapshot(region, ["status", "status_reason"])
    region.status = status
    region.status_reason = reason
    region.status_changed_at = timezone.now()
    region.save(update_fields=["status", "status_reason", "status_changed_at"])
    record_change(actor=actor, action=action, target=region, before=before,
                  after=snapshot(region, ["status", "status_reason"]), reason=reason)
    return region


def suspend_region(region: Region, *, actor, reason: str) -> Region:
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the region is suspended; its users will see it.")]})
    if region.status != RegionStatus.ACTIVE:
        raise ValidationError({"status": [_("Only an active region can be suspended (it is %s).") % region.status]})
    with transaction.atomic():
        region = _change_status(region, RegionStatus.SUSPENDED, actor=actor, reason=reason.strip(),
                                action="region.suspended")
        tell_region_hr(region, "region.suspended", {"region": region.name, "reason": region.status_reason},
                       page("region_billing:overview"))
    return region


def tell_region_hr(region: Region, kind: str, params: dict, link: str, event_key: str = "") -> None:
    """Notify a region's HR admins (those who keep its billing) from the platform's side: the
    notifications are written in the region's schema, where its users are."""
    with schema_context(region.schema_name):
        notify(users_holding("billing.region.manage"), kind, params=params, link=link, event_key=event_key)


def reactivate_region(region: Region, *, actor, reason: str = "") -> Region:
    if region.status != RegionStatus.SUSPENDED:
        raise ValidationError({"status": [_("Only a suspended region can be reactivated (it is %s).") % region.status]})
    return _change_status(region, RegionStatus.ACTIVE, actor=actor, reason=reason, action="region.reactivated")


# Never written to an archive: who may sign in how (sessions, API tokens, two-factor keys, sign-in
# attempts with their client addresses) and password hashes.
ARCHIVE_SKIPPED_MODELS = {"sessions.session", "authtoken.token", "authtoken.tokenproxy", "accounts.apitoken",
                          "otp_totp.totpdevice", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}
ARCHIVE_SECRET_FIELD = re.compile(r"password|secret|token", re.IGNORECASE)


def _archive_rows(model) -> str:
    """The model's rows as Django's JSON, without fields holding secrets."""
    fields = [f.name for f in model._meta.concrete_fields
              if not f.primary_key and not ARCHIVE_SECRET_FIELD.search(f.name)]
    return serializers.serialize("json", model.objects.all().order_by("pk"), fields=fields)


def export_region_data(region: Region) -> str:
    """Write every row of the region's own tables (without sessions, tokens and password hashes) and its
    uploaded files to a zip readable by the platform's user alone; returns the file's path."""
    folder = settings.DATA_DIR / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    path = folder / f"{region.schema_name}-{timezone.now():%Y%m%d%H%M%S%f}.zip"
    tenant_labels = {c.label for c in apps.get_app_configs() if c.name in settings.TENANT_APPS}
    uploads = Path(settings.MEDIA_ROOT) / region.schema_name
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle, schema_context(region.schema_name), \
            zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        for model in apps.get_models():
            if (model._meta.app_label in tenant_labels and model._meta.managed and not model._meta.proxy
                    and model._meta.label_lower not in ARCHIVE_SKIPPED_MODELS):
                archive.writestr(f"{model._meta.label_lower}.json", _archive_rows(model))
        archive.writestr("region.json", json.dumps(snapshot(region)))
        if uploads.is_dir():
            for file in sorted(uploads.rglob("*")):
                if file.is_file():
                    archive.write(file, f"files/{file.relative_to(uploads)}")
    return str(path)


def record_export(region: Region, path: str) -> None:
    with schema_context("public"):
        Region.objects.filter(pk=region.pk).update(archive_file=path, archive_status="ready")
        record_change(actor=None, action="region.exported", target=region, after={"archive_file": path})


def record_export_failed(region: Region, error: Exception) -> None:
    with schema_context("public"):
        Region.objects.filter(pk=region.pk).update(archive_status="failed")
        record_change(actor=None, action="region.export_failed", target=region,
                      after={"error": f"{type(error).__name__}: {error}"[:300]})


def request_export(region: Region, *, actor) -> bool:
    """Queue the region's archive, built by a worker in the region's schema. Returns False, sending
    nothing, when one is already queued: clicking twice builds it once."""
    with schema_context("public"), transaction.atomic():
        locked = Region.objects.select_for_update().get(pk=region.pk)
        if locked.archive_status == "queued":
            return False
        locked.archive_status = "queued"
        locked.save(update_fields=["archive_status"])
        record_change(actor=actor, action="region.export_requested", target=locked)
        schema = locked.schema_name

        def send():
            with schema_context(schema):
                jobs.enqueue(EXPORT_TASK)

        transaction.on_commit(send)
    region.archive_status = "queued"
    return True


def archive_region(region: Region, *, actor, reason: str = "") -> Region:
    """Close the region for good and queue its archive (built in the background)."""
    if region.status == RegionStatus.ARCHIVED:
        raise ValidationError({"status": [_("The region is already archived.")]})
    with transaction.atomic():
        region = _change_status(region, RegionStatus.ARCHIVED, actor=actor, reason=reason, action="region.archived")
        request_export(region, actor=actor)
    return region


def archive_link(region: Region) -> str:
    """A signed link to the region's archive for the operator, valid ARCHIVE_LINK_SECONDS."""
    token = signing.dumps({"region": region.pk, "file": Path(region.archive_file).name}, salt=ARCHIVE_SALT)
    return reverse("operator:region-archive-download", args=[region.pk, token], urlconf=settings.PUBLIC_SCHEMA_URLCONF)


def archive_for_link(region: Region, token: str) -> Path:
    """The archive a link names; Http404 when the link is forged, expired or names an older file."""
    try:
        data = signing.loads(token, salt=ARCHIVE_SALT, max_age=settings.KINERJA_ARCHIVE_LINK_SECONDS)
    except signing.BadSignature:
        raise Http404 from None
    path = Path(region.archive_file) if region.archive_file else None
    if data.get("region") != region.pk or path is None or data.get("file") != path.name or not path.is_file():
        raise Http404
    return path


ARCHIVE_SALT = "tenants.region-archive"


def ensure_public_site() -> Region:
    """The public schema's own row and the hosts that reach the platform's public site."""
    region, _created = Region.objects.get_or_create(
        schema_name="public",
        defaults={"name": "Kinerja", "kind": RegionKind.PLATFORM, "status": RegionStatus.ACTIVE},
    )
    for host in settings.KINERJA_PUBLIC_HOSTS:
        Domain.objects.get_or_create(domain=host, defaults={"tenant": region, "is_primary": host == settings.KINERJA_PUBLIC_HOSTS[0]})
    return region
