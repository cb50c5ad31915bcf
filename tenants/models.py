"""Regions (Pemda) as tenants: each region is one PostgreSQL schema, reached through its domains.

The public schema has one row of its own (schema_name "public", kind "platform") so that the bare
host routes to the platform's public site."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin
from kinerja.region.facts import (  # noqa: F401 (part of this module's API)
    IN_SERVICE,
    OPEN,
    RegionKind,
    RegionStatus,
    RegionTimeZone,
)


class Region(TenantMixin):
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=RegionKind.choices)
    # Kemendagri code: "13" for a province, "13.75" for a regency or city in it.
    region_code = models.CharField(_("official region code"), max_length=10, unique=True, null=True, blank=True)
    province = models.CharField(_("province"), max_length=80, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=20, choices=RegionTimeZone.choices,
                                 default=RegionTimeZone.WIB)
    status = models.CharField(_("status"), max_length=12, choices=RegionStatus.choices,
                              default=RegionStatus.ONBOARDING, db_index=True)
    status_reason = models.CharField(_("reason for status"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    archive_file = models.CharField(_("archive export"), max_length=300, blank=True)
    # "" (none asked for), "queued" (a worker will build it: a second request sends nothing), "ready",
    # "failed".
    archive_status = models.CharField(_("archive export status"), max_length=8, blank=True, default="")
    # On a Citus cluster, the worker ("host:port") the region's schema is being moved to; "" otherwise.
    # While set, the region answers writes with a short maintenance notice (tenants.middleware).
    moving_to = models.CharField(_("being moved to node"), max_length=80, blank=True, default="")

    auto_create_schema = True
    clone_mode = "DATA"  # the template's django_migrations rows come along, so nothing is re-run

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    @property
    def is_platform(self) -> bool:
        return self.schema_name == "public"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def in_service(self) -> bool:
        return self.status in IN_SERVICE


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")


class ClusterOperation(models.Model):
    """One operator's request to move regions between the nodes of a Citus cluster, run by a worker
    (tenants.tasks); its row is the progress the operator page shows."""

    class Action(models.TextChoices):
        MOVE = "move", _("Move a region")
        REBALANCE = "rebalance", _("Rebalance")
        DRAIN = "drain", _("Drain a node")
        UNDRAIN = "undrain", _("Undrain a node")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    schema_name = models.CharField(_("region schema"), max_length=63, blank=True)
    node = models.CharField(_("node"), max_length=80, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    moves_planned = models.PositiveIntegerField(_("moves planned"), default=0)
    moves_done = models.PositiveIntegerField(_("moves done"), default=0)
    current = models.CharField(_("region being moved"), max_length=63, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    requested_by = models.CharField(_("requested by"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("cluster operation")
        verbose_name_plural = _("cluster operations")

    def __str__(self):
        return f"{self.get_action_display()} {self.schema_name or self.node}".strip()

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
