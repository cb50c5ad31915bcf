"""Changing training data: catalog syncs, the region's own courses, sessions, enrolments (request,
nomination, approval, waiting list), attendance, completion, evaluations, external courses, budgets.

Seat rules: a seat is taken only by a confirmed enrolment. An approved enrolment gets a seat when one is
free, otherwise it joins the session's waiting list; whenever a seat frees (a withdrawal, more seats) the
waiting list is promoted in the order it was joined. An enrolment approved while no session of its course
is scheduled waits for one and is seated, in order, when HR schedules it.

Requests by employees await a decision of their direct supervisor or HR; nominations by either of them,
and new hires' onboarding courses, are approved at once."""
from __future__ import annotations

import logging
from dataclasses import asdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kinerja_plugin_api.host import PluginContractError, get_host
from kinerja_plugin_api.types import TrainingCourse

from kinerja.appraisal import selectors as appraisal_selectors
from kinerja.appraisal import services as appraisal_services
from kinerja.appraisal.models import IkiMeasure
from kinerja.audit.services import record_change, snapshot
from kinerja.notifications.services import notify, page
from kinerja.people.models import Employee, EmployeeStatus, Unit
from kinerja.plugins.failures.messages import catalog_failed
from kinerja.region import facts, formats
from kinerja.training import selectors
from kinerja.training.models import (
    LIVE_STATUSES,
    CatalogSync,
    Course,
    CourseRevision,
    Enrolment,
    EnrolmentStatus,
    Evaluation,
    ExternalCourse,
    Method,
    Origin,
    RecordKind,
    SessionStatus,
    TrainingSession,
    TrainingSettings,
    UnitBudget,
)

logger = logging.getLogger(__name__)

COURSE_FIELDS = ("title", "method", "jp_hours", "cost", "provider", "competencies")
SESSION_FIELDS = ("course_id", "starts_on", "ends_on", "place", "online_link", "seats", "cost", "jp_hours",
                  "trainer", "status")
ENROLMENT_FIELDS = ("session_id", "status", "decided_by_id", "cost", "attended", "jp_hours", "certificate_number")
# Structural and basic training are filed nationally as diklat; a region may reclassify any course.
DIKLAT_CODE_PREFIXES = ("LATSAR", "PKP", "PKA", "PKN", "DIKLATPIM")
ENROLLABLE_STATUSES = (EmployeeStatus.ACTIVE, EmployeeStatus.CANDIDATE, EmployeeStatus.ON_LEAVE)


def _require_hr(actor) -> None:
    if not selectors.is_hr(actor):
        raise PermissionDenied(_("Only the region's HR admins may do this."))


def _audit_actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- catalog --------------------------------------------------------------------------------------
def course_content(course) -> dict:
    """The fields a revision keeps, from a Course or a plugin's TrainingCourse."""
    return {"title": course.title, "method": course.method, "jp_hours": int(course.jp_hours),
            "cost": int(course.cost), "provider": course.provider, "competencies": list(course.competencies)}


def _check_course_content(data: dict, *, code: str) -> dict[str, list[str]]:
    """Field errors of a course's content; empty when it is valid."""
    errors: dict[str, list[str]] = {}
    if not isinstance(code, str) or not code.strip() or len(code) > 40:
        errors["code"] = [_("A code of 1 to 40 characters is required.")]
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        errors["title"] = [_("A title is required.")]
    if data.get("method") not in Method.values:
        errors["method"] = [_("'%(value)s' is not a method; use one of %(choices)s.")
                            % {"value": data.get("method"), "choices": ", ".join(Method.values)}]
    jp = data.get("jp_hours")
    if not isinstance(jp, int) or isinstance(jp, bool) or jp < 1:
        errors["jp_hours"] = [_("JP must be a whole number of at least 1.")]
    cost = data.get("cost")
    if not isinstance(cost, int) or isinstance(cost, bool) or cost < 0:
        errors["cost"] = [_("Cost must be whole rupiah, not negative.")]
    competencies = data.get("competencies")
    if not isinstance(competencies, (list, tuple)) or not all(isinstance(c, str) and c.strip() for c in competencies):
        errors["competencies"] = [_("Competencies must be a list of names.")]
    return errors


def _default_record_kind(code: str) -> str:
    return RecordKind.DIKLAT if code.upper().startswith(DIKLAT_CODE_PREFIXES) else RecordKind.KURSUS


