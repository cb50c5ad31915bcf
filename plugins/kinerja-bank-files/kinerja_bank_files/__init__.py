"""Two bank transfer file formats for the regional banks (BPD) that pay Pemda salaries.

The real layouts of those banks (Bank Nagari, Bank Sumut, Bank Jambi, ...) are agreed between each bank
and its Pemda and are not published. These formats carry the two shapes such uploads take (a
fixed-width text file with header and trailer records, and a delimited file with control lines) with a
default column layout of our own; a region saves its bank's real layout in its pay settings and the
same format writes it."""
from kinerja_plugin_api.banking import (
    BankFileFormat,
    LayoutColumn,
    write_delimited,
    write_fixed_width,
)
from kinerja_plugin_api.hookspecs import hookimpl

PLUGIN_META = {
    "name": "kinerja-bank-files",
    "version": "1.0.0",
    "vendor": "Kinerja",
    "hook_api": ">=2.1,<3.0",
    "description": "Bank transfer files: fixed-width text and delimited text with control records, "
                   "with column layouts each region sets to its bank's.",
}

NOT_PUBLIC = ("Default layout of Kinerja's own; the regional banks' real layouts are not public. "
              "Set the layout your bank gave you in the pay settings.")

FIXED_WIDTH = BankFileFormat(
    code="teks-lebar-tetap",
    name="Teks lebar tetap (unggah host-to-host)",
    description="Satu rekaman H (rekening pembayar, tanggal, jumlah rekaman, total), satu rekaman D per "
                "pegawai dengan kolom lebar tetap, dan satu rekaman T (jumlah rekaman, total).",
    extension="txt",
    content_type="text/plain; charset=us-ascii",
    default_layout=(
        LayoutColumn("sequence", "NO", 6, "right", "0"),
        LayoutColumn("account_number", "NO_REKENING", 20, "left", " "),
        LayoutColumn("account_holder", "NAMA_REKENING", 35, "left", " "),
        LayoutColumn("amount", "JUMLAH", 15, "right", "0"),
        LayoutColumn("bank_code", "KODE_BANK", 3, "right", "0"),
        LayoutColumn("nip", "NIP", 18, "left", " "),
        LayoutColumn("reference", "BERITA", 30, "left", " "),
    ),
    writer=write_fixed_width,
    fixed_width=True,
    layout_source=NOT_PUBLIC,
)

CONTROLLED_CSV = BankFileFormat(
    code="csv-kendali",
    name="CSV dengan baris kendali (unggah massal)",
    description="Baris H (rekening pembayar, bulan, jumlah rekaman, total, berita), judul kolom, satu baris "
                "per pegawai, dan baris T (jumlah rekaman, total), dipisah titik koma.",
    extension="csv",
    content_type="text/csv; charset=utf-8",
    default_layout=(
        LayoutColumn("sequence", "NO"), LayoutColumn("account_number", "NO_REKENING"),
        LayoutColumn("account_holder", "NAMA_REKENING"), LayoutColumn("amount", "NOMINAL"),
        LayoutColumn("bank_code", "KODE_BANK"), LayoutColumn("nip", "NIP"), LayoutColumn("reference", "KETERANGAN"),
    ),
    writer=lambda batch, layout: write_delimited(batch, layout, control_lines=True),
    layout_source=NOT_PUBLIC,
)


@hookimpl
def kinerja_bank_file_formats():
    return [FIXED_WIDTH, CONTROLLED_CSV]
