"""Spreadsheet imports of units and employees, in the shapes regional HR offices (BKPSDM, SIMPEG exports)
already have: Indonesian column headers, XLSX or CSV.

An import is two steps. `preview_import` keeps the uploaded file in an ImportBatch and lists every bad
row (row number as the spreadsheet shows it, column, reason) or, when there are none, what would be
created and updated. `apply_import` reads the kept file again, checks it against the data as it is at
that moment, and writes everything through the people services in one transaction, or nothing."""
from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field
from typing import Callable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from kinerja import spreadsheets
from kinerja.audit.services import record_change
from kinerja.jobs import enqueue
from kinerja.people import services
from kinerja.people.models import (
    Employee,
    EmployeeStatus,
    EmployeeType,
    ImportBatch,
    ImportKind,
    ImportStatus,
    Position,
    PositionKind,
    Unit,
    UnitKind,
    UnitType,
)
from kinerja.region import facts, formats
from kinerja.spreadsheets import FileProblem, normalise_header

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
LIMITS = spreadsheets.Limits(max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS)
# Files from this size on are read by a worker, and batches from this many rows on applied by one, while
# the page shows the progress; smaller ones are done within the request.
BACKGROUND_FROM_BYTES = 256 * 1024
BACKGROUND_FROM_ROWS = 2_000
PROGRESS_EVERY = 500
# A batch whose worker has reported nothing for this long may be discarded.
STUCK_AFTER = datetime.timedelta(minutes=5)

EMPLOYEE_COLUMNS = ["NIP", "NAMA", "JENIS_PEGAWAI", "JENIS_KELAMIN", "TANGGAL_LAHIR", "GOLONGAN", "KODE_UNIT",
                    "KODE_JABATAN", "NAMA_JABATAN", "JENIS_JABATAN", "KELAS_JABATAN", "NIP_ATASAN", "STATUS", "EMAIL"]
EMPLOYEE_REQUIRED = ["NIP", "NAMA", "JENIS_PEGAWAI", "JENIS_KELAMIN", "TANGGAL_LAHIR", "GOLONGAN", "KODE_UNIT",
                     "KODE_JABATAN"]
UNIT_COLUMNS = ["KODE_UNIT", "NAMA_UNIT", "JENIS", "TIPE", "KODE_INDUK"]
UNIT_REQUIRED = ["KODE_UNIT", "NAMA_UNIT"]

# Other spellings seen in SIMPEG and BKPSDM exports, after header normalisation.
HEADER_ALIASES = {
    ImportKind.EMPLOYEES: {
        "NIP_BARU": "NIP", "NO_INDUK": "NIP", "NAMA_PEGAWAI": "NAMA", "NAMA_LENGKAP": "NAMA",
        "JENIS_ASN": "JENIS_PEGAWAI", "TIPE_PEGAWAI": "JENIS_PEGAWAI", "JK": "JENIS_KELAMIN",
        "KELAMIN": "JENIS_KELAMIN", "TGL_LAHIR": "TANGGAL_LAHIR", "GOL": "GOLONGAN", "GOL_RUANG": "GOLONGAN",
        "GOLONGAN_RUANG": "GOLONGAN", "KODE_OPD": "KODE_UNIT", "KODE_UNOR": "KODE_UNIT", "JABATAN": "NAMA_JABATAN",
        "KELAS": "KELAS_JABATAN", "NIP_ATASAN_LANGSUNG": "NIP_ATASAN", "STATUS_PEGAWAI": "STATUS",
        "E_MAIL": "EMAIL", "SUREL": "EMAIL",
    },
    ImportKind.UNITS: {
        "KODE": "KODE_UNIT", "KODE_UNOR": "KODE_UNIT", "KODE_OPD": "KODE_UNIT", "NAMA": "NAMA_UNIT",
        "NAMA_UNOR": "NAMA_UNIT", "NAMA_OPD": "NAMA_UNIT", "JENIS_UNIT": "JENIS", "TIPE_UNIT": "TIPE",
        "KODE_UNIT_INDUK": "KODE_INDUK", "INDUK": "KODE_INDUK", "KODE_ATASAN": "KODE_INDUK",
    },
}

GENDER_WORDS = {"L": "M", "LAKI_LAKI": "M", "LAKI": "M", "PRIA": "M", "M": "M", "MALE": "M",
                "P": "F", "PEREMPUAN": "F", "WANITA": "F", "F": "F", "FEMALE": "F"}
