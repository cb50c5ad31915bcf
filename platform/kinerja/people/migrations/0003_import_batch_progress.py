from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0002_import_batch"),
    ]

    operations = [
        migrations.AddField(
            model_name="importbatch",
            name="progress_done",
            field=models.PositiveIntegerField(default=0, verbose_name="rows done"),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="progress_total",
            field=models.PositiveIntegerField(default=0, verbose_name="rows to do"),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="progress_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last progress"),
        ),
        migrations.AlterField(
            model_name="importbatch",
            name="status",
            field=models.CharField(
                choices=[("previewed", "Previewed"), ("applied", "Applied"), ("failed", "Failed"),
                         ("reading", "Reading the file"), ("applying", "Applying"), ("discarded", "Discarded")],
                db_index=True, default="previewed", max_length=10, verbose_name="status"),
        ),
    ]
