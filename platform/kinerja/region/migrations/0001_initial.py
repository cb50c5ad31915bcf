# The working week and holidays move from the pay module to the region's facts. The tables already exist
# (created by pay 0001 and filled by pay 0002), so only Django's model state moves; no SQL runs.
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('pay', '0007_service_targets'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Holiday',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(unique=True, verbose_name='date')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                    ],
                    options={
                        'verbose_name': 'holiday',
                        'verbose_name_plural': 'holidays',
                        'ordering': ['date'],
                        'db_table': 'pay_holiday',
                    },
                ),
                migrations.CreateModel(
                    name='WorkingDay',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('weekday', models.PositiveSmallIntegerField(choices=[(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 6)], unique=True, verbose_name='weekday')),
                        ('is_working', models.BooleanField(default=True, verbose_name='working day')),
                        ('starts_at', models.TimeField(verbose_name='starts at')),
                        ('ends_at', models.TimeField(verbose_name='ends at')),
                    ],
                    options={
                        'verbose_name': 'working day',
                        'verbose_name_plural': 'working days',
                        'ordering': ['weekday'],
                        'db_table': 'pay_workingday',
                        'constraints': [models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='working_day_ends_after_start'), models.CheckConstraint(condition=models.Q(('weekday__lte', 6)), name='working_day_weekday_0_6')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
