"""Writing people and organisation data. Every rule about units, positions and employees lives here;
pages, the API and spreadsheet imports all call these functions, and every write is audited.

Errors are raised as `django.core.exceptions.ValidationError` with a dict keyed by model field name,
so each caller can name the field (a form field, an API field, a spreadsheet column)."""
from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from kinerja.accounts.access import close_login
from kinerja.audit.services import record_change, record_changes, snapshot
from kinerja.people.identifiers import IdentifierError, parse_nip, validate_pppk_number
from kinerja.people.models import (
    DEPARTED_STATUSES,
    PNS_RANKS,
    PPPK_GRADES,
    ActingKind,
    ActingSupervisor,
    Employee,
    EmployeeStatus,
    EmployeeType,
    Position,
    PositionKind,
    Unit,
    UnitKind,
    UnitType,
)
from kinerja.people.signals import announce_workforce_change
from kinerja.region import facts
from kinerja.spreadsheets import check_text

UNIT_FIELDS = ["code", "name", "kind", "unit_type", "parent_id", "path"]
POSITION_FIELDS = ["code", "title", "kind", "position_class", "retirement_age"]
EMPLOYEE_FIELDS = ["nip", "employee_type", "full_name", "gender", "birth_date", "rank", "status", "unit_id",
                   "position_id", "supervisor_id", "user_id", "email", "contract_ends_on"]
GENDER_CODES = ("M", "F")


