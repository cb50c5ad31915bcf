"""Cross-region report snapshots, kept in the public schema.

Nothing personal is stored here: a snapshot holds only aggregate figures (counts, sums, medians) of one
region, with every count under the disclosure threshold already suppressed (value empty, `suppressed`
set) before the row is written. The region's own schema is never read from a BKN page; pages read these
tables only."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class RefreshTrigger(models.TextChoices):
    NIGHTLY = "nightly", _("Nightly schedule")
    MANUAL = "manual", _("Started by the operator")
    REGION_EVENT = "region_event", _("A region closed a period or locked a pay run")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    PARTIAL = "partial", _("Done, some regions failed")
    FAILED = "failed", _("Failed")


class RefreshRun(models.Model):
    """One fan-out over regions: a nightly refresh of all of them, or one region's refresh after an event."""

    trigger = models.CharField(_("trigger"), max_length=14, choices=RefreshTrigger.choices)
    requested_by = models.CharField(_("requested by"), max_length=150, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=RunStatus.choices, default=RunStatus.RUNNING,
                              db_index=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("report refresh")
        verbose_name_plural = _("report refreshes")

    def __str__(self):
        return f"{self.get_trigger_display()} #{self.pk}"


class RegionRefreshStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    RETRYING = "retrying", _("Failed, will retry")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


UNFINISHED_STATUSES = (RegionRefreshStatus.QUEUED, RegionRefreshStatus.RUNNING, RegionRefreshStatus.RETRYING)


class RegionRefresh(models.Model):
    """One region's part of a run: its progress, attempts and, when it failed, why."""

    run = models.ForeignKey(RefreshRun, on_delete=models.CASCADE, related_name="regions")
    region = models.ForeignKey("tenants.Region", on_delete=models.CASCADE, related_name="report_refreshes")
    status = models.CharField(_("status"), max_length=8, choices=RegionRefreshStatus.choices,
                              default=RegionRefreshStatus.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The exception's class and message only (never a traceback with local values).
    error = models.CharField(_("error"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)

    class Meta:
        ordering = ["run", "region__name"]
        verbose_name = _("region refresh")
        verbose_name_plural = _("region refreshes")
        constraints = [models.UniqueConstraint(fields=["run", "region"], name="one_region_refresh_per_run")]


class RegionSnapshot(models.Model):
    """A region's aggregates at one moment. The newest is `is_current`; older ones are kept one per month
    for trends over time."""

    region = models.ForeignKey("tenants.Region", on_delete=models.CASCADE, related_name="report_snapshots")
    run = models.ForeignKey(RefreshRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="snapshots")
    taken_at = models.DateTimeField(_("taken at"), db_index=True)
    is_current = models.BooleanField(default=True)
    # {"people": {"available": true}, "pay": {"available": false}, ...}: which modules could be read
    sections = models.JSONField(_("sections"), default=dict)
    # Non-numeric aggregates: last change per module, the distribution-curve result per rated unit.
    details = models.JSONField(_("details"), default=dict)

    class Meta:
        ordering = ["-taken_at", "-id"]
        verbose_name = _("region snapshot")
        verbose_name_plural = _("region snapshots")
        constraints = [models.UniqueConstraint(fields=["region"], condition=models.Q(is_current=True),
                                               name="one_current_snapshot_per_region")]
        indexes = [models.Index(fields=["is_current", "region"], name="reports_snapshot_current")]

    def __str__(self):
        return f"{self.region} {self.taken_at:%Y-%m-%d %H:%M}"


class FigureKind(models.TextChoices):
    COUNT = "count", _("Count of people")
    AMOUNT = "amount", _("Sum in rupiah")
    MEASURE = "measure", _("Statistic (median, mean, share)")
    TALLY = "tally", _("Count of units or openings (not people)")


class SnapshotFigure(models.Model):
    """One aggregate number: section ("headcount"), breakdown ("employee_type") and key ("PNS").
    A suppressed figure has no value: it was computed over too few people to be shown."""

    snapshot = models.ForeignKey(RegionSnapshot, on_delete=models.CASCADE, related_name="figures")
    section = models.CharField(max_length=20)
    breakdown = models.CharField(max_length=40)
    key = models.CharField(max_length=40)
    kind = models.CharField(max_length=7, choices=FigureKind.choices)
    value = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    suppressed = models.BooleanField(default=False)

    class Meta:
        ordering = ["snapshot", "section", "breakdown", "key"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "section", "breakdown", "key"], name="one_figure_per_cell"),
            models.CheckConstraint(condition=models.Q(suppressed=False) | models.Q(value__isnull=True),
                                   name="suppressed_figure_has_no_value"),
        ]
        indexes = [models.Index(fields=["section", "breakdown"], name="reports_figure_cell")]

    def __str__(self):
        return f"{self.section}/{self.breakdown}/{self.key}={'<5' if self.suppressed else self.value}"


class NationalRollup(models.Model):
    """The national figures (sums, indicator medians, headcount by province) over the current snapshots of
    the regions one filter picks, kept with the signature of those snapshots: a page whose snapshots still
    have that signature reads the row instead of aggregating every region's figures again. Snapshots are
    only ever added, so any change to the set (a region refreshed, added or removed, or moved to another
    province) changes the signature, and the next reader computes and stores the figures anew."""

    filters = models.CharField(max_length=200, unique=True)  # "" nationally, else the filters' query string
    signature = models.CharField(max_length=32)
    computed_at = models.DateTimeField()
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("national figures")
        verbose_name_plural = _("national figures")

    def __str__(self):
        return f"{self.filters or 'national'} {self.computed_at:%Y-%m-%d %H:%M}"
