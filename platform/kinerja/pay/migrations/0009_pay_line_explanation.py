from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('pay', '0008_calendar_moves_to_region'),
    ]

    operations = [
        migrations.AddField(
            model_name='payline',
            name='explanation',
            field=models.JSONField(default=dict),
        ),
    ]
