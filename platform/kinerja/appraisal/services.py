"""Writing appraisal data. Every rule (who may do what, state transitions, deadlines) lives here; views,
serializers and the API only call these functions.

Errors: `PermissionDenied` when the actor may not do this at all, `ValidationError` (naming the field
and the reason) when the input or the record's state is wrong. Each service runs in one transaction,
so nothing is half-saved."""
from __future__ import annotations

import calendar
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kinerja.appraisal import selectors
from kinerja.appraisal.models import (
    AppraisalPeriod,
    AppraisalYear,
    Cadence,
    Level,
    Predicate,
    PredicateRule,
)
from kinerja.audit.services import record_change, snapshot

MIN_YEAR, MAX_YEAR = 2000, 2100


def _require_hr(actor) -> None:
    if not selectors.is_hr(actor):
        raise PermissionDenied(_("Only HR administrators may do this."))


# --- years and periods --------------------------------------------------------------------------
def _period_bounds(year: int, cadence: str) -> list[tuple[datetime.date, datetime.date]]:
    months_per_period = 1 if cadence == Cadence.MONTHLY else 3
    bounds = []
    for first_month in range(1, 13, months_per_period):
        last_month = first_month + months_per_period - 1
        bounds.append((datetime.date(year, first_month, 1),
                       datetime.date(year, last_month, calendar.monthrange(year, last_month)[1])))
    return bounds


@transaction.atomic
def create_appraisal_year(*, actor, year: int, cadence: str) -> AppraisalYear:
    """HR opens an appraisal year; its periods (12 months or 4 quarters) are generated. Realisation for a
    period opens on its first day and closes `realisation_grace_days` after its last."""
    _require_hr(actor)
    if cadence not in Cadence.values:
        raise ValidationError({"cadence": _("Cadence must be one of: %(values)s.") % {"values": ", ".join(Cadence.values)}})
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": _("Year must be between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}})
    if AppraisalYear.objects.filter(year=year).exists():
        raise ValidationError({"year": _("The appraisal year %(year)s already exists.") % {"year": year}})
    grace = datetime.timedelta(days=selectors.appraisal_settings().realisation_grace_days)
    appraisal_year = AppraisalYear.objects.create(year=year, cadence=cadence, created_by=actor)
    AppraisalPeriod.objects.bulk_create(
        AppraisalPeriod(appraisal_year=appraisal_year, number=number, starts_on=start, ends_on=end,
                        opens_on=start, closes_on=end + grace)
        for number, (start, end) in enumerate(_period_bounds(year, cadence), start=1)
    )
    record_change(actor=actor, action="appraisal.year.create", target=appraisal_year,
                  after={"year": year, "cadence": cadence})
    return appraisal_year


@transaction.atomic
def set_period_window(*, actor, period: AppraisalPeriod, opens_on: datetime.date,
                      closes_on: datetime.date) -> AppraisalPeriod:
    """HR moves the dates between which realisation can be entered for a period."""
    _require_hr(actor)
    if opens_on is None or closes_on is None:
        raise ValidationError({"opens_on": _("Both the opening and the closing date are required.")})
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The closing date must not be before the opening date.")})
    if opens_on.year != period.appraisal_year.year:
        raise ValidationError({"opens_on": _("The opening date must fall in the appraisal year %(year)s.")
                               % {"year": period.appraisal_year.year}})
    before = snapshot(period, ["opens_on", "closes_on"])
    period.opens_on, period.closes_on = opens_on, closes_on
    period.save(update_fields=["opens_on", "closes_on"])
    record_change(actor=actor, action="appraisal.period.window", target=period, before=before,
                  after=snapshot(period, ["opens_on", "closes_on"]))
    return period


@transaction.atomic
def set_predicate_rule(*, actor, work_result: str, behaviour: str, predicate: str, reason: str) -> PredicateRule:
    """HR changes one cell of the region's predicate matrix (with a written reason, audited)."""
    _require_hr(actor)
    errors = {}
    if work_result not in Level.values:
        errors["work_result"] = _("Unknown level.")
    if behaviour not in Level.values:
        errors["behaviour"] = _("Unknown level.")
    if predicate not in Predicate.values:
        errors["predicate"] = _("Unknown predicate.")
    if not (reason or "").strip():
        errors["reason"] = _("A reason is required to change the predicate matrix.")
    if errors:
        raise ValidationError(errors)
    rule, _created = PredicateRule.objects.get_or_create(work_result=work_result, behaviour=behaviour,
                                                         defaults={"predicate": predicate})
    before = {"predicate": None if _created else rule.predicate}
    rule.predicate = predicate
    rule.save(update_fields=["predicate"])
    record_change(actor=actor, action="appraisal.matrix.change", target=rule, before=before,
                  after={"predicate": predicate}, reason=reason.strip())
    return rule