TYPE_WORDS = {"PNS": EmployeeType.PNS, "PPPK": EmployeeType.PPPK, "P3K": EmployeeType.PPPK}
STATUS_WORDS = {
    "AKTIF": EmployeeStatus.ACTIVE, "ACTIVE": EmployeeStatus.ACTIVE,
    "CUTI": EmployeeStatus.ON_LEAVE, "ON_LEAVE": EmployeeStatus.ON_LEAVE,
    "PENSIUN": EmployeeStatus.RETIRED, "RETIRED": EmployeeStatus.RETIRED,
    "BERHENTI": EmployeeStatus.TERMINATED, "DIBERHENTIKAN": EmployeeStatus.TERMINATED,
    "TERMINATED": EmployeeStatus.TERMINATED,
    "CALON": EmployeeStatus.CANDIDATE, "CPNS": EmployeeStatus.CANDIDATE, "CANDIDATE": EmployeeStatus.CANDIDATE,
}
# What the export writes, and so what a round trip reads back.
STATUS_EXPORT = {EmployeeStatus.ACTIVE: "AKTIF", EmployeeStatus.ON_LEAVE: "CUTI", EmployeeStatus.RETIRED: "PENSIUN",
                 EmployeeStatus.TERMINATED: "BERHENTI", EmployeeStatus.CANDIDATE: "CALON"}
GENDER_EXPORT = {"M": "L", "F": "P"}
UNIT_KIND_WORDS = {"OPD": UnitKind.OPD, "SUB_UNIT": UnitKind.SUB_UNIT, "SUBUNIT": UnitKind.SUB_UNIT,
                   "UNIT_KERJA": UnitKind.SUB_UNIT}
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d")

EMPLOYEE_FIELD_COLUMNS = {"nip": "NIP", "full_name": "NAMA", "employee_type": "JENIS_PEGAWAI",
                          "gender": "JENIS_KELAMIN", "birth_date": "TANGGAL_LAHIR", "rank": "GOLONGAN",
                          "unit": "KODE_UNIT", "position": "KODE_JABATAN", "supervisor": "NIP_ATASAN",
                          "status": "STATUS", "email": "EMAIL"}
POSITION_FIELD_COLUMNS = {"code": "KODE_JABATAN", "title": "NAMA_JABATAN", "kind": "JENIS_JABATAN",
                          "position_class": "KELAS_JABATAN"}
UNIT_FIELD_COLUMNS = {"code": "KODE_UNIT", "name": "NAMA_UNIT", "kind": "JENIS", "unit_type": "TIPE",
                      "parent": "KODE_INDUK"}


@dataclass
class Analysis:
    total_rows: int = 0
    errors: list[dict] = field(default_factory=list)
    plan: list[dict] = field(default_factory=list)
    new_positions: dict[str, dict] = field(default_factory=dict)
    # what apply writes, in a safe order
    operations: list[dict] = field(default_factory=list)
    # called with the number of rows judged so far, every PROGRESS_EVERY rows
    progress: Callable[[int], None] | None = None

    def tick(self, done: int) -> None:
        if self.progress and done % PROGRESS_EVERY == 0:
            self.progress(done)

    def error(self, row: int | None, column: str, reason: str) -> None:
        self.errors.append({"row": row, "field": column, "reason": reason})

    def count(self, action: str) -> int:
        return sum(1 for item in self.plan if item["action"] == action)


# --- reading files ---------------------------------------------------------------------------------

def read_rows(content: bytes, filename: str) -> list[list]:
    """Every row of the file (the first sheet of a workbook), read within the people imports' limits. A
    formula saved without its value is refused with the cell's place, as nothing can be judged from it."""
    rows = spreadsheets.read_rows(content, filename, LIMITS)
    for number, cells in enumerate(rows, start=1):
        for position, cell in enumerate(cells):
            if cell is spreadsheets.FORMULA_WITHOUT_VALUE:
                raise FileProblem(_("Cell %(cell)s: %(reason)s") % {
                    "cell": f"{get_column_letter(position + 1)}{number}", "reason": spreadsheets.formula_message()})
    return rows


@dataclass
class Sheet:
    columns: dict[str, int]  # normalised header -> position
    rows: list[tuple[int, list]]  # (spreadsheet row number, cells)
    header_row: int


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def locate_sheet(raw_rows: list[list], kind: str, analysis: Analysis) -> Sheet | None:
    """Finds the header row (exports often carry a title or two above it) and maps the columns."""
    aliases = HEADER_ALIASES[kind]
    key = "NIP" if kind == ImportKind.EMPLOYEES else "KODE_UNIT"
    header_index = None
    for index, row in enumerate(raw_rows[:15]):
        names = [aliases.get(normalise_header(cell), normalise_header(cell)) for cell in row]
        if key in names:
            header_index = index
            break
    if header_index is None:
        header_index = next((i for i, row in enumerate(raw_rows) if not all(_blank(c) for c in row)), 0)
    columns: dict[str, int] = {}
    for position, cell in enumerate(raw_rows[header_index] if raw_rows else []):
        name = normalise_header(cell)
        name = aliases.get(name, name)
        if not name:
            continue
        if name in columns:
            analysis.error(header_index + 1, name, _("the column appears twice; keep one"))
        else:
            columns[name] = position
    required = EMPLOYEE_REQUIRED if kind == ImportKind.EMPLOYEES else UNIT_REQUIRED
    for name in required:
        if name not in columns:
            analysis.error(header_index + 1, name, _("required column %s is missing") % name)
    if analysis.errors:
        return None
    rows = [(index + 1, row) for index, row in enumerate(raw_rows) if index > header_index
            and not all(_blank(c) for c in row)]
    if len(rows) > MAX_ROWS:
        analysis.error(None, "", _("The file has %(count)d rows; at most %(max)d can be imported at once.")
                       % {"count": len(rows), "max": MAX_ROWS})
        return None
    return Sheet(columns, rows, header_index + 1)


