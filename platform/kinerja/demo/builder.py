"""Building the demo: plan each region in memory (deterministic, no database), check the plan against the
people rules, then onboard the region through the tenants service and write its data in bulk.

Regions that already exist are left exactly as they are, so running the demo twice changes nothing."""
from __future__ import annotations

import concurrent.futures
import functools
import multiprocessing
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context

from kinerja.accounts.models import Role
from kinerja.audit.models import AuditEntry
from kinerja.audit.services import record_change
from kinerja.demo.activity import Activity, fill_region
from kinerja.demo.catalog import STAFF_POSITIONS, STAFF_PROFILES, PositionTemplate
from kinerja.demo.organisation import SEKDA_UNIT, UnitPlan, plan_organisation
from kinerja.demo.people import Person, PersonFactory
from kinerja.demo.regions import DEMO_REGIONS, RegionSpec
from kinerja.demo.tour import SEEDED_ACTION
from kinerja.logins import platform_logins
from kinerja.logins import services as logins
from kinerja.people.models import Employee, EmployeeStatus, EmployeeType, Position, Unit
from kinerja.people.services import nip_problems, rank_problem
from kinerja.reports.services import refresh_in_process
from tenants.models import Region
from tenants.services import OnboardingRequest, onboard_region, region_host

DEFAULT_PASSWORD = "kinerja-demo"
DEFAULT_EMPLOYEES = 300
DEFAULT_SEED = "kinerja"
SUPERVISOR_UNIT = "DINKES"  # the demo supervisor heads the health agency; the demo employee reports to them
ON_LEAVE_SHARE = 0.02
MAX_WORKERS = 4  # one per demo region


class DemoDataError(ValueError):
    pass


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    label: str


REGION_LOGINS = (
    Login("hr", Role.HR_ADMIN, _("HR admin")),
    Login("pimpinan", Role.LEADERSHIP, _("Leadership viewer")),
    Login("auditor", Role.AUDITOR, _("Auditor")),
    Login("atasan", Role.EMPLOYEE, _("Supervisor (head of the health agency)")),
    Login("pegawai", Role.EMPLOYEE, _("Employee (reports to atasan)")),
)
PLATFORM_LOGINS = (
    Login("operator", Role.OPERATOR, _("Platform operator")),
    Login("bkn", Role.BKN_ANALYST, _("BKN analyst")),
    Login("vendor", Role.PLUGIN_VENDOR, _("Plugin vendor")),
)
# PLUGIN_META["vendor"] of the first-party plugins.
DEMO_VENDOR = "Kinerja"
HR_LOGIN = REGION_LOGINS[0].username
SUPERVISOR_LOGIN = "atasan"
EMPLOYEE_LOGIN = "pegawai"


# --- planning (pure Python) -------------------------------------------------------------------------

@dataclass
class EmployeePlan:
    person: Person
    unit: str
    position: str
    supervisor: int | None = None  # index into RegionPlan.employees
    status: str = EmployeeStatus.ACTIVE
    login: str | None = None


@dataclass
class RegionPlan:
    spec: RegionSpec
    units: list[UnitPlan]
    positions: dict[str, PositionTemplate]
    employees: list[EmployeePlan] = field(default_factory=list)


def minimum_employees(spec: RegionSpec, total: int) -> int:
    units = plan_organisation(spec, total)
    return len(units) + sum(unit.min_staff for unit in units)


def _allocate(units: list[UnitPlan], staff: int) -> dict[str, int]:
    """Staff per unit: each unit's minimum, the rest by weight (largest remainder, so it sums exactly)."""
    counts = {unit.code: unit.min_staff for unit in units}
    rest = staff - sum(counts.values())
    weights = {unit.code: unit.weight for unit in units if unit.weight > 0}
    total_weight = sum(weights.values())
    shares = {code: rest * weight / total_weight for code, weight in weights.items()}
    for code, share in shares.items():
        counts[code] += int(share)
    left = rest - sum(int(share) for share in shares.values())
    for code in sorted(shares, key=lambda c: shares[c] - int(shares[c]), reverse=True)[:left]:
        counts[code] += 1
    return counts


