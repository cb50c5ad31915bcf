"""Employees' bank accounts: entered by one HR admin, used only once a second one approves them.

A changed account is the classic payroll fraud, so every new or changed account is a BankAccountChange
waiting for a checker: the transfer file keeps paying the account in force (or nobody) until another HR
admin than the maker approves it. Each change is checked before it waits: the bank is one the region
pays into, the number has the digits the bank's accounts have (lengths are region data: no Indonesian
bank publishes a check-digit rule), the account is not already another employee's, and the holder's
name is compared with the employee's (academic titles and honorifics aside). A holder name that
differs needs the maker's written note, which the checker reads before deciding.

Imports are a thin row parser over the people imports' file reading (`kinerja.people.imports.read_rows`):
every row is checked first, and either every row becomes a waiting change or, when any row is wrong,
none does and each bad row is named with its column and reason."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.capabilities import has
from kinerja.audit.services import record_change, snapshot
from kinerja.pay.models import (
    Bank,
    BankAccount,
    BankAccountChange,
    ChangeStatus,
    NameCheck,
)
from kinerja.people.imports import FileProblem, normalise_header, read_rows
from kinerja.people.models import Employee

DEFAULT_LENGTHS = range(6, 21)
CHANGE_FIELDS = ["employee_id", "bank_id", "account_number", "holder_name", "name_check", "status"]
ACCOUNT_FIELDS = ["employee_id", "bank_code", "account_number", "account_name"]

# Titles written before or after Indonesian names (Dr., Drs., Ir., H., Hj., S.Kom., M.Kes., ...): they are
# not part of the name a bank prints on an account.
TITLES = frozenset("""
DR DRS DRA IR H HJ HAJI HAJJAH PROF KH DRG DRH NS APT BC BA BSC MSC PHD MBA MA MM MSI MPD MKES MKOM MT MH MAP
MSC MSOS MAG MEC ME MAK MPH MARS MIKOM SH SE ST SP SPD SKOM SKM SKEP SSOS SIP SAP SAG SSI SSTP SPDI SHI SFARM
SKED STR STRKEP SST SPSI SIKOM SIA SDS SHUT SPT SPI SGZ SKG AMD AMDKEP AMKEP AMKEB AMA AMDKEB AMG AMF SPOG SPA SPB
""".split())


def _require(actor, capability: str) -> None:
    if not has(actor, capability):
        raise PermissionDenied(_("Only the region's HR admins manage bank accounts."))


# --- checks -------------------------------------------------------------------------------------------
def _name_tokens(name: str) -> list[str]:
    """The words of a name as a bank prints it: capitals without accents, titles and punctuation."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().upper()
    text = text.split(",", 1)[0]  # "Budi Santoso, S.Kom., M.Kes." -> titles after the comma go
    words = [re.sub(r"[^A-Z]", "", word) for word in re.split(r"[\s]+", text.replace(".", ". "))]
    return [word for word in words if word and word not in TITLES]


def holder_name_check(employee_name: str, holder_name: str) -> str:
    """SAME when the names are the same word for word (titles, case and punctuation aside); SIMILAR when
    each of the holder's words is, in order, one of the employee's words or its initial (banks shorten
    long names: "M. Ridwan" for "Muhammad Ridwan"), starting with the same first word or its initial;
    DIFFERENT otherwise."""
    employee, holder = _name_tokens(employee_name), _name_tokens(holder_name)
    if not holder:
        return NameCheck.DIFFERENT
    if employee == holder:
        return NameCheck.SAME
    position = 0
    for number, word in enumerate(holder):
        while position < len(employee) and not (employee[position] == word or
                                                (len(word) == 1 and employee[position].startswith(word))):
            if number == 0:
                return NameCheck.DIFFERENT  # the first word must match the first word
            position += 1
        if position == len(employee):
            return NameCheck.DIFFERENT
        position += 1
    return NameCheck.SIMILAR