def _cell(sheet: Sheet, cells: list, column: str):
    position = sheet.columns.get(column)
    if position is None or position >= len(cells):
        return None
    return cells[position]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _nip_cell(value) -> tuple[str, str | None]:
    """A NIP as text. A number cell has lost digits when Excel stored it (it keeps 15 significant digits)."""
    if isinstance(value, bool):
        return str(value), _("not a NIP")
    if isinstance(value, (int, float)):
        digits = str(int(value))
        if isinstance(value, float) or (len(digits) == 18 and digits.endswith("000")):
            return digits, _("the cell is a number, and Excel keeps only 15 digits of it; format the column as "
                             "Text and type the NIP again")
        return digits, None
    text, hint = spreadsheets.digits_cell(value)
    if hint:
        return text, hint
    return services.normalise_nip(value), None


def _date_cell(value) -> tuple[datetime.date | None, str | None]:
    if isinstance(value, datetime.datetime):
        return value.date(), None
    if isinstance(value, datetime.date):
        return value, None
    text = _text(value)
    if not text:
        return None, _("a date is needed (YYYY-MM-DD or DD-MM-YYYY)")
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date(), None
        except ValueError:
            continue
    return None, _("%r is not a date; write YYYY-MM-DD or DD-MM-YYYY") % text


# --- employees -------------------------------------------------------------------------------------

def _employee_rows(sheet: Sheet, analysis: Analysis) -> list[dict]:
    """Reads and checks each row on its own; cross-row rules come after."""
    existing_units = dict(Unit.objects.values_list("code", "id"))
    positions = {p.code: p for p in Position.objects.all()}
    records = []
    seen_nips: dict[str, int] = {}
    today = facts.today()
    for done, (row_number, cells) in enumerate(sheet.rows, start=1):
        analysis.tick(done)
        def get(column):
            return _cell(sheet, cells, column)

        problems: list[tuple[str, str]] = []
        nip, nip_hint = _nip_cell(get("NIP"))
        if not nip:
            problems.append(("NIP", _("NIP is empty")))
        elif nip_hint:
            problems.append(("NIP", nip_hint))
        name = _text(get("NAMA"))
        if not name:
            problems.append(("NAMA", _("the name is empty")))
        _limit(problems, "NAMA", name, 200)
        type_word = normalise_header(get("JENIS_PEGAWAI"))
        employee_type = TYPE_WORDS.get(type_word)
        if employee_type is None:
            problems.append(("JENIS_PEGAWAI", _("must be PNS or PPPK, got %r") % _text(get("JENIS_PEGAWAI"))))
        gender = GENDER_WORDS.get(normalise_header(get("JENIS_KELAMIN")))
        if gender is None:
            problems.append(("JENIS_KELAMIN", _("must be L (male) or P (female), got %r")
                             % _text(get("JENIS_KELAMIN"))))
        birth_date, date_problem = _date_cell(get("TANGGAL_LAHIR"))
        if date_problem:
            problems.append(("TANGGAL_LAHIR", date_problem))
        elif birth_date > today:
            problems.append(("TANGGAL_LAHIR", _("the birth date %s is in the future") % birth_date.isoformat()))
        elif reason := spreadsheets.check_date(birth_date):
            problems.append(("TANGGAL_LAHIR", reason))
        rank = _text(get("GOLONGAN"))
        if employee_type:
            rank = services.normalise_rank(rank, employee_type)
            if nip and not nip_hint:
                for _field, reason in services.nip_problems(nip, employee_type, birth_date, gender):
                    problems.append(("NIP", reason))
            if reason := services.rank_problem(employee_type, rank):
                problems.append(("GOLONGAN", reason))
        if nip and not nip_hint:
            if nip in seen_nips:
                problems.append(("NIP", _("NIP %(nip)s is also on row %(row)d; each employee once per file")
                                 % {"nip": nip, "row": seen_nips[nip]}))
            else:
                seen_nips[nip] = row_number
        unit_code = _text(get("KODE_UNIT"))
        if not unit_code:
            problems.append(("KODE_UNIT", _("the unit code is empty")))
        elif unit_code not in existing_units:
            problems.append(("KODE_UNIT", _("unknown unit %s; import the units first") % unit_code))
        position_code = _text(get("KODE_JABATAN"))
        if not position_code:
            problems.append(("KODE_JABATAN", _("the position code is empty")))
        elif _limit(problems, "KODE_JABATAN", position_code, 30):
            pass
        elif position_code not in positions:
            problems.extend(_new_position(position_code, get, row_number, analysis))
        status = None
        if "STATUS" in sheet.columns and _text(get("STATUS")):
            status = STATUS_WORDS.get(normalise_header(get("STATUS")))
            if status is None:
                problems.append(("STATUS", _("must be one of AKTIF, CUTI, PENSIUN, BERHENTI, CALON, got %r")
                                 % _text(get("STATUS"))))
        email = _text(get("EMAIL")) if "EMAIL" in sheet.columns else None
        if email and _limit(problems, "EMAIL", email, 254):
            pass
        elif email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(("EMAIL", _("%r is not an email address") % email))
        supervisor_nip = None
        if "NIP_ATASAN" in sheet.columns:
            supervisor_nip, hint = _nip_cell(get("NIP_ATASAN"))
            if hint:
                problems.append(("NIP_ATASAN", hint))
            elif supervisor_nip and supervisor_nip == nip:
                problems.append(("NIP_ATASAN", _("an employee cannot be their own supervisor")))
        for column, reason in problems:
            analysis.error(row_number, column, reason)
        records.append({"row": row_number, "nip": nip, "full_name": name, "employee_type": employee_type,
                        "gender": gender, "birth_date": birth_date, "rank": rank, "unit": unit_code,
                        "position": position_code, "status": status, "email": email,
                        "supervisor": supervisor_nip, "first": seen_nips.get(nip) == row_number})
    return records


