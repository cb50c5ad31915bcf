from django.db import migrations, models


class Migration(migrations.Migration):
    """The percentages above which the month-on-month comparison flags an employee's TPP and the totals."""

    dependencies = [
        ('pay', '0014_pay_run_checks'),
    ]

    operations = [
        migrations.AddField(
            model_name='paysettings',
            name='outlier_employee_percent',
            field=models.PositiveSmallIntegerField(default=25, verbose_name='flag an employee whose TPP moved more than (%)'),
        ),
        migrations.AddField(
            model_name='paysettings',
            name='outlier_total_percent',
            field=models.PositiveSmallIntegerField(default=10, verbose_name='flag totals that moved more than (%)'),
        ),
    ]