class Problems:
    """Collects errors per field and raises them together, so a caller sees every problem at once."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


# --- rules shared with the spreadsheet import ------------------------------------------------------

_RANK_PATTERN = re.compile(r"^(IV|III|II|I)\s*/?\s*([A-Ea-e])$")
_ROMAN = {value: index + 1 for index, value in enumerate(PPPK_GRADES)}


def normalise_rank(value: str, employee_type: str) -> str:
    """Spreadsheets write golongan as "III/A", "iii/a" or "III a", and PPPK grades as "ix" or "9"."""
    text = (value or "").strip().upper()
    match = _RANK_PATTERN.match(text)
    if match and (employee_type == EmployeeType.PNS or "/" in text or " " in text):
        # A golongan given for a PPPK keeps its PNS spelling, so the error can say what it is.
        return f"{match.group(1)}/{match.group(2).lower()}"
    if employee_type == EmployeeType.PNS:
        return (value or "").strip()
    if text.isdecimal() and 1 <= int(text) <= len(PPPK_GRADES):
        return PPPK_GRADES[int(text) - 1]
    return text


def rank_problem(employee_type: str, rank: str) -> str | None:
    if employee_type == EmployeeType.PNS and rank not in PNS_RANKS:
        if rank in _ROMAN:
            return _("%s is a PPPK grade; a PNS needs a golongan from I/a to IV/e") % rank
        return _("golongan must be one of I/a to IV/e for a PNS, got %r") % rank
    if employee_type == EmployeeType.PPPK and rank not in PPPK_GRADES:
        if rank in PNS_RANKS:
            return _("%s is a PNS golongan; a PPPK needs a grade from I to XVII") % rank
        return _("grade must be one of I to XVII for a PPPK, got %r") % rank
    return None


def normalise_nip(value) -> str:
    return re.sub(r"[\s.\-]", "", str(value or ""))


def nip_problems(nip: str, employee_type: str, birth_date: datetime.date | None, gender: str | None) -> list[
        tuple[str, str]]:
    """What is wrong with a NIP (PNS) or PPPK number, as (field, reason) pairs. PNS numbers are checked
    part by part against the birth date and gender; PPPK numbers have another structure and only get
    the PPPK check."""
    if employee_type == EmployeeType.PPPK:
        try:
            validate_pppk_number(nip)
        except IdentifierError as error:
            return [("nip", str(error))]
        return []
    try:
        parsed = parse_nip(nip)
    except IdentifierError as error:
        return [("nip", str(error))]
    problems = []
    if birth_date and parsed.birth_date != birth_date:
        problems.append(("nip", _("digits 1-8 of the NIP give birth date %(nip)s but the birth date is %(given)s")
                         % {"nip": parsed.birth_date.isoformat(), "given": birth_date.isoformat()}))
    if gender in GENDER_CODES and parsed.gender != gender:
        problems.append(("nip", _("digit 15 of the NIP says %(nip)s but the gender is %(given)s") % {
            "nip": _("male (1)") if parsed.gender == "M" else _("female (2)"),
            "given": _("male") if gender == "M" else _("female")}))
    return problems


def _choice_problem(problems: Problems, field: str, value, choices) -> None:
    if value not in {choice for choice, _label in choices}:
        allowed = ", ".join(choice for choice, _label in choices)
        problems.add(field, _("must be one of %(allowed)s, got %(value)r") % {"allowed": allowed, "value": value})


def _apply(instance, changes: dict, allowed: set[str]) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({name: [_("this field cannot be changed here")] for name in sorted(unknown)})
    for name, value in changes.items():
        setattr(instance, name, value)


# --- units -----------------------------------------------------------------------------------------

def _validate_unit(unit: Unit) -> None:
    problems = Problems()
    unit.code = (unit.code or "").strip()
    unit.name = (unit.name or "").strip()
    if not unit.code:
        problems.add("code", _("a unit needs a code"))
    elif len(unit.code) > 30:
        problems.add("code", _("a unit code has at most 30 characters"))
    elif Unit.objects.filter(code=unit.code).exclude(pk=unit.pk).exists():
        problems.add("code", _("unit code %s is already used") % unit.code)
    if not unit.name:
        problems.add("name", _("a unit needs a name"))
    _choice_problem(problems, "kind", unit.kind, UnitKind.choices)
    _choice_problem(problems, "unit_type", unit.unit_type, UnitType.choices)
    if unit.kind == UnitKind.SUB_UNIT and unit.parent_id is None:
        problems.add("parent", _("a sub-unit needs a parent unit"))
    if unit.pk and unit.parent_id is not None:
        parent_path = Unit.objects.filter(pk=unit.parent_id).values_list("path", flat=True).first() or ""
        if unit.parent_id == unit.pk or parent_path.startswith(unit.path):
            problems.add("parent", _("%(parent)s is inside %(unit)s; a unit cannot be placed under itself") % {
                "parent": unit.parent, "unit": unit.name})
    problems.raise_if_any()


@transaction.atomic
def create_unit(*, actor, code: str, name: str, kind: str = UnitKind.OPD, unit_type: str = UnitType.OTHER,
                parent: Unit | None = None) -> Unit:
    unit = Unit(code=code, name=name, kind=kind, unit_type=unit_type, parent=parent)
    _validate_unit(unit)
    unit.save()
    # The path holds the unit's own id, so it can only be written once the id exists.
    parent_path = Unit.objects.values_list("path", flat=True).get(pk=parent.pk) if parent else "/"
    unit.path = f"{parent_path}{unit.pk}/"
    unit.save(update_fields=["path"])
    record_change(actor=actor, action="people.unit.create", target=unit, after=snapshot(unit, UNIT_FIELDS))
    return unit


@transaction.atomic
def update_unit(unit: Unit, *, actor, **changes) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(unit, UNIT_FIELDS)
    _apply(unit, changes, {"code", "name", "kind", "unit_type", "parent"})
    _validate_unit(unit)
    unit.save(update_fields=["code", "name", "kind", "unit_type", "parent"])
    if unit.parent_id != before["parent_id"]:
        old_path = unit.path
        parent_path = Unit.objects.values_list("path", flat=True).get(pk=unit.parent_id) if unit.parent_id else "/"
        new_path = f"{parent_path}{unit.pk}/"
        # One statement moves the unit and its whole subtree.
        Unit.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1)))
        unit.refresh_from_db(fields=["path"])
    after = snapshot(unit, UNIT_FIELDS)
    if after != before:
        record_change(actor=actor, action="people.unit.update", target=unit, before=before, after=after)
    return unit


# --- positions -------------------------------------------------------------------------------------

def _validate_position(position: Position) -> None:
    problems = Problems()
    position.code = (position.code or "").strip()
    position.title = (position.title or "").strip()
    if not position.code:
        problems.add("code", _("a position needs a code"))
    elif len(position.code) > 30:
        problems.add("code", _("a position code has at most 30 characters"))
    elif Position.objects.filter(code=position.code).exclude(pk=position.pk).exists():
        problems.add("code", _("position code %s is already used") % position.code)
    if not position.title:
        problems.add("title", _("a position needs a title"))
    _choice_problem(problems, "kind", position.kind, PositionKind.choices)
    if not isinstance(position.position_class, int) or not 1 <= position.position_class <= 17:
        problems.add("position_class", _("kelas jabatan must be a whole number from 1 to 17, got %r")
                     % position.position_class)
    if position.retirement_age is not None and (not isinstance(position.retirement_age, int)
                                                or not 50 <= position.retirement_age <= 70):
        problems.add("retirement_age", _("the retirement age (BUP) must be a whole number from 50 to 70, or empty"))
    problems.raise_if_any()


@transaction.atomic
def create_position(*, actor, code: str, title: str, kind: str, position_class: int,
                    retirement_age: int | None = None) -> Position:
    position = Position(code=code, title=title, kind=kind, position_class=position_class,
                        retirement_age=retirement_age)
    _validate_position(position)
    position.save()
    record_change(actor=actor, action="people.position.create", target=position,
                  after=snapshot(position, POSITION_FIELDS))
    return position


@transaction.atomic
def update_position(position: Position, *, actor, **changes) -> Position:
    position = Position.objects.select_for_update().get(pk=position.pk)
    before = snapshot(position, POSITION_FIELDS)
    _apply(position, changes, {"code", "title", "kind", "position_class", "retirement_age"})
    _validate_position(position)
    position.save()
    after = snapshot(position, POSITION_FIELDS)
    if after != before:
        record_change(actor=actor, action="people.position.update", target=position, before=before, after=after)
    return position


# --- employees -------------------------------------------------------------------------------------

def supervisor_loop(employee_pk: int | None, supervisor_pk: int | None) -> bool:
    """Whether making `supervisor_pk` the supervisor of `employee_pk` would close a loop."""
    if employee_pk is None or supervisor_pk is None:
        return False
    seen = set()
    current = supervisor_pk
    while current is not None and current not in seen:
        if current == employee_pk:
            return True
        seen.add(current)
        current = Employee.objects.filter(pk=current).values_list("supervisor_id", flat=True).first()
    return current is not None  # a loop already present further up is refused as well


def _check_employee_fields(employee: Employee, problems: Problems, today: datetime.date | None = None) -> None:
    """The rules one record decides by itself (no query): names, choices, dates, NIP against birth date and
    gender, rank, e-mail. Normalises the NIP, name, e-mail and rank as it goes."""
    employee.nip = normalise_nip(employee.nip)
    employee.full_name = (employee.full_name or "").strip()
    employee.email = (employee.email or "").strip()
    _choice_problem(problems, "employee_type", employee.employee_type, EmployeeType.choices)
    _choice_problem(problems, "status", employee.status, EmployeeStatus.choices)
    if employee.gender not in GENDER_CODES:
        problems.add("gender", _("gender must be M or F, got %r") % employee.gender)
    if not employee.full_name:
        problems.add("full_name", _("an employee needs a name"))
    elif reason := check_text(employee.full_name, max_length=Employee._meta.get_field("full_name").max_length):
        problems.add("full_name", reason)
    if not isinstance(employee.birth_date, datetime.date):
        problems.add("birth_date", _("a birth date is needed"))
    elif employee.birth_date > (today or facts.today()):
        problems.add("birth_date", _("the birth date %s is in the future") % employee.birth_date.isoformat())
    if employee.employee_type in EmployeeType.values:
        birth = employee.birth_date if isinstance(employee.birth_date, datetime.date) else None
        for field, reason in nip_problems(employee.nip, employee.employee_type, birth, employee.gender):
            problems.add(field, reason)
        employee.rank = normalise_rank(employee.rank, employee.employee_type)
        if reason := rank_problem(employee.employee_type, employee.rank):
            problems.add("rank", reason)
    if employee.unit_id is None:
        problems.add("unit", _("an employee needs a unit"))
    if employee.position_id is None:
        problems.add("position", _("an employee needs a position"))
    if employee.pk is not None and employee.supervisor_id is not None and employee.supervisor_id == employee.pk:
        problems.add("supervisor", _("an employee cannot be their own supervisor"))
    if employee.email:
        try:
            validate_email(employee.email)
        except ValidationError:
            problems.add("email", _("%r is not an email address") % employee.email)
    if employee.contract_ends_on is not None:
        if not isinstance(employee.contract_ends_on, datetime.date):
            problems.add("contract_ends_on", _("the contract end must be a date"))
        elif employee.employee_type != EmployeeType.PPPK:
            problems.add("contract_ends_on", _("only PPPK employees have a contract end"))


def _validate_employee(employee: Employee) -> None:
    problems = Problems()
    _check_employee_fields(employee, problems)
    if "nip" not in problems.errors and Employee.objects.filter(nip=employee.nip).exclude(pk=employee.pk).exists():
        problems.add("nip", _("NIP %s already belongs to another employee") % employee.nip)
    if employee.supervisor_id is not None and "supervisor" not in problems.errors and \
            supervisor_loop(employee.pk, employee.supervisor_id):
        problems.add("supervisor", _("%s already reports, directly or not, to this employee; that would make "
                                     "a loop") % employee.supervisor)
    if employee.user_id is not None and Employee.objects.filter(user_id=employee.user_id).exclude(
            pk=employee.pk).exists():
        problems.add("user", _("this login already belongs to another employee"))
    problems.raise_if_any()


@transaction.atomic
def create_employee(*, actor, nip: str, employee_type: str, full_name: str, gender: str,
                    birth_date: datetime.date, rank: str, unit: Unit, position: Position,
                    status: str = EmployeeStatus.ACTIVE, supervisor: Employee | None = None, email: str = "",
                    user=None, contract_ends_on: datetime.date | None = None) -> Employee:
    employee = Employee(nip=nip, employee_type=employee_type, full_name=full_name, gender=gender,
                        birth_date=birth_date, rank=rank, unit=unit, position=position, status=status,
                        supervisor=supervisor, email=email, user=user, contract_ends_on=contract_ends_on)
    _validate_employee(employee)
    employee.save()
    record_change(actor=actor, action="people.employee.create", target=employee,
                  after=snapshot(employee, EMPLOYEE_FIELDS))
    if employee.status == EmployeeStatus.ACTIVE:
        announce_workforce_change()
    return employee


EMPLOYEE_EDITABLE = {"nip", "employee_type", "full_name", "gender", "birth_date", "rank", "status", "unit",
                     "position", "supervisor", "email", "contract_ends_on"}


@transaction.atomic
def update_employee(employee: Employee, *, actor, reason: str = "", **changes) -> Employee:
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    before = snapshot(employee, EMPLOYEE_FIELDS)
    _apply(employee, changes, EMPLOYEE_EDITABLE)
    _validate_employee(employee)
    employee.save()
    after = snapshot(employee, EMPLOYEE_FIELDS)
    if after != before:
        record_change(actor=actor, action="people.employee.update", target=employee, before=before, after=after,
                      reason=reason)
    if EmployeeStatus.ACTIVE in {before["status"], after["status"]} and before["status"] != after["status"]:
        announce_workforce_change()
    if after["status"] in DEPARTED_STATUSES and before["status"] not in DEPARTED_STATUSES:
        end_login_of_departed(employee, actor=actor)
    return employee


class RowRefused(Exception):
    """A record of a bulk write broke a rule: `index` is its place in the list given, `error` the
    ValidationError the single-record service would have raised for it."""

    def __init__(self, index: int, error: ValidationError):
        super().__init__(str(error))
        self.index, self.error = index, error


BULK_CHUNK = 1000


def _chunks(items: list, size: int = BULK_CHUNK):
    for start in range(0, len(items), size):
        yield start, items[start:start + size]


@transaction.atomic
def create_employees_in_bulk(*, actor, employees: list[Employee]) -> list[Employee]:
    """`create_employee` for many records at once (imports of tens of thousands of rows): the same rules,
    rows and audit entries, written a thousand at a time instead of a few queries each. Every record is
    checked by itself, then the NIPs against each other and the region's in one query per thousand; a new
    employee has no subordinates yet, so the supervisor it names (one already written) closes no loop. New
    employees get no login here. Raises RowRefused for the first record refused, so the caller's
    transaction writes nothing."""
    seen: dict[str, int] = {}
    today = facts.today()
    for index, employee in enumerate(employees):
        problems = Problems()
        _check_employee_fields(employee, problems, today)
        if employee.user_id is not None:
            problems.add("user", _("this login already belongs to another employee"))
        if "nip" not in problems.errors and employee.nip in seen:
            problems.add("nip", _("NIP %s already belongs to another employee") % employee.nip)
        if problems.errors:
            raise RowRefused(index, ValidationError(problems.errors))
        seen[employee.nip] = index
    for start, chunk in _chunks(employees):
        taken = set(Employee.objects.filter(nip__in=[employee.nip for employee in chunk]).values_list("nip", flat=True))
        for index, employee in enumerate(chunk, start=start):
            if employee.nip in taken:
                raise RowRefused(index, ValidationError({"nip": [_("NIP %s already belongs to another employee")
                                                                 % employee.nip]}))
    Employee.objects.bulk_create(employees, batch_size=BULK_CHUNK)
    record_changes(actor=actor, action="people.employee.create",
                   changes=[(employee, None, snapshot(employee, EMPLOYEE_FIELDS)) for employee in employees])
    if any(employee.status == EmployeeStatus.ACTIVE for employee in employees):
        announce_workforce_change()
    return employees


@transaction.atomic
def update_employees_in_bulk(*, actor, changes: list[tuple[str, dict]], reason: str = "") -> list[Employee]:
    """`update_employee` for many records at once, each named by its NIP with its field changes: the same
    rules, rows and audit entries (only for records that changed), written a thousand at a time. A change
    of supervisor is checked for loops record by record, as the single service does; someone who leaves
    the service loses their login as there. Raises RowRefused for the first record refused, so the
    caller's transaction writes nothing."""
    updated: list[tuple[Employee, dict]] = []
    departed: list[Employee] = []
    workforce_changed = False
    today = facts.today()
    for start, chunk in _chunks(changes):
        current = {employee.nip: employee for employee in
                   Employee.objects.select_for_update().filter(nip__in=[nip for nip, _values in chunk])}
        for index, (nip, values) in enumerate(chunk, start=start):
            employee = current.get(nip)
            if employee is None:
                raise RowRefused(index, ValidationError({"nip": [_("no employee has NIP %s") % nip]}))
            before = snapshot(employee, EMPLOYEE_FIELDS)
            try:
                _apply(employee, values, EMPLOYEE_EDITABLE)
            except ValidationError as error:
                raise RowRefused(index, error) from None
            problems = Problems()
            _check_employee_fields(employee, problems, today)
            if "nip" not in problems.errors and employee.nip != before["nip"] and \
                    Employee.objects.filter(nip=employee.nip).exclude(pk=employee.pk).exists():
                problems.add("nip", _("NIP %s already belongs to another employee") % employee.nip)
            if "supervisor" not in problems.errors and employee.supervisor_id is not None and \
                    employee.supervisor_id != before["supervisor_id"] and supervisor_loop(employee.pk, employee.supervisor_id):
                problems.add("supervisor", _("%s already reports, directly or not, to this employee; that would "
                                             "make a loop") % employee.supervisor)
            if problems.errors:
                raise RowRefused(index, ValidationError(problems.errors))
            after = snapshot(employee, EMPLOYEE_FIELDS)
            if after == before:
                continue
            updated.append((employee, before))
            if EmployeeStatus.ACTIVE in {before["status"], after["status"]} and before["status"] != after["status"]:
                workforce_changed = True
            if after["status"] in DEPARTED_STATUSES and before["status"] not in DEPARTED_STATUSES:
                departed.append(employee)
    fields = sorted(EMPLOYEE_EDITABLE)
    Employee.objects.bulk_update([employee for employee, _before in updated], fields, batch_size=BULK_CHUNK)
    record_changes(actor=actor, action="people.employee.update", reason=reason,
                   changes=[(employee, before, snapshot(employee, EMPLOYEE_FIELDS)) for employee, before in updated])
    if workforce_changed:
        announce_workforce_change()
    for employee in departed:
        end_login_of_departed(employee, actor=actor)
    return [employee for employee, _before in updated]