def _new_position(code: str, get, row_number: int, analysis: Analysis) -> list[tuple[str, str]]:
    """A position code not yet known is created from the row's NAMA_JABATAN, JENIS_JABATAN, KELAS_JABATAN.
    Once a row has described it, later rows may leave those three columns empty, as HR sheets usually do."""
    problems = []
    title = _text(get("NAMA_JABATAN"))
    kind = _text(get("JENIS_JABATAN")).lower()
    class_text = _text(get("KELAS_JABATAN"))
    if code in analysis.new_positions and not (title or kind or class_text):
        return problems
    if not title:
        problems.append(("NAMA_JABATAN", _("position %s is new; give its title in NAMA_JABATAN") % code))
    _limit(problems, "NAMA_JABATAN", title, 200)
    if kind not in PositionKind.values:
        problems.append(("JENIS_JABATAN", _("position %(code)s is new; JENIS_JABATAN must be struktural, "
                                            "fungsional or pelaksana, got %(value)r") % {"code": code, "value": kind}))
    position_class = int(class_text) if class_text.isdecimal() else None
    if position_class is None or not 1 <= position_class <= 17:
        problems.append(("KELAS_JABATAN", _("position %(code)s is new; KELAS_JABATAN must be 1 to 17, got %(value)r")
                         % {"code": code, "value": class_text}))
    if problems:
        return problems
    definition = {"code": code, "title": title, "kind": kind, "position_class": position_class, "row": row_number}
    earlier = analysis.new_positions.get(code)
    if earlier is None:
        analysis.new_positions[code] = definition
    elif (earlier["title"], earlier["kind"], earlier["position_class"]) != (title, kind, position_class):
        problems.append(("KODE_JABATAN", _("new position %(code)s is described differently on row %(row)d")
                         % {"code": code, "row": earlier["row"]}))
    return problems


def _limit(problems: list, column: str, value: str, max_length: int) -> bool:
    """Adds the reason the database would refuse this text (too long, a control character); True if any."""
    if reason := spreadsheets.check_text(value, max_length=max_length):
        problems.append((column, reason))
        return True
    return False


def _walk_loops(parents: dict[str, str | None], key: str) -> bool:
    seen = {key}
    current = parents.get(key)
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


def _depth(parents: dict[str, str | None], key: str) -> int:
    depth, current, seen = 0, parents.get(key), set()
    while current is not None and current not in seen:
        seen.add(current)
        depth += 1
        current = parents.get(current)
    return depth


EMPLOYEE_COMPARED = [("full_name", "NAMA"), ("employee_type", "JENIS_PEGAWAI"), ("gender", "JENIS_KELAMIN"),
                     ("birth_date", "TANGGAL_LAHIR"), ("rank", "GOLONGAN"), ("unit", "KODE_UNIT"),
                     ("position", "KODE_JABATAN"), ("supervisor", "NIP_ATASAN"), ("status", "STATUS"),
                     ("email", "EMAIL")]