def plan_region(spec: RegionSpec, total: int, seed: str) -> RegionPlan:
    units = plan_organisation(spec, total)
    needed = minimum_employees(spec, total)
    if total < needed:
        raise DemoDataError(
            _("%(region)s needs at least %(needed)d employees (one head per unit), %(total)d were asked for.")
            % {"region": spec.name, "needed": needed, "total": total})
    rng = random.Random(f"{seed}:{spec.slug}")
    factory = PersonFactory(rng, spec.names)
    plan = RegionPlan(spec, units, {})
    by_code = {unit.code: unit for unit in units}
    head_of: dict[str, int] = {}

    def head_above(unit: UnitPlan) -> int | None:
        parent = unit.parent
        while parent is not None:
            if parent in head_of:
                return head_of[parent]
            parent = by_code[parent].parent
        return head_of.get(SEKDA_UNIT) if unit.code != SEKDA_UNIT else None

    for unit in units:  # parents come before their children
        plan.positions.setdefault(unit.head.code, unit.head)
        head_of[unit.code] = len(plan.employees)
        plan.employees.append(EmployeePlan(factory.make(unit.head, pppk_allowed=False), unit.code,
                                           unit.head.code, head_above(unit)))

    allocation = _allocate(units, total - len(units))
    for unit in units:
        codes, weights = zip(*STAFF_PROFILES[unit.profile])
        for _index in range(allocation[unit.code]):
            template = STAFF_POSITIONS[rng.choices(codes, weights=weights)[0]]
            plan.positions.setdefault(template.code, template)
            status = EmployeeStatus.ON_LEAVE if rng.random() < ON_LEAVE_SHARE else EmployeeStatus.ACTIVE
            plan.employees.append(EmployeePlan(factory.make(template), unit.code, template.code,
                                               head_of[unit.code], status))

    supervisor = head_of[SUPERVISOR_UNIT]
    plan.employees[supervisor].login = SUPERVISOR_LOGIN
    employee = next(e for e in plan.employees if e.supervisor == supervisor and e.unit == SUPERVISOR_UNIT)
    employee.login = EMPLOYEE_LOGIN
    employee.status = EmployeeStatus.ACTIVE
    check_plan(plan)
    return plan


def check_plan(plan: RegionPlan) -> None:
    """The people services' own rules for one employee (NIP against birth date and gender, golongan or
    PPPK grade), applied to the whole plan, plus the rules of the tree: codes fit, everyone but the
    Sekda has a supervisor."""
    for number, employee in enumerate(plan.employees, start=1):
        person = employee.person
        where = f"{plan.spec.name}, employee {number} ({person.full_name})"
        problems = nip_problems(person.nip, person.employee_type, person.birth_date, person.gender)
        if reason := rank_problem(person.employee_type, person.rank):
            problems.append(("rank", reason))
        if employee.supervisor is None and employee.unit != SEKDA_UNIT:
            problems.append(("supervisor", "missing"))
        if problems:
            raise DemoDataError(f"{where}: " + "; ".join(f"{field}: {reason}" for field, reason in problems))
    too_long = [code for code in [u.code for u in plan.units] + list(plan.positions) if len(code) > 30]
    if too_long:
        raise DemoDataError(f"{plan.spec.name}: codes longer than 30 characters: {', '.join(too_long)}")


# --- writing ------------------------------------------------------------------------------------

@dataclass
class RegionOutcome:
    spec: RegionSpec
    status: str  # "created", "demo" (seeded before) or "other" (exists, not demo data)
    host: str
    employees: int = 0
    units: int = 0
    logins: tuple[Login, ...] = ()
    activity: Activity | None = None


@dataclass
class DemoReport:
    password: str
    regions: list[RegionOutcome] = field(default_factory=list)
    platform_host: str = ""
    platform_logins: tuple[Login, ...] = ()
    platform_logins_created: int = 0