def end_login_of_departed(employee: Employee, *, actor) -> None:
    """Someone who left (retired, dismissed, moved to another region) loses their login the moment the
    status is set: deactivated, sessions ended, API tokens revoked. The login row and everything it did
    stay, so their history is whole."""
    if employee.user_id is None:
        return
    ended = close_login(employee.user, by=actor if getattr(actor, "is_authenticated", False) else None)
    if ended["was_active"] or ended["sessions"] or ended["tokens"]:
        record_change(actor=actor, action="accounts.login.closed", target=employee.user,
                      before={"is_active": ended["was_active"]},
                      after={"is_active": False, "sessions_ended": ended["sessions"],
                             "tokens_revoked": ended["tokens"]},
                      reason=_("%(name)s left the region's service (%(status)s)") % {
                          "name": employee.full_name, "status": employee.get_status_display()})


@transaction.atomic
def link_user(employee: Employee, user, *, actor) -> Employee:
    """Give an employee their login (or take it away with user=None)."""
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    before = snapshot(employee, ["user_id"])
    if user is not None:
        taken = Employee.objects.filter(user=user).exclude(pk=employee.pk).first()
        if taken is not None:
            raise ValidationError({"user": [_("login %(login)s already belongs to %(employee)s") % {
                "login": user.get_username(), "employee": taken}]})
    employee.user = user
    employee.save(update_fields=["user"])
    after = snapshot(employee, ["user_id"])
    if after != before:
        record_change(actor=actor, action="people.employee.link_user", target=employee, before=before, after=after)
    return employee