def sync_catalog(*, actor=None, host=None) -> list[CatalogSync]:
    """Bring the catalog up to date with every catalog plugin the region has enabled.

    Per plugin, one sync record with the plugin's version: new courses are added (revision 1), changed
    ones get a new revision keeping the old content in their history, courses the plugin no longer
    supplies are withdrawn (kept for the sessions that used them). A plugin that fails, or returns
    anything but TrainingCourse entries, changes nothing and its sync is recorded as failed. Entries whose
    code another catalog already owns, or whose fields are invalid, are skipped and listed."""
    host = host or get_host()
    return [_sync_plugin(name, host, actor) for name in selectors.enabled_catalog_plugins(host)]


def _sync_plugin(plugin_name: str, host, actor) -> CatalogSync:
    version = host.get(plugin_name).version
    synced_by = _audit_actor(actor)
    try:
        supplied = host.call(plugin_name, selectors.CATALOG_HOOK)
    except Exception:  # a broken plugin must not stop the other catalogs; the host logged what broke
        supplied = None
    else:
        if not isinstance(supplied, (list, tuple)) or not all(isinstance(c, TrainingCourse) for c in supplied):
            host.report_failure(plugin_name, selectors.CATALOG_HOOK, PluginContractError(
                "kinerja_training_catalog must return a list of TrainingCourse"))
            supplied = None
    if supplied is None:
        sync = CatalogSync.objects.create(plugin_name=plugin_name, plugin_version=version,
                                          status=CatalogSync.Status.FAILED, synced_by=synced_by,
                                          error=catalog_failed(plugin_name))
        record_change(actor=actor, action="training.catalog_sync_failed", target=sync, after={"error": sync.error})
        return sync

    with transaction.atomic():
        sync = CatalogSync.objects.create(plugin_name=plugin_name, plugin_version=version,
                                          status=CatalogSync.Status.OK, synced_by=synced_by)
        existing = {c.code: c for c in Course.objects.select_for_update().filter(
            code__in=[c.code for c in supplied if isinstance(c.code, str)])}
        seen, skipped = set(), []
        for entry in supplied:
            errors = _check_course_content(asdict(entry), code=entry.code)
            if errors:
                skipped.append({"code": str(entry.code), "reason": "; ".join(
                    f"{name}: {' '.join(messages)}" for name, messages in errors.items())})
                continue
            data = course_content(entry)
            if entry.code in seen:
                skipped.append({"code": entry.code, "reason": _("The plugin supplied this code twice.")})
                continue
            seen.add(entry.code)
            course = existing.get(entry.code)
            if course is not None and course.plugin_name != plugin_name:
                owner = course.plugin_name or _("the region's own catalog")
                skipped.append({"code": entry.code, "reason": _("The code belongs to %(owner)s.") % {"owner": owner}})
                continue
            if course is None:
                course = Course.objects.create(code=entry.code, plugin_name=plugin_name, plugin_version=version,
                                               record_kind=_default_record_kind(entry.code), **data)
                CourseRevision.objects.create(course=course, number=1, data=data, plugin_version=version, sync=sync)
                sync.created += 1
            elif course_content(course) != data or not course.active:
                course.revision += 1
                for name, value in data.items():
                    setattr(course, name, value)
                course.plugin_version, course.active = version, True
                course.save()
                CourseRevision.objects.create(course=course, number=course.revision, data=data,
                                              plugin_version=version, sync=sync)
                sync.changed += 1
            else:
                sync.unchanged += 1
        gone = Course.objects.filter(plugin_name=plugin_name, active=True).exclude(code__in=seen)
        sync.withdrawn = gone.update(active=False)
        sync.skipped = skipped
        sync.save()
        record_change(actor=actor, action="training.catalog_synced", target=sync, after={
            "plugin_version": version, "created": sync.created, "changed": sync.changed,
            "unchanged": sync.unchanged, "withdrawn": sync.withdrawn, "skipped": len(skipped)})
    return sync


def create_course(*, actor, code: str, title: str, method: str, jp_hours, cost, provider: str = "",
                  competencies=(), record_kind: str = "") -> Course:
    """Add a course of the region's own."""
    _require_hr(actor)
    code = (code or "").strip()
    data = {"title": (title or "").strip(), "method": method, "jp_hours": _to_int(jp_hours),
            "cost": _to_int(cost, default=0), "provider": (provider or "").strip(),
            "competencies": _competency_list(competencies)}
    errors = _check_course_content(data, code=code)
    record_kind = record_kind or _default_record_kind(code)
    if record_kind not in RecordKind.values:
        errors["record_kind"] = [_("Choose diklat or kursus.")]
    if not errors.get("code") and Course.objects.filter(code=code).exists():
        errors["code"] = [_("A course with code %s already exists.") % code]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        course = Course.objects.create(code=code, record_kind=record_kind, **data)
        CourseRevision.objects.create(course=course, number=1, data=data, changed_by=_audit_actor(actor))
        record_change(actor=actor, action="training.course_created", target=course, after=data)
    return course