def analyse_employees(sheet: Sheet, analysis: Analysis) -> None:
    records = _employee_rows(sheet, analysis)
    existing = {
        row["nip"]: row for row in Employee.objects.values(
            "id", "nip", "full_name", "employee_type", "gender", "birth_date", "rank", "status", "email",
            unit_code=F("unit__code"), position_code=F("position__code"),
            supervisor_nip=F("supervisor__nip"))
    }
    file_nips = {record["nip"] for record in records if record["nip"]}
    has_supervisor_column = "NIP_ATASAN" in sheet.columns
    supervisors = {nip: row["supervisor_nip"] for nip, row in existing.items()}
    for record in records:
        # A repeated NIP is already an error; only its first row shapes the chain of supervisors.
        if record["nip"] and has_supervisor_column and record["first"]:
            supervisors[record["nip"]] = record["supervisor"] or None
    for record in records:
        target = record["supervisor"]
        if not has_supervisor_column or not target or target == record["nip"]:
            continue
        if target not in existing and target not in file_nips:
            analysis.error(record["row"], "NIP_ATASAN", _("no employee has NIP %s, in the file or already "
                                                          "registered") % target)
        elif record["nip"] and _walk_loops(supervisors, record["nip"]):
            analysis.error(record["row"], "NIP_ATASAN", _("supervisor %s leads back to this employee; the chain "
                                                          "of supervisors would be a loop") % target)
    if analysis.errors:
        return
    for record in records:
        current = existing.get(record["nip"])
        proposed = {"full_name": record["full_name"], "employee_type": record["employee_type"],
                    "gender": record["gender"], "birth_date": record["birth_date"], "rank": record["rank"],
                    "unit": record["unit"], "position": record["position"]}
        if has_supervisor_column:
            proposed["supervisor"] = record["supervisor"] or None
        if record["status"] is not None:
            proposed["status"] = record["status"]
        elif current is None:
            proposed["status"] = EmployeeStatus.ACTIVE
        if record["email"] is not None:
            proposed["email"] = record["email"]
        if current is None:
            action, changes = "create", []
        else:
            old = {**current, "unit": current["unit_code"], "position": current["position_code"],
                   "supervisor": current["supervisor_nip"]}
            changes = [f"{column}: {_shown(old[name])} → {_shown(proposed[name])}"
                       for name, column in EMPLOYEE_COMPARED if name in proposed and old[name] != proposed[name]]
            action = "update" if changes else "unchanged"
        new_position = record["position"] in analysis.new_positions
        analysis.plan.append({"row": record["row"], "key": record["nip"], "name": record["full_name"],
                              "action": action, "changes": changes,
                              "new_position": record["position"] if new_position else ""})
        if action != "unchanged":
            analysis.operations.append({"row": record["row"], "nip": record["nip"], "action": action,
                                        "values": proposed, "depth": _depth(supervisors, record["nip"])})
    # Supervisors first, so a subordinate in the same file can point at them.
    analysis.operations.sort(key=lambda operation: operation["depth"])


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _apply_employees(analysis: Analysis, actor) -> None:
    units = dict(Unit.objects.values_list("code", "id"))
    positions = {p.code: p for p in Position.objects.all()}
    for code, definition in analysis.new_positions.items():
        try:
            positions[code] = services.create_position(
                actor=actor, code=code, title=definition["title"], kind=definition["kind"],
                position_class=definition["position_class"])
        except ValidationError as error:
            raise RowFailure(definition["row"], error, POSITION_FIELD_COLUMNS) from None
    # Written a depth of the chain of supervisors at a time (supervisors first), each depth in bulk through
    # the people services: the rules and audit entries of one record each, without queries per row.
    ids_by_nip = dict(Employee.objects.values_list("nip", "id"))
    for _depth, group in itertools.groupby(analysis.operations, key=lambda operation: operation["depth"]):
        creates: list[tuple[dict, Employee]] = []
        updates: list[tuple[dict, dict]] = []
        for operation in group:
            values = dict(operation["values"])
            unit_id, position = units[values.pop("unit")], positions[values.pop("position")]
            supervisor = {}
            if "supervisor" in values:
                supervisor_nip = values.pop("supervisor")
                supervisor = {"supervisor_id": ids_by_nip[supervisor_nip] if supervisor_nip else None}
            if operation["action"] == "create":
                values["email"] = values.get("email") or ""
                creates.append((operation, Employee(nip=operation["nip"], unit_id=unit_id, position=position,
                                                    **supervisor, **values)))
            else:
                if supervisor:
                    supervisor_id = supervisor["supervisor_id"]
                    values["supervisor"] = Employee(pk=supervisor_id) if supervisor_id else None
                updates.append((operation, {"unit": Unit(pk=unit_id), "position": position, **values}))
        try:
            for employee in services.create_employees_in_bulk(actor=actor, employees=[e for _op, e in creates]):
                ids_by_nip[employee.nip] = employee.pk
        except services.RowRefused as refused:
            raise RowFailure(creates[refused.index][0]["row"], refused.error, EMPLOYEE_FIELD_COLUMNS) from None
        try:
            services.update_employees_in_bulk(actor=actor, changes=[(op["nip"], changes) for op, changes in updates],
                                              reason=_("spreadsheet import"))
        except services.RowRefused as refused:
            raise RowFailure(updates[refused.index][0]["row"], refused.error, EMPLOYEE_FIELD_COLUMNS) from None


