"""The stored chunk size follows the code's default: regions still on the first default (500) move to
2,500; a region that chose its own size keeps it."""
from django.db import migrations

OLD_DEFAULT = 500
NEW_DEFAULT = 2500


def raise_default(apps, schema_editor):
    PaySettings = apps.get_model("pay", "PaySettings")
    PaySettings.objects.filter(chunk_size=OLD_DEFAULT).update(chunk_size=NEW_DEFAULT)


class Migration(migrations.Migration):
    dependencies = [("pay", "0003_chunk_size")]
    operations = [migrations.RunPython(raise_default, migrations.RunPython.noop)]
