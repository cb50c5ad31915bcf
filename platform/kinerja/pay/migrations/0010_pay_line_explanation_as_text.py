# A pay line's sentences move from a jsonb column ({"id": [...], "en": [...]}) to two text columns: a run
# writes tens of thousands of lines and parsing each as jsonb cost a fifth of the run. Existing sentences
# are carried over, joined by the ASCII unit separator (PayLine.SENTENCE_SEPARATOR).
from django.db import migrations, models

FORWARD = """
UPDATE pay_payline SET
    explanation_indonesian = COALESCE(array_to_string(ARRAY(
        SELECT jsonb_array_elements_text(explanation -> 'id')), E'\\x1f'), ''),
    explanation_english = COALESCE(array_to_string(ARRAY(
        SELECT jsonb_array_elements_text(explanation -> 'en')), E'\\x1f'), '')
WHERE explanation <> '{}'::jsonb
"""

BACKWARD = """
UPDATE pay_payline SET explanation = jsonb_strip_nulls(jsonb_build_object(
    'id', CASE WHEN explanation_indonesian = '' THEN NULL
               ELSE to_jsonb(string_to_array(explanation_indonesian, E'\\x1f')) END,
    'en', CASE WHEN explanation_english = '' THEN NULL
               ELSE to_jsonb(string_to_array(explanation_english, E'\\x1f')) END))
WHERE explanation_indonesian <> '' OR explanation_english <> ''
"""


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
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.RemoveField(
            model_name='payline',
            name='explanation',
        ),
    ]
