"""The Celery application. Tasks run in the schema of the region that sent them: tenant-schemas-celery
puts the schema name in the message headers and switches the connection before the task runs."""
import logging
import os

from tenant_schemas_celery.app import CeleryApp
from tenant_schemas_celery.task import TenantTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")
logger = logging.getLogger(__name__)

# Checks run before every task, once the task's schema is active: each takes the task and returns why
# it must not run there, or "". The region app registers the one for suspended regions (an upper layer
# listens here, as with signals).
RUN_GUARDS: list = []


class GuardedTask(TenantTask):
    def __call__(self, *args, **kwargs):
        for guard in RUN_GUARDS:
            reason = guard(self)
            if reason:
                logger.warning("task %s not run: %s", self.name, reason)
                return None
        return super().__call__(*args, **kwargs)


app = CeleryApp("kinerja", task_cls=GuardedTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
