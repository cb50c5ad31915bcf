"""Helpers for tests: users in a region's schema and clients that reach a region's host."""
from __future__ import annotations

import contextlib

from django.test import Client
from django_tenants.utils import schema_context

from kinerja.accounts.models import Role
from tenants.models import Region

PASSWORD = "rahasia-123"


def host_of(region: Region) -> str:
    return region.get_primary_domain().domain


@contextlib.contextmanager
def in_region(region: Region):
    with schema_context(region.schema_name):
        yield


def make_user(region: Region | None, role: str = Role.EMPLOYEE, username: str | None = None, **extra):
    """A user with PASSWORD in a region's schema (or the public schema when region is None)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    schema = region.schema_name if region else "public"
    with schema_context(schema):
        user = User(username=username or f"{role}-{User.objects.count() + 1}", role=role,
                    full_name=extra.pop("full_name", f"Test {role}"), **extra)
        user.set_password(PASSWORD)
        user.save()
    return user


class HostClient(Client):
    """A test client that leaves the connection on the public schema after each request, as a new
    request in a real server would find it, so assertions after a request read what they name."""

    def request(self, **request):
        from django.db import connection

        try:
            return super().request(**request)
        finally:
            connection.set_schema_to_public()


def client_for(region: Region | None, user=None) -> Client:
    """A test client whose requests reach `region`'s host (the public site when None), logged in as `user`."""
    host = host_of(region) if region else "localhost"
    client = HostClient(HTTP_HOST=host)
    if user is not None:
        with schema_context(region.schema_name if region else "public"):
            client.force_login(user)
    return client


def english_client(region: Region | None, user=None) -> Client:
    """A client that asks for English pages (assertions read the source texts). After each request the
    schema the test was using is active again, so a test body inside a region keeps reading that region."""
    from django.db import connection

    client = client_for(region, user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    send = client.request

    def request(**kwargs):
        schema = connection.schema_name
        try:
            return send(**kwargs)
        finally:
            connection.set_schema(schema)

    client.request = request
    return client