def update_course(*, actor, course: Course, record_kind: str = "", **changes) -> Course:
    """Change a region course's content (a new revision), or any course's national record kind."""
    _require_hr(actor)
    if record_kind and record_kind not in RecordKind.values:
        raise ValidationError({"record_kind": [_("Choose diklat or kursus.")]})
    unknown = set(changes) - set(COURSE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in sorted(unknown)})
    if changes and not course.is_region_course:
        raise ValidationError({"course": [_("%(code)s comes from %(plugin)s; its content changes only with the "
                                            "plugin.") % {"code": course.code, "plugin": course.plugin_name}]})
    before = course_content(course)
    data = dict(before)
    for name, value in changes.items():
        if name in ("jp_hours", "cost"):
            value = _to_int(value)
        elif name == "competencies":
            value = _competency_list(value)
        elif isinstance(value, str):
            value = value.strip()
        data[name] = value
    errors = _check_course_content(data, code=course.code)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        if record_kind and record_kind != course.record_kind:
            record_change(actor=actor, action="training.course_record_kind", target=course,
                          before={"record_kind": course.record_kind}, after={"record_kind": record_kind})
            course.record_kind = record_kind
        if data != before:
            for name, value in data.items():
                setattr(course, name, value)
            course.revision += 1
            CourseRevision.objects.create(course=course, number=course.revision, data=data,
                                          changed_by=_audit_actor(actor))
            record_change(actor=actor, action="training.course_changed", target=course, before=before, after=data)
        course.save()
    return course


def _to_int(value, default=None):
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return value


def _competency_list(value) -> list[str]:
    if isinstance(value, str):
        value = value.replace("\n", ",").split(",")
    return [str(item).strip() for item in (value or ()) if str(item).strip()]


# --- sessions -------------------------------------------------------------------------------------
def create_session(*, actor, course: Course, starts_on, ends_on, seats, place: str = "", online_link: str = "",
                   cost=None, jp_hours=None, trainer: str = "") -> TrainingSession:
    """Schedule a session of a course (cost and JP default to the course's). Enrolments approved while
    no session was scheduled are seated at once, in the order they were approved."""
    _require_hr(actor)
    session = TrainingSession(course=course, starts_on=starts_on, ends_on=ends_on, seats=_to_int(seats),
                              place=(place or "").strip(), online_link=(online_link or "").strip(),
                              cost=course.cost if cost in (None, "") else _to_int(cost),
                              jp_hours=course.jp_hours if jp_hours in (None, "") else _to_int(jp_hours),
                              trainer=(trainer or "").strip(), created_by=_audit_actor(actor))
    _check_session(session)
    with transaction.atomic():
        session.save()
        record_change(actor=actor, action="training.session_created", target=session,
                      after=snapshot(session, SESSION_FIELDS))
        waiting = Enrolment.objects.select_for_update().filter(
            course=course, session__isnull=True, status=EnrolmentStatus.AWAITING_SESSION).order_by("decided_at", "id")
        for enrolment in waiting[:session.seats]:
            enrolment.session = session
            _seat(enrolment, session)
    return session


def _check_session(session: TrainingSession) -> None:
    errors: dict[str, list[str]] = {}
    if not session.starts_on:
        errors["starts_on"] = [_("A start date is required.")]
    if not session.ends_on:
        errors["ends_on"] = [_("An end date is required.")]
    elif session.starts_on and session.ends_on < session.starts_on:
        errors["ends_on"] = [_("The session cannot end before it starts.")]
    for name in ("seats", "jp_hours"):
        value = getattr(session, name)
        if not isinstance(value, int) or value < 1:
            errors[name] = [_("A whole number of at least 1 is required.")]
    if not isinstance(session.cost, int) or session.cost < 0:
        errors["cost"] = [_("Cost must be whole rupiah, not negative.")]
    if not session.place and not session.online_link:
        errors["place"] = [_("Give a place or an online link.")]
    if session.online_link:
        from django.core.validators import URLValidator

        try:
            URLValidator(schemes=["http", "https"])(session.online_link)
        except ValidationError:
            errors["online_link"] = [_("Enter a full web address (https://...).")]
    if errors:
        raise ValidationError(errors)


