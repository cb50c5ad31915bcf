"""A five-day week as most regions keep it (Monday-Thursday 07:30-16:00, Friday 07:30-16:30); each
region edits it, and adds its holidays, on the pay calendar page."""
import datetime

from django.db import migrations


def seed(apps, schema_editor):
    WorkingDay = apps.get_model("pay", "WorkingDay")
    PaySettings = apps.get_model("pay", "PaySettings")
    for weekday in range(5):
        WorkingDay.objects.get_or_create(weekday=weekday, defaults={
            "is_working": True, "starts_at": datetime.time(7, 30),
            "ends_at": datetime.time(16, 30) if weekday == 4 else datetime.time(16, 0)})
    PaySettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("pay", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
