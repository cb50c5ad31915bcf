# A pay line's sentences move from a jsonb column ({"id": [...], "en": [...]}) to two text columns: a run
# writes tens of thousands of lines and parsing each as jsonb cost a fifth of the run. Existing sentences
# are carried over, joined by the ASCII unit separator (PayLine.SENTENCE_SEPARATOR).
from django.db import migrations, models

# Written for Citus too: an UPDATE on a distributed table may not call a non-immutable function inside
# COALESCE/CASE, nor a stable one (every jsonb builder) on its columns. Forward therefore aggregates in a
# subquery with immutable functions only; backward is done in Python.
FORWARD = """
UPDATE pay_payline SET
    explanation_indonesian = (SELECT coalesce(string_agg(sentence, E'\\x1f'), '')
                              FROM jsonb_array_elements_text(explanation -> 'id') AS sentence),
    explanation_english = (SELECT coalesce(string_agg(sentence, E'\\x1f'), '')
                           FROM jsonb_array_elements_text(explanation -> 'en') AS sentence)
WHERE explanation <> '{}'::jsonb
"""

SEPARATOR = "\x1f"


def explanations_back_to_json(apps, schema_editor):
    PayLine = apps.get_model("pay", "PayLine")
    lines = PayLine.objects.exclude(explanation_indonesian="", explanation_english="")
    batch = []
    for line in lines.only("id", "explanation_indonesian", "explanation_english").iterator(chunk_size=2000):
        line.explanation = {key: text.split(SEPARATOR) for key, text in
                            (("id", line.explanation_indonesian), ("en", line.explanation_english)) if text}
        batch.append(line)
        if len(batch) == 2000:
            PayLine.objects.bulk_update(batch, ["explanation"])
            batch = []
    PayLine.objects.bulk_update(batch, ["explanation"])


class Migration(migrations.Migration):

    dependencies = [
        ('pay', '0009_pay_line_explanation'),
    ]

    operations = [
        migrations.AddField(
            model_name='payline',
            name='explanation_english',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AddField(
            model_name='payline',
            name='explanation_indonesian',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.RunSQL(FORWARD, migrations.RunSQL.noop),
        migrations.RunPython(migrations.RunPython.noop, explanations_back_to_json),
        migrations.RemoveField(
            model_name='payline',
            name='explanation',
        ),
    ]