def update_session(*, actor, session: TrainingSession, **changes) -> TrainingSession:
    """Change a scheduled session. More seats promote the waiting list; fewer seats than are already
    confirmed are refused."""
    _require_hr(actor)
    allowed = {"starts_on", "ends_on", "place", "online_link", "seats", "cost", "jp_hours", "trainer"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in sorted(unknown)})
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if session.status != SessionStatus.SCHEDULED:
            raise ValidationError({"status": [_("Only a scheduled session can be changed.")]})
        before = snapshot(session, SESSION_FIELDS)
        for name, value in changes.items():
            if name in ("seats", "cost", "jp_hours"):
                value = _to_int(value)
            elif isinstance(value, str):
                value = value.strip()
            setattr(session, name, value)
        _check_session(session)
        confirmed = session.enrolments.filter(status=EnrolmentStatus.CONFIRMED).count()
        if session.seats < confirmed:
            raise ValidationError({"seats": [_("%(count)s participants already have a seat; withdraw some before "
                                               "reducing the seats to %(seats)s.")
                                             % {"count": confirmed, "seats": session.seats}]})
        session.save()
        record_change(actor=actor, action="training.session_changed", target=session, before=before,
                      after=snapshot(session, SESSION_FIELDS))
        _promote(session)
    return session


