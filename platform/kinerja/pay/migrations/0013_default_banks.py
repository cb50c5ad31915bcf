"""The banks that pay most regional salaries, with what secondary sources say of their account numbers.

Bank codes are Bank Indonesia's clearing codes (sandi bank). No Indonesian bank publishes a check-digit
rule; the account number lengths of the national banks are seen in secondary sources (unconfirmed), and
those of the regional banks (BPD) are not known, so they are left open (6 to 20 digits). Each region
corrects this list on its bank page or in the admin."""
from django.db import migrations

SECONDARY = "Panjang nomor rekening dari sumber sekunder (belum dikonfirmasi); tidak ada aturan digit cek yang publik."
UNKNOWN = "Panjang nomor rekening tidak dipublikasikan; diisi oleh daerah dari keterangan banknya."
BANKS = [
    ("002", "Bank Rakyat Indonesia (BRI)", [15], SECONDARY),
    ("008", "Bank Mandiri", [13], SECONDARY),
    ("009", "Bank Negara Indonesia (BNI)", [10], SECONDARY),
    ("014", "Bank Central Asia (BCA)", [10], SECONDARY),
    ("451", "Bank Syariah Indonesia (BSI)", [10], SECONDARY),
    ("115", "Bank Jambi", [], UNKNOWN),
    ("117", "Bank Sumut", [], UNKNOWN),
    ("118", "Bank Nagari", [], UNKNOWN),
]


def add_banks(apps, schema_editor):
    Bank = apps.get_model("pay", "Bank")
    for code, name, lengths, source in BANKS:
        Bank.objects.get_or_create(code=code, defaults={"name": name, "account_lengths": lengths, "source": source})


def link_accounts(apps, schema_editor):
    """Accounts recorded before banks were a table point to their bank by code."""
    Bank = apps.get_model("pay", "Bank")
    BankAccount = apps.get_model("pay", "BankAccount")
    for bank in Bank.objects.all():
        BankAccount.objects.filter(bank__isnull=True, bank_code=bank.code).update(bank=bank)


class Migration(migrations.Migration):

    dependencies = [
        ('pay', '0012_bank_file_settings'),
    ]

    operations = [
        migrations.RunPython(add_banks, migrations.RunPython.noop),
        migrations.RunPython(link_accounts, migrations.RunPython.noop),
    ]
