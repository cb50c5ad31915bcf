from django.db import migrations, models


class Migration(migrations.Migration):
    """The region's choice of bank transfer file format, its bank's column layouts and its paying account."""

    dependencies = [
        ('pay', '0011_banks_and_account_changes'),
    ]

    operations = [
        migrations.AddField(
            model_name='paysettings',
            name='bank_file_format',
            field=models.CharField(default='csv-generik', max_length=40, verbose_name='bank transfer file format'),
        ),
        migrations.AddField(
            model_name='paysettings',
            name='bank_file_layouts',
            field=models.JSONField(blank=True, default=dict, verbose_name='bank file column layouts'),
        ),
        migrations.AddField(
            model_name='paysettings',
            name='payer_account',
            field=models.CharField(blank=True, max_length=30, verbose_name="region's paying account (RKUD)"),
        ),
    ]