# --- units -----------------------------------------------------------------------------------------

UNIT_COMPARED = [("name", "NAMA_UNIT"), ("kind", "JENIS"), ("unit_type", "TIPE"), ("parent", "KODE_INDUK")]


def analyse_units(sheet: Sheet, analysis: Analysis) -> None:
    existing = {row["code"]: row for row in Unit.objects.values(
        "id", "code", "name", "kind", "unit_type", parent_code=F("parent__code"))}
    records = []
    seen: dict[str, int] = {}
    for done, (row_number, cells) in enumerate(sheet.rows, start=1):
        analysis.tick(done)
        def get(column):
            return _cell(sheet, cells, column)

        problems = []
        code = _text(get("KODE_UNIT"))
        if not code:
            problems.append(("KODE_UNIT", _("the unit code is empty")))
        elif code_problem := spreadsheets.check_text(code, max_length=30):
            problems.append(("KODE_UNIT", code_problem))
        elif code in seen:
            problems.append(("KODE_UNIT", _("unit %(code)s is also on row %(row)d; each unit once per file")
                             % {"code": code, "row": seen[code]}))
        else:
            seen[code] = row_number
        name = _text(get("NAMA_UNIT"))
        if not name:
            problems.append(("NAMA_UNIT", _("the unit name is empty")))
        _limit(problems, "NAMA_UNIT", name, 200)
        parent_code = _text(get("KODE_INDUK")) if "KODE_INDUK" in sheet.columns else None
        kind_text = _text(get("JENIS"))
        kind = UNIT_KIND_WORDS.get(normalise_header(kind_text)) if kind_text else None
        if kind_text and kind is None:
            problems.append(("JENIS", _("must be opd or sub_unit, got %r") % kind_text))
        type_text = _text(get("TIPE")).lower()
        unit_type = type_text or None
        if unit_type and unit_type not in UnitType.values:
            problems.append(("TIPE", _("must be one of %(allowed)s, got %(value)r")
                             % {"allowed": ", ".join(UnitType.values), "value": type_text}))
        if parent_code and parent_code == code:
            problems.append(("KODE_INDUK", _("a unit cannot be its own parent")))
        for column, reason in problems:
            analysis.error(row_number, column, reason)
        records.append({"row": row_number, "code": code, "name": name, "kind": kind, "unit_type": unit_type,
                        "parent": parent_code})
    has_parent_column = "KODE_INDUK" in sheet.columns
    parents = {code: row["parent_code"] for code, row in existing.items()}
    for record in records:
        if record["code"] and has_parent_column and seen.get(record["code"]) == record["row"]:
            parents[record["code"]] = record["parent"] or None
    file_codes = set(seen)
    for record in records:
        parent = record["parent"]
        if not parent or parent == record["code"]:
            continue
        if parent not in existing and parent not in file_codes:
            analysis.error(record["row"], "KODE_INDUK", _("unknown parent unit %s") % parent)
        elif record["code"] and _walk_loops(parents, record["code"]):
            analysis.error(record["row"], "KODE_INDUK", _("parent %s leads back to this unit; the tree would be "
                                                          "a loop") % parent)
    for record in records:
        current = existing.get(record["code"])
        parent = parents.get(record["code"]) if record["code"] else None
        kind = record["kind"] or (current["kind"] if current and not has_parent_column else
                                  (UnitKind.SUB_UNIT if parent else UnitKind.OPD))
        if kind == UnitKind.SUB_UNIT and not parent:
            analysis.error(record["row"], "KODE_INDUK", _("a sub-unit needs a parent unit in KODE_INDUK"))
        record["kind"] = kind
    if analysis.errors:
        return
    for record in records:
        current = existing.get(record["code"])
        proposed = {"name": record["name"], "kind": record["kind"]}
        if has_parent_column:
            proposed["parent"] = record["parent"] or None
        if record["unit_type"]:
            proposed["unit_type"] = record["unit_type"]
        elif current is None:
            proposed["unit_type"] = UnitType.OTHER
        if current is None:
            action, changes = "create", []
        else:
            old = {**current, "parent": current["parent_code"]}
            changes = [f"{column}: {_shown(old[name])} → {_shown(proposed[name])}"
                       for name, column in UNIT_COMPARED if name in proposed and old[name] != proposed[name]]
            action = "update" if changes else "unchanged"
        analysis.plan.append({"row": record["row"], "key": record["code"], "name": record["name"],
                              "action": action, "changes": changes, "new_position": ""})
        if action != "unchanged":
            analysis.operations.append({"row": record["row"], "code": record["code"], "action": action,
                                        "values": proposed, "depth": _depth(parents, record["code"])})
    analysis.operations.sort(key=lambda operation: operation["depth"])


