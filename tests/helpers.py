"""Helpers for tests: users in a region's schema, clients that reach a region's host, and exact query
counts."""
from __future__ import annotations

import contextlib
import re

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
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


# django-tenants sets the search_path whenever the schema changes (TENANT_LIMIT_SET_CALLS), so how many of
# these run depends on what ran before, not on the code under test: counts leave them out.
_SEARCH_PATH = re.compile(r"^\s*SET\s+search_path\b|set_config\(\s*'search_path'", re.IGNORECASE)


def is_search_path(sql: str) -> bool:
    return bool(_SEARCH_PATH.search(sql))


class CapturedQueries(CaptureQueriesContext):
    """The statements run inside the block, django-tenants' search_path statements aside."""

    def __init__(self, using: str = "default"):
        super().__init__(connections[using])

    @property
    def queries(self) -> list[str]:
        return [q["sql"] for q in self.captured_queries if not is_search_path(q["sql"])]

    def __len__(self) -> int:
        return len(self.queries)

    def __iter__(self):
        return iter(self.queries)

    def __getitem__(self, index):
        return self.queries[index]


def capture_queries(using: str = "default") -> CapturedQueries:
    """`with capture_queries() as captured:` ... then `len(captured)` or `captured.queries`."""
    return CapturedQueries(using)


@contextlib.contextmanager
def assert_queries(expected: int, using: str = "default"):
    """Exactly `expected` queries inside the block, search_path statements aside; otherwise fail with
    the list of the queries that ran."""
    with CapturedQueries(using) as captured:
        yield captured
    if len(captured) != expected:
        listing = "\n".join(f"{number}. {sql}" for number, sql in enumerate(captured.queries, start=1))
        pytest.fail(f"expected {expected} queries, {len(captured)} ran (search_path statements left out):\n{listing}")