def cancel_session(*, actor, session: TrainingSession, reason: str) -> TrainingSession:
    """Cancel a scheduled session. Its participants and waiting list keep their approval and are
    placed again: in another upcoming session of the course, or waiting for the next one."""
    _require_hr(actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the session is cancelled.")]})
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if session.status != SessionStatus.SCHEDULED:
            raise ValidationError({"status": [_("Only a scheduled session can be cancelled.")]})
        session.status = SessionStatus.CANCELLED
        session.save(update_fields=["status"])
        record_change(actor=actor, action="training.session_cancelled", target=session, reason=reason.strip(),
                      after={"status": session.status})
        moved = session.enrolments.select_related("employee").filter(status__in=LIVE_STATUSES) \
            .order_by("status", "waitlisted_at", "decided_at", "id")
        for enrolment in moved:
            enrolment.session = None
            if enrolment.status == EnrolmentStatus.PENDING:
                enrolment.save(update_fields=["session"])
            else:
                enrolment.cost = 0
                _place(enrolment)
    return session


# --- enrolment ------------------------------------------------------------------------------------
def _resolve(session_or_course_code) -> tuple[TrainingSession | None, Course]:
    if isinstance(session_or_course_code, TrainingSession):
        session = session_or_course_code
        if session.status != SessionStatus.SCHEDULED or session.starts_on < facts.today():
            raise ValidationError({"session": [_("This session is no longer open for enrolment.")]})
        return session, session.course
    code = str(session_or_course_code or "").strip()
    course = Course.objects.filter(code=code).first()
    if course is None:
        raise ValidationError({"course": [_("No course has code '%s'.") % code]})
    return _next_session(course), course


def _next_session(course: Course) -> TrainingSession | None:
    """The earliest upcoming session of the course with a free seat, else the earliest upcoming one."""
    upcoming = list(selectors.upcoming_sessions(course).order_by("starts_on", "id"))
    for session in upcoming:
        if session.confirmed_count < session.seats:
            return session
    return upcoming[0] if upcoming else None


def enrol(employee: Employee, session_or_course_code, *, nominated_by=None, reason: str = "",
          actor=None) -> Enrolment:
    """Enrol an employee in a session, or in a course by its code (its next session with a free seat,
    or a waiting place when none is scheduled).

    Without `nominated_by` this is the employee's own request: it awaits the decision of their direct
    supervisor or HR (`actor`, when given, must be the employee). With `nominated_by` (HR, or the
    employee's own direct supervisor) the enrolment is approved at once and seated, or waitlisted when
    the session is full. Raises ValidationError (field errors) or PermissionDenied; nothing is saved then."""
    if nominated_by is not None:
        if not selectors.can_nominate(nominated_by, employee):
            raise PermissionDenied(_("Only HR or the employee's direct supervisor may nominate them."))
        origin = Origin.HR if selectors.is_hr(nominated_by) else Origin.SUPERVISOR
    else:
        if actor is not None and not (getattr(actor, "is_authenticated", False) and actor.pk == employee.user_id):
            raise PermissionDenied(_("Employees request training for themselves; others nominate."))
        origin = Origin.SELF
    return _create_enrolment(employee, session_or_course_code, origin=origin, nominated_by=nominated_by,
                             reason=reason, actor=actor or nominated_by)


def enrol_new_hire(employee: Employee, course_codes, *, actor=None, reason: str = "") -> list[Enrolment]:
    """Enrol a new hire in onboarding courses, approved at once. Courses the employee already has a live
    enrolment in are left as they are (so calling twice is harmless). All or nothing: an unknown code
    fails the whole call with an error naming it."""
    codes = [str(code).strip() for code in course_codes]
    known = set(Course.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError({"course_codes": [_("No course has code %s.") % ", ".join(unknown)]})
    enrolments = []
    with transaction.atomic():
        for code in dict.fromkeys(codes):
            existing = Enrolment.objects.filter(employee=employee, course__code=code, status__in=LIVE_STATUSES).first()
            if existing is not None:
                enrolments.append(existing)
                continue
            enrolments.append(_create_enrolment(employee, code, origin=Origin.NEW_HIRE, nominated_by=None,
                                                reason=reason or _("New hire onboarding"), actor=actor))
    return enrolments


def _create_enrolment(employee, session_or_course_code, *, origin, nominated_by, reason, actor) -> Enrolment:
    with transaction.atomic():
        session, course = _resolve(session_or_course_code)
        employee = Employee.objects.select_for_update().select_related("unit").get(pk=employee.pk)
        if employee.status not in ENROLLABLE_STATUSES:
            raise ValidationError({"employee": [_("%(name)s is %(status)s and cannot be enrolled.")
                                                % {"name": employee.full_name,
                                                   "status": employee.get_status_display()}]})
        if selectors.live_enrolment(employee, course) is not None:
            raise ValidationError({"course": [_("%(name)s is already enrolled in %(course)s.")
                                              % {"name": employee.full_name, "course": course.code}]})
        enrolment = Enrolment(course=course, session=session, employee=employee, unit=employee.unit,
                              origin=origin, nominated_by=nominated_by, reason=(reason or "").strip(),
                              status=EnrolmentStatus.PENDING)
        if origin == Origin.SELF:
            enrolment.save()
        else:
            enrolment.decided_by = nominated_by
            enrolment.decided_at = timezone.now()
            _place(enrolment)
        record_change(actor=actor, action="training.enrolled", target=enrolment, reason=enrolment.reason,
                      after={**snapshot(enrolment, ENROLMENT_FIELDS), "origin": origin})
    return enrolment


def _place(enrolment: Enrolment) -> None:
    """Seat an approved enrolment, waitlist it when its session is full, or leave it waiting for a
    session when none is scheduled. Saves it."""
    if enrolment.session is None:
        enrolment.session = _next_session(enrolment.course)
    if enrolment.session is None:
        enrolment.status = EnrolmentStatus.AWAITING_SESSION
        enrolment.save()
    else:
        session = TrainingSession.objects.select_for_update().get(pk=enrolment.session_id)
        if selectors.free_seats(session) > 0:
            _seat(enrolment, session)
        else:
            enrolment.status = EnrolmentStatus.WAITLISTED
            enrolment.waitlisted_at = timezone.now()
            enrolment.save()
    _tell(enrolment, "training.enrolled")


def _tell(enrolment: Enrolment, kind: str) -> None:
    session = enrolment.session
    notify([enrolment.employee.user], kind, link=page("training:enrolment-detail", enrolment.pk),
           params={"course": enrolment.course.title, "status": enrolment.status,
                   "starts_on": session.starts_on if session else "-"})


def _seat(enrolment: Enrolment, session: TrainingSession) -> None:
    enrolment.status = EnrolmentStatus.CONFIRMED
    enrolment.cost = session.cost
    enrolment.unit_id = enrolment.employee.unit_id
    enrolment.save()


def _promote(session: TrainingSession) -> list[Enrolment]:
    """Give free seats to the waiting list, first come first served."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    free = selectors.free_seats(session)
    promoted = list(selectors.waiting_list(session).select_related("employee").select_for_update()[:free]) \
        if free else []
    for enrolment in promoted:
        _seat(enrolment, session)
        record_change(actor=None, action="training.promoted", target=enrolment,
                      before={"status": EnrolmentStatus.WAITLISTED}, after={"status": EnrolmentStatus.CONFIRMED})
        _tell(enrolment, "training.promoted")
    return promoted


def _locked(enrolment: Enrolment) -> Enrolment:
    return Enrolment.objects.select_for_update().select_related("employee", "course").get(pk=enrolment.pk)


def approve(enrolment: Enrolment, *, actor, note: str = "") -> Enrolment:
    """Approve a request (the employee's direct supervisor or HR): it is seated, or waitlisted when the
    session is full, or waits for a session when none is scheduled."""
    if not selectors.can_decide(actor, enrolment):
        raise PermissionDenied(_("Only HR or the employee's direct supervisor may decide on this request."))
    with transaction.atomic():
        enrolment = _locked(enrolment)
        if enrolment.status != EnrolmentStatus.PENDING:
            raise ValidationError({"status": [_("Only a request awaiting approval can be approved; this one is "
                                                "%s.") % enrolment.get_status_display()]})
        before = snapshot(enrolment, ENROLMENT_FIELDS)
        if enrolment.session_id and (enrolment.session.status != SessionStatus.SCHEDULED
                                     or enrolment.session.starts_on < facts.today()):
            enrolment.session = None
        enrolment.decided_by, enrolment.decided_at = actor, timezone.now()
        enrolment.decision_note = (note or "").strip()
        _place(enrolment)
        record_change(actor=actor, action="training.approved", target=enrolment, before=before,
                      after=snapshot(enrolment, ENROLMENT_FIELDS), reason=enrolment.decision_note)
    return enrolment


def reject(enrolment: Enrolment, *, actor, reason: str) -> Enrolment:
    if not selectors.can_decide(actor, enrolment):
        raise PermissionDenied(_("Only HR or the employee's direct supervisor may decide on this request."))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the employee a reason for the rejection.")]})
    with transaction.atomic():
        enrolment = _locked(enrolment)
        if enrolment.status != EnrolmentStatus.PENDING:
            raise ValidationError({"status": [_("Only a request awaiting approval can be rejected; this one is "
                                                "%s.") % enrolment.get_status_display()]})
        before = snapshot(enrolment, ENROLMENT_FIELDS)
        enrolment.status = EnrolmentStatus.REJECTED
        enrolment.decided_by, enrolment.decided_at = actor, timezone.now()
        enrolment.decision_note = reason.strip()
        enrolment.save()
        record_change(actor=actor, action="training.rejected", target=enrolment, before=before,
                      after=snapshot(enrolment, ENROLMENT_FIELDS), reason=reason.strip())
    return enrolment


def withdraw(enrolment: Enrolment, *, actor, reason: str = "") -> Enrolment:
    """Withdraw from a course before it is held (the employee, their supervisor or HR). A freed seat goes
    to the first on the waiting list."""
    if not selectors.can_withdraw(actor, enrolment):
        raise PermissionDenied(_("You may not withdraw this enrolment."))
    with transaction.atomic():
        enrolment = _locked(enrolment)
        if enrolment.status not in LIVE_STATUSES:
            raise ValidationError({"status": [_("This enrolment is %s and cannot be withdrawn.")
                                              % enrolment.get_status_display()]})
        before = snapshot(enrolment, ENROLMENT_FIELDS)
        had_seat = enrolment.status == EnrolmentStatus.CONFIRMED
        enrolment.status = EnrolmentStatus.WITHDRAWN
        enrolment.cost = 0
        enrolment.decision_note = (reason or "").strip()
        enrolment.save()
        record_change(actor=actor, action="training.withdrawn", target=enrolment, before=before,
                      after=snapshot(enrolment, ENROLMENT_FIELDS), reason=enrolment.decision_note)
        if had_seat:
            _promote(enrolment.session)
    return enrolment


# --- attendance, completion, evaluation -----------------------------------------------------------
def record_attendance(session: TrainingSession, *, actor, present) -> int:
    """Mark who attended: the enrolment ids in `present` attended, every other confirmed participant
    did not. Returns how many attended."""
    _require_hr(actor)
    present = {_to_int(pk) for pk in present}
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if session.status != SessionStatus.SCHEDULED:
            raise ValidationError({"status": [_("Attendance is recorded for a scheduled session only.")]})
        if session.starts_on > facts.today():
            raise ValidationError({"session": [_("The session has not started yet.")]})
        participants = list(session.enrolments.filter(status=EnrolmentStatus.CONFIRMED))
        strangers = sorted(str(pk) for pk in present - {e.pk for e in participants})
        if strangers:
            raise ValidationError({"present": [_("Not a participant with a seat in this session: %s.")
                                               % ", ".join(strangers)]})
        for enrolment in participants:
            enrolment.attended = enrolment.pk in present
            enrolment.save(update_fields=["attended"])
        record_change(actor=actor, action="training.attendance", target=session,
                      after={"present": sorted(present), "absent": sorted(e.pk for e in participants
                                                                          if e.pk not in present)})
    return len(present)


def complete_session(session: TrainingSession, *, actor) -> TrainingSession:
    """Close a session that has ended: participants who attended complete it (JP earned, certificate
    number issued), those who did not are marked so; requests and waiting places left are closed."""
    _require_hr(actor)
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().select_related("course").get(pk=session.pk)
        if session.status != SessionStatus.SCHEDULED:
            raise ValidationError({"status": [_("Only a scheduled session can be completed.")]})
        if session.ends_on > facts.today():
            raise ValidationError({"session": [_("The session ends on %s; complete it after that.")
                                               % formats.date(session.ends_on)]})
        participants = list(session.enrolments.select_related("employee").filter(
            status=EnrolmentStatus.CONFIRMED).order_by("employee__full_name", "id"))
        unknown = [e.employee.full_name for e in participants if e.attended is None]
        if unknown:
            raise ValidationError({"attendance": [_("Record the attendance of %s first.") % ", ".join(unknown)]})
        number = 0
        for enrolment in participants:
            if enrolment.attended:
                number += 1
                enrolment.status = EnrolmentStatus.COMPLETED
                enrolment.jp_hours = session.jp_hours
                enrolment.completed_on = session.ends_on
                enrolment.certificate_number = certificate_number(session, number)
            else:
                enrolment.status = EnrolmentStatus.NO_SHOW
            enrolment.save()
        session.enrolments.filter(status__in=LIVE_STATUSES).update(
            status=EnrolmentStatus.CANCELLED, decision_note=_("The session was held without a seat for this request."))
        session.status = SessionStatus.COMPLETED
        session.save(update_fields=["status"])
        record_change(actor=actor, action="training.session_completed", target=session,
                      after={"completed": number, "no_show": len(participants) - number})
        count_in_appraisal([e.employee_id for e in participants if e.attended], session.ends_on, actor=actor)
    return session


def count_in_appraisal(employee_ids, on, *, actor) -> None:
    """Training counts in the SKP: each indicator measured by training hours (IkiMeasure.TRAINING_JP) in
    the employees' approved plans gets, for the period containing `on`, the JP they completed in it."""
    for iki, period in appraisal_selectors.counted_indicators(employee_ids, IkiMeasure.TRAINING_JP, on):
        jp, pieces = selectors.jp_between(iki.rhk.plan.employee_id, period.starts_on, period.ends_on)
        text = _("%(jp)s JP from %(count)s completed training records") % {"jp": jp, "count": pieces}
        appraisal_services.write_counted_realisation(iki=iki, period=period, value=Decimal(jp) if pieces else None,
                                                     text=text, actor=actor)


def certificate_number(session: TrainingSession, number: int) -> str:
    return f"{connection.schema_name.upper()}/{session.course.code}/{session.ends_on.year}/{session.pk:05d}/{number:03d}"


def submit_evaluation(enrolment: Enrolment, *, actor, content, trainer, relevance, comment: str = "") -> Evaluation:
    """A participant's evaluation of a session they completed; one each."""
    if not (getattr(actor, "is_authenticated", False) and enrolment.employee.user_id == actor.pk):
        raise PermissionDenied(_("Only the participant evaluates their own training."))
    if enrolment.status != EnrolmentStatus.COMPLETED:
        raise ValidationError({"status": [_("Evaluate a session after completing it.")]})
    scores = {"content": _to_int(content), "trainer": _to_int(trainer), "relevance": _to_int(relevance)}
    errors = {name: [_("Give a score from 1 to 5.")] for name, value in scores.items()
              if not isinstance(value, int) or not 1 <= value <= 5}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if Evaluation.objects.filter(enrolment=enrolment).exists():
            raise ValidationError({"evaluation": [_("You have already evaluated this session.")]})
        evaluation = Evaluation.objects.create(enrolment=enrolment, comment=(comment or "").strip(), **scores)
    return evaluation


# --- external courses, budgets, settings -----------------------------------------------------------
def record_external_course(*, actor, employee: Employee, title: str, organiser: str, jp_hours, started_on,
                           ended_on, record_kind: str = RecordKind.KURSUS, certificate_number: str = "",
                           cost=0) -> ExternalCourse:
    """Record training taken elsewhere. HR's records count at once; an employee's own record counts once
    HR verifies it."""
    is_hr = selectors.is_hr(actor)
    if not is_hr and not (getattr(actor, "is_authenticated", False) and employee.user_id == actor.pk):
        raise PermissionDenied(_("Only HR or the employee themself may record external training."))
    external = ExternalCourse(employee=employee, unit_id=employee.unit_id, title=(title or "").strip(),
                              organiser=(organiser or "").strip(), jp_hours=_to_int(jp_hours),
                              started_on=started_on, ended_on=ended_on, record_kind=record_kind,
                              certificate_number=(certificate_number or "").strip(), cost=_to_int(cost, default=0),
                              verified=is_hr, recorded_by=actor, verified_by=actor if is_hr else None)
    errors: dict[str, list[str]] = {}
    if not external.title:
        errors["title"] = [_("A title is required.")]
    if not external.organiser:
        errors["organiser"] = [_("Name the organiser.")]
    if not isinstance(external.jp_hours, int) or external.jp_hours < 1:
        errors["jp_hours"] = [_("JP must be a whole number of at least 1.")]
    if not isinstance(external.cost, int) or external.cost < 0:
        errors["cost"] = [_("Cost must be whole rupiah, not negative.")]
    if record_kind not in RecordKind.values:
        errors["record_kind"] = [_("Choose diklat or kursus.")]
    if not started_on:
        errors["started_on"] = [_("A start date is required.")]
    if not ended_on:
        errors["ended_on"] = [_("An end date is required.")]
    elif started_on and ended_on < started_on:
        errors["ended_on"] = [_("The course cannot end before it starts.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        external.save()
        record_change(actor=actor, action="training.external_recorded", target=external,
                      after=snapshot(external, ["employee_id", "title", "jp_hours", "ended_on", "verified", "cost"]))
        if external.verified:
            count_in_appraisal([external.employee_id], external.ended_on, actor=actor)
    return external


def verify_external_course(*, actor, external: ExternalCourse) -> ExternalCourse:
    _require_hr(actor)
    with transaction.atomic():
        external = ExternalCourse.objects.select_for_update().get(pk=external.pk)
        if external.verified:
            raise ValidationError({"verified": [_("This record is already verified.")]})
        external.verified, external.verified_by = True, actor
        external.save(update_fields=["verified", "verified_by"])
        record_change(actor=actor, action="training.external_verified", target=external,
                      before={"verified": False}, after={"verified": True})
        count_in_appraisal([external.employee_id], external.ended_on, actor=actor)
    return external


MAX_BUDGET_RUPIAH = 10**15  # far above any region's budget, well inside the column's range


def set_unit_budget(*, actor, unit: Unit, year, amount) -> UnitBudget:
    _require_hr(actor)
    year, amount = _to_int(year), _to_int(amount)
    errors = {}
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = [_("Give a year such as 2026.")]
    if not isinstance(amount, int) or not 0 <= amount <= MAX_BUDGET_RUPIAH:
        errors["amount"] = [_("The budget is whole rupiah, from 0 to 1.000.000.000.000.000.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        budget = UnitBudget.objects.select_for_update().filter(unit=unit, year=year).first()
        before = {"amount": budget.amount} if budget else None
        if budget is None:
            budget = UnitBudget(unit=unit, year=year)
        budget.amount, budget.updated_by = amount, actor
        budget.save()
        record_change(actor=actor, action="training.budget_set", target=budget, before=before,
                      after={"unit": unit.code, "year": year, "amount": amount})
    return budget


def set_jp_target(*, actor, target) -> int:
    _require_hr(actor)
    target = _to_int(target)
    if not isinstance(target, int) or not 1 <= target <= 1000:
        raise ValidationError({"annual_jp_target": [_("Give a whole number of JP from 1 to 1000.")]})
    with transaction.atomic():
        settings_row = TrainingSettings.objects.select_for_update().get_or_create(pk=1)[0]
        before = {"annual_jp_target": settings_row.annual_jp_target}
        settings_row.annual_jp_target = target
        settings_row.save()
        record_change(actor=actor, action="training.jp_target_set", target=settings_row, before=before,
                      after={"annual_jp_target": target})
    return target