def _apply_units(analysis: Analysis, actor) -> None:
    for operation in analysis.operations:
        values = dict(operation["values"])
        if "parent" in values:
            parent_code = values.pop("parent")
            values["parent"] = Unit.objects.get(code=parent_code) if parent_code else None
        try:
            if operation["action"] == "create":
                services.create_unit(actor=actor, code=operation["code"], **values)
            else:
                services.update_unit(Unit.objects.get(code=operation["code"]), actor=actor, **values)
        except ValidationError as error:
            raise RowFailure(operation["row"], error, UNIT_FIELD_COLUMNS) from None


# --- batches ---------------------------------------------------------------------------------------

class RowFailure(Exception):
    def __init__(self, row: int, error: ValidationError, columns: dict[str, str]):
        super().__init__(str(error))
        self.errors = [{"row": row, "field": columns.get(name, name), "reason": str(message)}
                       for name, messages in error.message_dict.items() for message in messages]


class ImportRefused(Exception):
    """The batch cannot be applied (already applied, has errors, ...); the message says why."""


def analyse(kind: str, content: bytes, filename: str, progress: Callable[[int], None] | None = None) -> Analysis:
    analysis = Analysis(progress=progress)
    try:
        raw_rows = read_rows(content, filename)
    except FileProblem as problem:
        analysis.error(None, "", str(problem))
        return analysis
    sheet = locate_sheet(raw_rows, kind, analysis)
    del raw_rows
    if sheet is None:
        return analysis
    analysis.total_rows = len(sheet.rows)
    if not sheet.rows:
        analysis.error(None, "", _("The file has headers but no data rows."))
        return analysis
    (analyse_employees if kind == ImportKind.EMPLOYEES else analyse_units)(sheet, analysis)
    analysis.errors.sort(key=lambda error: (error["row"] or 0))
    return analysis


def _fill(batch: ImportBatch, analysis: Analysis) -> None:
    batch.total_rows = analysis.total_rows
    batch.errors = analysis.errors
    batch.error_count = len(analysis.errors)
    batch.plan = analysis.plan if not analysis.errors else []
    batch.to_create = analysis.count("create")
    batch.to_update = analysis.count("update")
    batch.unchanged = analysis.count("unchanged")


def _reporter(batch_id: int, total: int) -> Callable[[int], None]:
    """Writes the progress where the page reads it (outside any transaction of the caller's, by update)."""
    ImportBatch.objects.filter(pk=batch_id).update(progress_done=0, progress_total=total, progress_at=timezone.now())

    def report(done: int) -> None:
        ImportBatch.objects.filter(pk=batch_id).update(progress_done=done, progress_at=timezone.now())
    return report


def _read_stored(batch: ImportBatch) -> bytes:
    with batch.file.open("rb") as stored:
        return stored.read()


