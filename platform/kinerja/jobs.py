"""Sending background work by the task's name.

Tasks are thin callers of services (`tasks -> services`). A service that must start background work
therefore names the task instead of importing its module, which would close a cycle (`services ->
tasks -> services`). The message is sent from the current schema, so tenant-schemas-celery runs the task
in the same region. With CELERY_TASK_ALWAYS_EAGER the task runs here and now, as `.delay()` would.
"""
from __future__ import annotations

import importlib
from typing import Any

from kinerja.celery import app


def task_named(name: str):
    """The task object registered under `name` ("kinerja.pay.tasks.compute_pay_run_task"); importing
    its module registers it. Raises LookupError for a name no module defines."""
    if name not in app.tasks:
        module, _, _attribute = name.rpartition(".")
        try:
            importlib.import_module(module)
        except ImportError as error:
            raise LookupError(f"no task named {name}: {error}") from None
    try:
        return app.tasks[name]
    except KeyError:
        raise LookupError(f"no task named {name}") from None


def enqueue(name: str, *args: Any, **kwargs: Any):
    """Send the task `name` with these arguments to the workers (run it at once when eager)."""
    if app.conf.task_always_eager:
        return task_named(name).apply(args=args, kwargs=kwargs)
    return app.send_task(name, args=args, kwargs=kwargs)