# --- acting supervisors (Plt / Plh) ----------------------------------------------------------------

ACTING_FIELDS = ["acting_id", "in_place_of_id", "kind", "starts_on", "ends_on", "decree_number", "reason"]


def _validate_acting(assignment: ActingSupervisor) -> None:
    problems = Problems()
    assignment.reason = (assignment.reason or "").strip()
    assignment.decree_number = (assignment.decree_number or "").strip()
    _choice_problem(problems, "kind", assignment.kind, ActingKind.choices)
    if assignment.acting_id is None:
        problems.add("acting", _("name the employee who acts as supervisor"))
    if assignment.in_place_of_id is None:
        problems.add("in_place_of", _("name the supervisor whose place is taken"))
    elif assignment.acting_id == assignment.in_place_of_id:
        problems.add("acting", _("an employee cannot act in their own place"))
    if not isinstance(assignment.starts_on, datetime.date):
        problems.add("starts_on", _("a start date is needed"))
    if not isinstance(assignment.ends_on, datetime.date):
        problems.add("ends_on", _("an end date is needed"))
    elif isinstance(assignment.starts_on, datetime.date) and assignment.ends_on < assignment.starts_on:
        problems.add("ends_on", _("the end date %(end)s is before the start date %(start)s") % {
            "end": assignment.ends_on.isoformat(), "start": assignment.starts_on.isoformat()})
    if not assignment.reason:
        problems.add("reason", _("say why (the decree or the holder's absence)"))
    if assignment.acting_id is not None:
        acting = Employee.objects.filter(pk=assignment.acting_id).values_list("status", flat=True).first()
        if acting in DEPARTED_STATUSES:
            problems.add("acting", _("this employee has left the region's service"))
    problems.raise_if_any()


