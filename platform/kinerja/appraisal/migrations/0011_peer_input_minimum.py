"""Peer (360) anonymity that cannot be lowered afterwards: each answer keeps the minimum in force when
it was given (existing answers take the region's current minimum, raised to the floor of 3)."""

import django.core.validators
from django.db import migrations, models


def keep_current_promise(apps, schema_editor):
    AppraisalSettings = apps.get_model("appraisal", "AppraisalSettings")
    PeerInput = apps.get_model("appraisal", "PeerInput")
    AppraisalSettings.objects.filter(peer_minimum_respondents__lt=3).update(peer_minimum_respondents=3)
    row = AppraisalSettings.objects.filter(pk=1).first()
    PeerInput.objects.update(minimum_respondents=max(3, row.peer_minimum_respondents if row else 3))


class Migration(migrations.Migration):

    dependencies = [
        ('appraisal', '0010_siasn_codes'),
    ]

    operations = [
        migrations.AddField(
            model_name='peerinput',
            name='minimum_respondents',
            field=models.PositiveSmallIntegerField(default=3),
        ),
        migrations.RunPython(keep_current_promise, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='appraisalsettings',
            name='peer_minimum_respondents',
            field=models.PositiveSmallIntegerField(default=3, validators=[django.core.validators.MinValueValidator(3)], verbose_name='peer responses needed before peer input is shown'),
        ),
        migrations.AddConstraint(
            model_name='appraisalsettings',
            constraint=models.CheckConstraint(condition=models.Q(('peer_minimum_respondents__gte', 3)), name='peer_minimum_at_least_three'),
        ),
        migrations.AddConstraint(
            model_name='peerinput',
            constraint=models.CheckConstraint(condition=models.Q(('minimum_respondents__gte', 3)), name='peer_input_minimum_at_least_three'),
        ),
    ]
