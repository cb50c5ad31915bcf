"""Seeds a region's rule tables: the predicate matrix (PermenPANRB 6/2022, as agreed by several public
implementations), the distribution curve (percentages from a secondary source, unconfirmed: regions edit
them) and the settings row. Regions are cloned from the template schema, so each gets its own copy."""
from django.db import migrations

MATRIX = [
    ("above", "above", "sangat_baik", ""),
    ("above", "as_expected", "baik", ""),
    ("above", "below", "kurang", "misconduct"),
    ("as_expected", "above", "baik", ""),
    ("as_expected", "as_expected", "baik", ""),
    ("as_expected", "below", "kurang", "misconduct"),
    ("below", "above", "butuh_perbaikan", ""),
    ("below", "as_expected", "butuh_perbaikan", ""),
    ("below", "below", "sangat_kurang", ""),
]

CURVE = [
    ("istimewa", ["sangat_baik"], "at_most", 70),
    ("baik", ["baik"], "at_most", 70),
    ("baik", ["butuh_perbaikan", "kurang"], "some", 0),
    ("butuh_perbaikan", ["butuh_perbaikan"], "at_least", 60),
    ("butuh_perbaikan", ["sangat_baik"], "at_most", 10),
    ("kurang", ["kurang"], "at_least", 60),
    ("kurang", ["butuh_perbaikan"], "at_least", 10),
    ("kurang", ["sangat_baik"], "at_most", 10),
    ("sangat_kurang", ["sangat_kurang"], "at_least", 60),
    ("sangat_kurang", ["kurang", "butuh_perbaikan"], "at_least", 10),
    ("sangat_kurang", ["sangat_baik"], "at_most", 0),
]

HEAD_WORK_RESULT = {"istimewa": "above", "baik": "as_expected", "butuh_perbaikan": "below", "kurang": "below",
                    "sangat_kurang": "below"}


def seed(apps, schema_editor):
    PredicateRule = apps.get_model("appraisal", "PredicateRule")
    CurveRule = apps.get_model("appraisal", "CurveRule")
    AppraisalSettings = apps.get_model("appraisal", "AppraisalSettings")
    for work_result, behaviour, predicate, note in MATRIX:
        PredicateRule.objects.update_or_create(work_result=work_result, behaviour=behaviour,
                                               defaults={"predicate": predicate, "note": note})
    if not CurveRule.objects.exists():
        CurveRule.objects.bulk_create(
            CurveRule(organisation_rating=rating, predicates=predicates, bound=bound, percent=percent)
            for rating, predicates, bound, percent in CURVE
        )
    AppraisalSettings.objects.update_or_create(pk=1, defaults={"head_work_result": HEAD_WORK_RESULT})


class Migration(migrations.Migration):
    dependencies = [("appraisal", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