@transaction.atomic
def appoint_acting_supervisor(*, actor, acting: Employee, in_place_of: Employee, kind: str,
                              starts_on: datetime.date, ends_on: datetime.date, reason: str,
                              decree_number: str = "") -> ActingSupervisor:
    assignment = ActingSupervisor(acting=acting, in_place_of=in_place_of, kind=kind, starts_on=starts_on,
                                  ends_on=ends_on, reason=reason, decree_number=decree_number,
                                  created_by=actor if getattr(actor, "is_authenticated", False) else None)
    _validate_acting(assignment)
    assignment.save()
    record_change(actor=actor, action="people.acting.appoint", target=assignment,
                  after=snapshot(assignment, ACTING_FIELDS), reason=assignment.reason)
    return assignment


@transaction.atomic
def end_acting_supervisor(assignment: ActingSupervisor, *, actor, reason: str = "") -> ActingSupervisor | None:
    """End an acting assignment now: its last day becomes yesterday, so it holds no rights from today.
    One that has not started yet is withdrawn (the audit trail keeps what it was)."""
    assignment = ActingSupervisor.objects.select_for_update().get(pk=assignment.pk)
    before = snapshot(assignment, ACTING_FIELDS)
    yesterday = facts.today() - datetime.timedelta(days=1)
    if assignment.ends_on <= yesterday:
        raise ValidationError({"ends_on": [_("this assignment already ended on %s")
                                           % assignment.ends_on.isoformat()]})
    if assignment.starts_on > yesterday:
        record_change(actor=actor, action="people.acting.withdraw", target=assignment, before=before,
                      reason=reason)
        assignment.delete()
        return None
    assignment.ends_on = yesterday
    assignment.save(update_fields=["ends_on"])
    record_change(actor=actor, action="people.acting.end", target=assignment, before=before,
                  after=snapshot(assignment, ACTING_FIELDS), reason=reason)
    return assignment
