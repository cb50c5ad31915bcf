from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('pay', '0007_service_targets'),
    ]

    operations = [
        migrations.AddField(
            model_name='payline',
            name='explanation',
            field=models.JSONField(default=dict),
        ),
    ]
