"""The Celery application. Tasks run in the schema of the region that sent them: tenant-schemas-celery
puts the schema name in the message headers and switches the connection before the task runs."""
import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")

app = CeleryApp("kinerja")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