def _reserve_ids(model, count: int) -> list[int]:
    """Take `count` ids from the table's sequence, so rows can point at each other (parent, supervisor)
    and carry their own path in a single insert, with no update pass afterwards."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [model._meta.db_table, count])
        return [row[0] for row in cursor.fetchall()]


def _write_units(plan: RegionPlan) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for unit, pk in zip(plan.units, _reserve_ids(Unit, len(plan.units))):  # parents come before children
        parent = units[unit.parent] if unit.parent else None
        units[unit.code] = Unit(pk=pk, code=unit.code, name=unit.name, kind=unit.kind, unit_type=unit.unit_type,
                                parent=parent, path=f"{parent.path if parent else '/'}{pk}/")
    Unit.objects.bulk_create(units.values())  # the parent foreign key is checked at commit
    return units


def _write_logins(plan: RegionPlan, employees: dict[str, Employee], password_hash: str) -> None:
    """The demo logins, made by the logins services as a region's HR admin makes them; the demo then
    sets the shared password, which a real person does through their one-time link."""
    User = get_user_model()
    spec = plan.spec
    hr = User.objects.get(username=HR_LOGIN)
    site_url = f"http://{region_host(spec.slug)}/"
    # The demo regions send no e-mail: HR is shown each set-password link instead.
    logins.update_sign_in_policy(actor=hr, require_two_factor_for_hr=False, email_links=False)
    full_names = {"pimpinan": f"{spec.head_of_region} {spec.short_name}",
                  "auditor": f"Auditor Inspektorat {spec.short_name}"}
    for login in REGION_LOGINS:
        if login.username == HR_LOGIN:
            continue
        if login.username in employees:
            logins.create_login(actor=hr, employee=employees[login.username], site_url=site_url,
                                username=login.username)
        else:
            logins.create_staff_login(actor=hr, username=login.username, full_name=full_names[login.username],
                                      email=f"{login.username}@{spec.mail_domain}", role=login.role,
                                      reason="Demo", site_url=site_url)
    # The HR admin made by onboarding has no usable password yet; the demo gives every login the shared one.
    User.objects.filter(username__in=[login.username for login in REGION_LOGINS]).update(password=password_hash)


def _write_people(plan: RegionPlan, password_hash: str) -> None:
    units = _write_units(plan)
    positions = {code: Position(code=code, title=t.title, kind=t.kind, position_class=t.position_class)
                 for code, t in plan.positions.items()}
    Position.objects.bulk_create(positions.values())
    ids = _reserve_ids(Employee, len(plan.employees))
    rows, with_login = [], {}
    for pk, e in zip(ids, plan.employees):
        rows.append(Employee(
            pk=pk, nip=e.person.nip, employee_type=e.person.employee_type, full_name=e.person.full_name,
            gender=e.person.gender, birth_date=e.person.birth_date, rank=e.person.rank, status=e.status,
            unit=units[e.unit], position=positions[e.position],
            supervisor_id=ids[e.supervisor] if e.supervisor is not None else None,
            email=f"{e.login}@{plan.spec.mail_domain}" if e.login else ""))
        if e.login:
            with_login[e.login] = rows[-1]
    Employee.objects.bulk_create(rows, batch_size=500)
    _write_logins(plan, with_login, password_hash)

    pns = sum(e.person.employee_type == EmployeeType.PNS for e in plan.employees)
    region = Region.objects.get(schema_name=plan.spec.slug)
    record_change(actor=None, action=SEEDED_ACTION, target=region, reason="Demo data",
                  after={"units": len(units), "positions": len(positions), "employees": len(rows), "pns": pns,
                         "pppk": len(rows) - pns, "logins": [login.username for login in REGION_LOGINS],
                         "story": plan.spec.story})


def _onboard_and_fill(plan: RegionPlan, password_hash: str, seed: str) -> tuple[str, Activity]:
    spec = plan.spec
    with transaction.atomic():  # a region is either complete or not there at all
        result = onboard_region(OnboardingRequest(
            name=spec.name, slug=spec.slug, kind=spec.kind, region_code=spec.region_code, province=spec.province,
            time_zone=spec.time_zone, admin_email=f"bkpsdm@{spec.mail_domain}",
            admin_name=f"Admin BKPSDM {spec.short_name}", admin_username=HR_LOGIN), send_email=False)
        with schema_context(spec.slug):
            _write_people(plan, password_hash)
            activity = fill_region(spec.slug, seed, password_hash,
                                   {code: template.rank_low for code, template in plan.positions.items()},
                                   {unit.code: unit.profile for unit in plan.units}, spec.story)
    return result.domain, activity


def _build_one(plan: RegionPlan, password_hash: str, seed: str):
    try:
        return _onboard_and_fill(plan, password_hash, seed)
    except ValidationError as error:
        return error


def _build_in_child(plan: RegionPlan, password_hash: str, seed: str):
    """In a worker process: a connection of its own, closed when done."""
    try:
        return _build_one(plan, password_hash, seed)
    finally:
        connections.close_all()


def _build_regions(plans: list[RegionPlan], password_hash: str, seed: str) -> dict:
    """Each region in its own transaction. The regions share nothing but the public schema's tables, so
    with more than one to build and no transaction open around the call (the command, not a test), they
    are built side by side in worker processes, one per core: the year of four regions is made in the
    time of the longest. Returns slug -> (host, activity) or the ValidationError that stopped it."""
    workers = min(len(plans), os.cpu_count() or 1, MAX_WORKERS)
    if workers < 2 or connection.in_atomic_block or multiprocessing.get_start_method(allow_none=True) not in (
            None, "fork"):
        return {plan.spec.slug: _build_one(plan, password_hash, seed) for plan in plans}
    connections.close_all()  # a forked child must not share the parent's socket
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = {plan.spec.slug: pool.submit(_build_in_child, plan, password_hash, seed) for plan in plans}
        return {slug: future.result() for slug, future in futures.items()}


def _existing_outcome(spec: RegionSpec, region: Region) -> RegionOutcome:
    User = get_user_model()
    host = region.get_primary_domain().domain if region.domains.exists() else region_host(spec.slug)
    with schema_context(spec.slug):
        if not AuditEntry.objects.filter(action=SEEDED_ACTION).exists():
            return RegionOutcome(spec, "other", host)
        present = set(User.objects.filter(username__in=[l.username for l in REGION_LOGINS])
                      .values_list("username", flat=True))
        return RegionOutcome(spec, "demo", host, Employee.objects.count(), Unit.objects.count(),
                             tuple(login for login in REGION_LOGINS if login.username in present))


def _ensure_platform_logins(password_hash: Callable[[], str]) -> int:
    """The demo's operator, BKN analyst and vendor, made as an operator makes platform logins; only the
    shared demo password is set on top (a real login sets its own through the link)."""
    User = get_user_model()
    created = 0
    with schema_context("public"):
        for login in PLATFORM_LOGINS:
            if User.objects.filter(username=login.username).exists():
                continue
            # The demo vendor speaks for the first-party plugins, so their failure log has a reader.
            delivery = platform_logins.create_platform_login(
                actor=None, username=login.username, full_name=str(login.label), role=login.role,
                vendor=DEMO_VENDOR if login.role == Role.PLUGIN_VENDOR else "", site_url=settings.KINERJA_SITE_URL)
            User.objects.filter(pk=delivery.user.pk).update(password=password_hash())
            created += 1
    return created


def seed_demo(*, employees: int = DEFAULT_EMPLOYEES, seed: str = DEFAULT_SEED, password: str = DEFAULT_PASSWORD,
              regions: tuple[RegionSpec, ...] = DEMO_REGIONS) -> DemoReport:
    validate_password(password)
    existing = {r.schema_name: r for r in Region.objects.filter(schema_name__in=[s.slug for s in regions])}
    # Plan every missing region before writing anything, so a bad size stops the run with nothing done.
    plans = {spec.slug: plan_region(spec, employees, seed) for spec in regions if spec.slug not in existing}
    # One hash for every demo login, made only when a login is created: hashing is deliberately slow,
    # and the password is shared anyway.
    password_hash = functools.cache(lambda: make_password(password))
    report = DemoReport(password, platform_host=settings.KINERJA_BASE_DOMAIN, platform_logins=PLATFORM_LOGINS)
    missing = [spec for spec in regions if spec.slug not in existing]
    made = _build_regions([plans[spec.slug] for spec in missing], password_hash() if missing else "", seed)
    for spec in regions:
        if spec.slug in existing:
            report.regions.append(_existing_outcome(spec, existing[spec.slug]))
            continue
        plan = plans[spec.slug]
        outcome = made[spec.slug]
        if isinstance(outcome, BaseException):
            error = outcome
            if not isinstance(error, ValidationError):
                raise error
            # e.g. its official code is taken by a region under another name
            problems = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()) \
                if hasattr(error, "error_dict") else " ".join(error.messages)
            raise DemoDataError(_("%(region)s was not created: %(problems)s") % {
                "region": spec.name, "problems": problems}) from error
        host, activity = outcome
        report.regions.append(RegionOutcome(spec, "created", host, len(plan.employees), len(plan.units),
                                            REGION_LOGINS, activity))
    report.platform_logins_created = _ensure_platform_logins(password_hash)
    created = [outcome.spec.slug for outcome in report.regions if outcome.status == "created"]
    if created:  # the BKN dashboard reads snapshots; take the new regions' first one now, without workers
        refresh_in_process(regions=Region.objects.filter(schema_name__in=created).order_by("schema_name"))
    return report