def preview_import(*, kind: str, uploaded_file, actor) -> ImportBatch:
    """Keeps the upload and records what applying it would do. Nothing but the batch is written. A large
    file is read by a worker: the batch is returned in status "reading" and the page follows it."""
    if kind not in ImportKind.values:
        raise ValidationError({"kind": [_("must be employees or units, got %r") % kind]})
    name = (getattr(uploaded_file, "name", "") or "upload").rsplit("/", 1)[-1][:200]
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        raise ValidationError({"file": [_("The file is larger than %d MB; split it into smaller files.")
                                        % (MAX_FILE_BYTES // (1024 * 1024))]})
    content = uploaded_file.read(MAX_FILE_BYTES + 1)
    batch = ImportBatch(kind=kind, original_name=name, uploaded_by=actor, status=ImportStatus.READING,
                        progress_at=timezone.now())
    batch.file.save(name, ContentFile(content), save=False)
    if len(content) < BACKGROUND_FROM_BYTES:
        _fill(batch, analyse(kind, content, name))
        batch.status = ImportStatus.PREVIEWED
        batch.save()
        return batch
    batch.save()
    transaction.on_commit(lambda: enqueue("kinerja.people.tasks.preview_import_task", batch.pk))
    return batch


def run_preview(batch_id: int) -> ImportBatch | None:
    """The worker's part of a preview: judges the kept file and records the outcome, unless the batch was
    discarded meanwhile. Nothing but the batch is written."""
    batch = ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.READING).first()
    if batch is None:
        return None
    content = _read_stored(batch)
    analysis = analyse(batch.kind, content, batch.original_name,
                       progress=_reporter(batch.pk, _rough_rows(content)))
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status != ImportStatus.READING:
            return batch
        _fill(batch, analysis)
        batch.status = ImportStatus.PREVIEWED
        batch.progress_at = timezone.now()
        batch.save()
    return batch


def _rough_rows(content: bytes) -> int:
    """Rows of a CSV by its line breaks; for a workbook, not known before reading (the bar then counts)."""
    return content.count(b"\n") if content[:2] != b"PK" else 0


def apply_import(batch: ImportBatch, *, actor) -> ImportBatch:
    """All or nothing: either every row is written, or nothing is and the batch says why. A large batch is
    handed to a worker: it is returned in status "applying" and the page follows it."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        _refuse_apply(batch)
        if batch.total_rows < BACKGROUND_FROM_ROWS:
            analysis = analyse(batch.kind, _read_stored(batch), batch.original_name)
            _write(batch, analysis, actor)
            return batch
        batch.status, batch.applied_by, batch.progress_at = ImportStatus.APPLYING, actor, timezone.now()
        batch.progress_done, batch.progress_total = 0, batch.total_rows
        batch.save()
        transaction.on_commit(lambda: enqueue("kinerja.people.tasks.apply_import_task", batch.pk))
    return batch


def run_apply(batch_id: int) -> ImportBatch | None:
    """The worker's part of an apply: judges the kept file again (the data may have changed since the
    preview), then writes everything in one transaction, or nothing."""
    batch = ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.APPLYING).first()
    if batch is None:
        return None
    analysis = analyse(batch.kind, _read_stored(batch), batch.original_name,
                       progress=_reporter(batch.pk, batch.total_rows))
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status != ImportStatus.APPLYING:
            return batch
        _write(batch, analysis, batch.applied_by)
    return batch


def _refuse_apply(batch: ImportBatch) -> None:
    if batch.status == ImportStatus.APPLIED:
        raise ImportRefused(_("This import was already applied on %s.") % formats.date_time(batch.applied_at))
    if batch.status == ImportStatus.FAILED:
        raise ImportRefused(_("This import failed; correct the file and upload it again."))
    if batch.status == ImportStatus.DISCARDED:
        raise ImportRefused(_("This import was discarded; upload the file again."))
    if batch.in_progress:
        raise ImportRefused(_("This import is still being worked on; wait until it is done."))
    if batch.error_count:
        raise ImportRefused(_("This file has %d errors; correct them and upload it again.") % batch.error_count)


def _write(batch: ImportBatch, analysis: Analysis, actor) -> None:
    """Inside the caller's transaction, with the batch locked."""
    failure = analysis.errors
    if not failure:
        try:
            with transaction.atomic():
                (_apply_employees if batch.kind == ImportKind.EMPLOYEES else _apply_units)(analysis, actor)
                counts = {"kind": batch.kind, "file": batch.original_name, "rows": analysis.total_rows,
                          "created": analysis.count("create"), "updated": analysis.count("update"),
                          "unchanged": analysis.count("unchanged"),
                          "positions_created": sorted(analysis.new_positions)}
                record_change(actor=actor, action="people.import.apply", target=batch, after=counts)
        except RowFailure as row_failure:
            failure = row_failure.errors
    _fill(batch, analysis)
    batch.progress_at = timezone.now()
    if failure:
        batch.status = ImportStatus.FAILED
        batch.errors = failure
        batch.error_count = len(failure)
    else:
        batch.status = ImportStatus.APPLIED
        batch.applied_at = timezone.now()
        batch.applied_by = actor
    batch.save()


def is_stuck(batch: ImportBatch) -> bool:
    """A batch in the worker's hands that has reported nothing for STUCK_AFTER."""
    return batch.in_progress and (batch.progress_at is None or timezone.now() - batch.progress_at > STUCK_AFTER)


def discard_import(batch: ImportBatch, *, actor, reason: str = "") -> ImportBatch:
    """Sets a batch aside for good: one not applied, or one stuck with a worker. A worker that wakes up
    later finds it discarded and writes nothing."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status in (ImportStatus.APPLIED, ImportStatus.DISCARDED):
            raise ImportRefused(_("This import is %s and cannot be discarded.") % batch.get_status_display().lower())
        if batch.in_progress and not is_stuck(batch):
            raise ImportRefused(_("A worker reported progress on this import less than %d minutes ago; it can be "
                                  "discarded if nothing moves for that long.") % (STUCK_AFTER.seconds // 60))
        before = {"status": batch.status}
        batch.status = ImportStatus.DISCARDED
        batch.save(update_fields=["status"])
        record_change(actor=actor, action="people.import.discard", target=batch, before=before,
                      after={"status": batch.status}, reason=reason or "")
    return batch
