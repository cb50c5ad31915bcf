"""Kinerja: the platform's core package (settings, Celery app and the apps every region shares)."""
from kinerja.celery import app as celery_app

__all__ = ["celery_app"]
