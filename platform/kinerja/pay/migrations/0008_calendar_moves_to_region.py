# The working week and holidays now belong to kinerja.region (same tables); pay forgets them in its state.
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('pay', '0007_service_targets'),
        ('region', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='WorkingDay'),
                migrations.DeleteModel(name='Holiday'),
            ],
            database_operations=[],
        ),
    ]
