"""Bank transfer files: the formats on offer (the platform's generic CSV and those plugins offer through
`kinerja_bank_file_formats`), the region's choice and column layout, and the batch a format writes.

Formats come from every installed plugin, like a catalogue: the region picks one in its pay settings
and may replace its column layout with the one its bank gave it (the regional banks' layouts are not
public). A plugin whose answer breaks the contract, or offers a code already taken, is reported to the
plugin failure log and its formats are left out."""
from __future__ import annotations

import dataclasses

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from kinerja_plugin_api.banking import (
    GENERIC_CSV,
    BankFileFormat,
    TransferBatch,
    TransferLine,
)
from kinerja_plugin_api.host import PluginContractError, get_host

from kinerja import spreadsheets
from kinerja.pay.models import PaySettings
from kinerja.region import facts

HOOK = "kinerja_bank_file_formats"


def available_formats() -> dict[str, BankFileFormat]:
    """Every format on offer by code, the generic CSV first."""
    formats = {GENERIC_CSV.code: GENERIC_CSV}
    host = get_host()
    for name, answer in host.call_each(HOOK):
        if isinstance(answer, Exception) or answer is None:
            continue
        items = answer if isinstance(answer, (list, tuple)) else [answer]
        for item in items:
            if not isinstance(item, BankFileFormat):
                host.report_failure(name, HOOK, PluginContractError(
                    f"{HOOK} must return BankFileFormat values, not {type(item).__name__}"))
                continue
            if item.code in formats:
                host.report_failure(name, HOOK, PluginContractError(f"bank file format code '{item.code}' is taken"))
                continue
            formats[item.code] = item
    return formats


def chosen_format(settings: PaySettings) -> tuple[BankFileFormat, tuple]:
    """The region's format and its layout (the region's own when it saved one)."""
    formats = available_formats()
    chosen = formats.get(settings.bank_file_format)
    if chosen is None:
        raise ValidationError({"bank_file_format": [
            _("The bank file format '%s' is no longer installed; choose another in the pay settings.")
            % settings.bank_file_format]})
    try:
        layout = chosen.layout((settings.bank_file_layouts or {}).get(chosen.code))
    except ValueError as error:
        raise ValidationError({"bank_file_layouts": [_("The saved column layout is invalid: %s") % error]}) from None
    return chosen, layout


def check_layout(code: str, data) -> list[dict]:
    """A layout as saved (plain data), or ValidationError naming what is wrong."""
    formats = available_formats()
    if code not in formats:
        raise ValidationError({"bank_file_format": [_("No installed format has the code '%s'.") % code]})
    try:
        return [column.as_dict() for column in formats[code].layout(data)]
    except ValueError as error:
        raise ValidationError({"bank_file_layouts": [str(error)]}) from None


def transfer_batch(run, rows, settings: PaySettings) -> TransferBatch:
    region = facts.current_region()
    reference = f"TPP {run.month:%m/%Y}"
    # every text reaches the plugin's writer already neutralised: a finance office opens CSV formats in a
    # spreadsheet, and names, bank names and the payer account are typed by people
    lines = tuple(TransferLine(sequence=number, nip=row.nip, employee_name=spreadsheets.neutralise(row.full_name),
                               bank_code=row.account.bank_code,
                               bank_name=spreadsheets.neutralise(row.account.bank.name if row.account.bank else ""),
                               account_number=row.account.account_number,
                               account_holder=spreadsheets.neutralise(row.account.account_name),
                               amount=row.net, reference=reference)
                  for number, row in enumerate(rows, start=1))
    return TransferBatch(region_name=spreadsheets.neutralise(getattr(region, "name", "")), month=run.month,
                         reference=reference, lines=lines, payer_account=spreadsheets.neutralise(settings.payer_account))


def write(run, rows, settings: PaySettings) -> tuple[bytes, str, str]:
    """(content, file name, content type) of the run's transfer file in the region's format."""
    chosen, layout = chosen_format(settings)
    layout = tuple(dataclasses.replace(column, header=spreadsheets.neutralise(column.header)) for column in layout)
    try:
        content = chosen.write(transfer_batch(run, rows, settings), layout)
    except ValueError as error:
        raise ValidationError({"bank_file_layouts": [str(error)]}) from None
    return content, f"transfer-tpp-{run.month:%Y-%m}.{chosen.extension}", chosen.content_type