def clean_account_number(value) -> str:
    """Digits only: spaces, dots and dashes as people write them are dropped; Excel's 123.0 is 123."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"[\s.\-]", "", str(value if value is not None else "").strip())


def account_problems(*, employee: Employee, bank: Bank | None, account_number: str, holder_name: str,
                     note: str = "") -> dict[str, list[str]]:
    """Everything wrong with an account for an employee, by field; empty when it may wait for approval."""
    problems: dict[str, list[str]] = {}
    if bank is None:
        problems["bank"] = [_("Choose a bank the region pays into.")]
    elif not bank.active:
        problems["bank"] = [_("%s is not in use in this region.") % bank.name]
    if not account_number:
        problems.setdefault("account_number", []).append(_("Enter the account number."))
    elif not account_number.isdigit():
        problems.setdefault("account_number", []).append(
            _("An account number has digits only; '%s' has other characters.") % account_number)
    elif bank is not None:
        lengths = bank.account_lengths or list(DEFAULT_LENGTHS)
        if len(account_number) not in lengths:
            problems.setdefault("account_number", []).append(
                _("%(bank)s account numbers have %(lengths)s digits; this one has %(count)d.")
                % {"bank": bank.name, "lengths": _(" or ").join(str(n) for n in sorted(lengths))
                   if bank.account_lengths else "6-20", "count": len(account_number)})
        else:
            other = (BankAccount.objects.filter(bank_code=bank.code, account_number=account_number)
                     .exclude(employee=employee).select_related("employee").first())
            if other is not None:
                problems.setdefault("account_number", []).append(
                    _("This account is already NIP %s's; one account cannot receive two employees' pay.")
                    % other.employee.nip)
    holder_name = (holder_name or "").strip()
    if not holder_name:
        problems["holder_name"] = [_("Enter the account holder's name as the bank prints it.")]
    elif len(holder_name) > 200:
        problems["holder_name"] = [_("The holder's name is longer than 200 characters.")]
    elif holder_name_check(employee.full_name, holder_name) == NameCheck.DIFFERENT and not (note or "").strip():
        problems["note"] = [_("The holder's name '%(holder)s' differs from the employee's name '%(name)s'; "
                              "write why (the approver reads it).") % {"holder": holder_name,
                                                                      "name": employee.full_name}]
    if not problems and bank is not None:
        current = BankAccount.objects.filter(employee=employee).first()
        if current and (current.bank_code, current.account_number, current.account_name) == (
                bank.code, account_number, holder_name):
            problems["account_number"] = [_("This is already the employee's account.")]
    return problems


# --- maker and checker ------------------------------------------------------------------------------
def request_change(*, actor, employee: Employee, bank: Bank | None, account_number, holder_name: str,
                   note: str = "", source: str = "") -> BankAccountChange:
    """The maker's step: a new or changed account waits for another HR admin's approval. A change still
    waiting for the same employee is replaced (rejected with a note), so one change waits at a time."""
    _require(actor, "pay.bank.manage")
    number = clean_account_number(account_number)
    holder_name = (holder_name or "").strip()
    problems = account_problems(employee=employee, bank=bank, account_number=number, holder_name=holder_name,
                                note=note)
    if problems:
        raise ValidationError(problems)
    return _create_change(actor, employee, bank, number, holder_name, (note or "").strip(), source)


def _create_change(actor, employee, bank, number, holder_name, note, source) -> BankAccountChange:
    with transaction.atomic():
        for waiting in BankAccountChange.objects.select_for_update().filter(employee=employee,
                                                                            status=ChangeStatus.PENDING):
            _decide(waiting, actor, ChangeStatus.REJECTED, _("Replaced by a newer change."))
        change = BankAccountChange.objects.create(
            employee=employee, bank=bank, account_number=number, holder_name=holder_name,
            name_check=holder_name_check(employee.full_name, holder_name), note=note, source=source[:255],
            requested_by=actor)
        record_change(actor=actor, action="pay.bank_account_change_requested", target=change,
                      after=snapshot(change, CHANGE_FIELDS), reason=note)
    return change


def _decide(change: BankAccountChange, actor, status: str, note: str) -> None:
    before = snapshot(change, CHANGE_FIELDS)
    change.status, change.decided_by, change.decided_at, change.decision_note = status, actor, timezone.now(), note
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    action = "pay.bank_account_change_approved" if status == ChangeStatus.APPROVED else "pay.bank_account_change_rejected"
    record_change(actor=actor, action=action, target=change, before=before, after=snapshot(change, CHANGE_FIELDS),
                  reason=note)


def _waiting(change: BankAccountChange) -> BankAccountChange:
    change = BankAccountChange.objects.select_for_update().select_related("bank", "employee").get(pk=change.pk)
    if change.status != ChangeStatus.PENDING:
        raise ValidationError({"status": [_("This change was already %s.") % ChangeStatus(change.status).label.lower()]})
    return change


def approve_change(change: BankAccountChange, *, actor, note: str = "") -> BankAccount:
    """The checker's step: another HR admin than the maker approves, and the account comes into force.
    The checks run again, as the data may have moved since the change was entered."""
    _require(actor, "pay.bank.approve")
    with transaction.atomic():
        change = _waiting(change)
        if change.requested_by_id == getattr(actor, "pk", None):
            raise PermissionDenied(_("You entered this change; another HR admin must approve it."))
        problems = account_problems(employee=change.employee, bank=change.bank, account_number=change.account_number,
                                    holder_name=change.holder_name, note=change.note)
        problems.pop("note", None)  # the maker's note was required when entered; the checker reads it
        if problems:
            raise ValidationError(problems)
        account = BankAccount.objects.select_for_update().filter(employee=change.employee).first()
        before = snapshot(account, ACCOUNT_FIELDS) if account else None
        account = account or BankAccount(employee=change.employee)
        account.bank, account.bank_code = change.bank, change.bank.code
        account.account_number, account.account_name, account.approved_change = (
            change.account_number, change.holder_name, change)
        try:
            with transaction.atomic():
                account.save()
        except IntegrityError:
            raise ValidationError({"employee": [_("The employee's account changed meanwhile; try again.")]}) from None
        _decide(change, actor, ChangeStatus.APPROVED, (note or "").strip())
        record_change(actor=actor, action="pay.bank_account_changed", target=account, before=before,
                      after=snapshot(account, ACCOUNT_FIELDS), reason=(note or "").strip())
    return account


def reject_change(change: BankAccountChange, *, actor, note: str) -> BankAccountChange:
    """The checker refuses a change, saying why; the account in force stays."""
    _require(actor, "pay.bank.approve")
    if not (note or "").strip():
        raise ValidationError({"note": [_("Write why the change is rejected.")]})
    with transaction.atomic():
        change = _waiting(change)
        _decide(change, actor, ChangeStatus.REJECTED, note.strip())
    return change


def set_bank(*, actor, code: str, name: str, account_lengths: list[int], source: str = "",
             active: bool = True) -> Bank:
    """Add or correct a bank the region pays into (its account number lengths are region data)."""
    _require(actor, "pay.data.manage")
    code, name = (code or "").strip(), (name or "").strip()
    problems: dict[str, list[str]] = {}
    if not code.isdigit() or len(code) > 10:
        problems["code"] = [_("The bank code is Bank Indonesia's clearing code: digits only, e.g. 118.")]
    if not name:
        problems["name"] = [_("Name the bank.")]
    if any(not isinstance(n, int) or isinstance(n, bool) or not 4 <= n <= 30 for n in account_lengths or []):
        problems["account_lengths"] = [_("Each length is a whole number of digits from 4 to 30.")]
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        bank = Bank.objects.select_for_update().filter(code=code).first()
        before = snapshot(bank, ["code", "name", "account_lengths", "source", "active"]) if bank else None
        bank = bank or Bank(code=code)
        bank.name, bank.account_lengths, bank.source, bank.active = (name, sorted(set(account_lengths or [])),
                                                                     (source or "").strip()[:300], bool(active))
        bank.save()
        record_change(actor=actor, action="pay.bank_set", target=bank, before=before,
                      after=snapshot(bank, ["code", "name", "account_lengths", "source", "active"]))
    return bank


# --- imports ------------------------------------------------------------------------------------------
COLUMNS = ["NIP", "KODE_BANK", "NO_REKENING", "NAMA_REKENING", "KETERANGAN"]
REQUIRED = ["NIP", "KODE_BANK", "NO_REKENING", "NAMA_REKENING"]
HEADER_ALIASES = {
    "NIP_BARU": "NIP", "SANDI_BANK": "KODE_BANK", "BANK": "KODE_BANK", "NOMOR_REKENING": "NO_REKENING",
    "REKENING": "NO_REKENING", "NO_REK": "NO_REKENING", "NOREK": "NO_REKENING", "NAMA_PEMILIK_REKENING": "NAMA_REKENING",
    "NAMA_PEMILIK": "NAMA_REKENING", "ATAS_NAMA": "NAMA_REKENING", "CATATAN": "KETERANGAN", "ALASAN": "KETERANGAN",
}


@dataclass
class ImportOutcome:
    total_rows: int = 0
    errors: list[dict] = field(default_factory=list)  # {"row", "field", "reason"}, rows as the sheet numbers them
    changes: list[BankAccountChange] = field(default_factory=list)


def parse_rows(raw_rows: list[list]) -> tuple[list[dict], list[dict], int]:
    """(errors, parsed rows, number of data rows) from rows of cells; reads the database, writes nothing.
    Rows are numbered as the spreadsheet shows them."""
    errors: list[dict] = []

    def error(row, column, reason):
        errors.append({"row": row, "field": column, "reason": str(reason)})

    header_index = next((index for index, cells in enumerate(raw_rows[:15])
                         if "NIP" in [HEADER_ALIASES.get(normalise_header(c), normalise_header(c)) for c in cells]), None)
    if header_index is None:
        return [{"row": 1, "field": "NIP", "reason": _("required column NIP is missing")}], [], 0
    columns: dict[str, int] = {}
    for position, cell in enumerate(raw_rows[header_index]):
        name = HEADER_ALIASES.get(normalise_header(cell), normalise_header(cell))
        if name in COLUMNS and name not in columns:
            columns[name] = position
    for name in REQUIRED:
        if name not in columns:
            error(header_index + 1, name, _("required column %s is missing") % name)
    if errors:
        return errors, [], 0

    def cell(cells, name):
        position = columns.get(name)
        return cells[position] if position is not None and position < len(cells) else None

    data = [(number, cells) for number, cells in enumerate(raw_rows[header_index + 1:], start=header_index + 2)
            if any(c is not None and str(c).strip() for c in cells)]
    nips = {clean_account_number(cell(cells, "NIP")) for _n, cells in data}
    employees = {e.nip: e for e in Employee.objects.filter(nip__in=nips)}
    banks = {b.code: b for b in Bank.objects.all()}
    rows: list[dict] = []
    seen_nip: dict[str, int] = {}
    seen_account: dict[tuple[str, str], int] = {}
    for number, cells in data:
        before = len(errors)
        nip = clean_account_number(cell(cells, "NIP"))
        employee = employees.get(nip)
        if not nip:
            error(number, "NIP", _("NIP is empty"))
        elif employee is None:
            error(number, "NIP", _("no employee has NIP %s") % nip)
        elif nip in seen_nip:
            error(number, "NIP", _("row %(other)d already gives NIP %(nip)s") % {"other": seen_nip[nip], "nip": nip})
        seen_nip.setdefault(nip, number)
        code = clean_account_number(cell(cells, "KODE_BANK"))
        bank = banks.get(code) or banks.get(code.zfill(3))
        if bank is None:
            error(number, "KODE_BANK", _("no bank has code '%s' in this region's list of banks") % code)
        number_text = clean_account_number(cell(cells, "NO_REKENING"))
        holder = str(cell(cells, "NAMA_REKENING") or "").strip()
        note = str(cell(cells, "KETERANGAN") or "").strip()
        if employee is not None:
            problems = account_problems(employee=employee, bank=bank, account_number=number_text,
                                        holder_name=holder, note=note)
            if bank is None:
                problems.pop("bank", None)  # already named under KODE_BANK
            column_of = {"bank": "KODE_BANK", "account_number": "NO_REKENING", "holder_name": "NAMA_REKENING",
                         "note": "KETERANGAN"}
            for key, messages in problems.items():
                for message in messages:
                    error(number, column_of.get(key, key), message)
        if bank is not None and number_text:
            key = (bank.code, number_text)
            if key in seen_account:
                error(number, "NO_REKENING", _("row %d already gives this account; one account cannot receive "
                                               "two employees' pay") % seen_account[key])
            seen_account.setdefault(key, number)
        if len(errors) == before:
            rows.append({"row": number, "employee": employee, "bank": bank, "account_number": number_text,
                         "holder_name": holder, "note": note})
    errors.sort(key=lambda e: e["row"] or 0)
    return errors, rows, len(data)


def import_accounts(*, actor, content: bytes, filename: str) -> ImportOutcome:
    """Every row of the file becomes a change waiting for approval, or, when any row is wrong, none does
    and the outcome lists every bad row."""
    _require(actor, "pay.bank.manage")
    try:
        raw = read_rows(content, filename)
    except FileProblem as problem:
        return ImportOutcome(errors=[{"row": None, "field": "", "reason": str(problem)}])
    errors, rows, total = parse_rows(raw)
    outcome = ImportOutcome(total_rows=total, errors=errors)
    if errors:
        return outcome
    if not rows:
        outcome.errors = [{"row": None, "field": "", "reason": _("The file has no rows.")}]
        return outcome
    source = _("import of %s") % (filename or "")[:200]
    with transaction.atomic():
        for row in rows:
            outcome.changes.append(_create_change(actor, row["employee"], row["bank"], row["account_number"],
                                                  row["holder_name"], row["note"], f"{source}, row {row['row']}"))
        record_change(actor=actor, action="pay.bank_accounts_imported", target_type="pay.bankaccountchange",
                      after={"rows": len(rows), "file": (filename or "")[:200]})
    return outcome
