"""Bad filter values in the API answer 400 (or are ignored), never 500: every list endpoint of both sites
is called with every filter name the API reads, each given values of the wrong shape."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import get_resolver
from django.urls.resolvers import URLResolver

from kinerja.accounts.models import Role
from tests.factories import build_organisation
from tests.helpers import english_client, in_region, make_user

ROOT = Path(__file__).resolve().parents[2]
BAD_VALUES = ["abc", "99999999999999999999", "2025-13-45\x00"]


def filter_names() -> list[str]:
    """Every query parameter the API reads, found in its source."""
    names = set()
    for path in (ROOT / "api").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"(?:params|query_params)(?:\.get|\.getlist)?\(\s*\"([a-z_]+)\"", text))
        names |= set(re.findall(r"(?:params|query_params)\[\"([a-z_]+)\"\]", text))
        names |= set(re.findall(r"integer_param\([^,]+,\s*\"([a-z_]+)\"", text))
    return sorted(names | {"page", "province", "kind"})


def list_endpoints(urlconf: str) -> list[str]:
    """GET routes of the API without a path parameter: /api/v1/<name>/."""
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
                continue
            route = prefix + str(pattern.pattern)
            if route.startswith("api/v1/^") and "(?P<" not in route and route.endswith("/$"):
                found.append("/" + route.replace("^", "").replace("$", ""))

    walk(get_resolver(urlconf).url_patterns)
    return sorted(set(found))


def test_the_filter_names_are_found():
    names = filter_names()
    assert {"year", "period", "employee", "opening", "against"} <= set(names)


def _check(client, endpoints, names):
    client.raise_request_exception = False
    failures = []
    for endpoint in endpoints:
        for name in names:
            for value in BAD_VALUES:
                response = client.get(endpoint, {name: value})
                if response.status_code >= 500:
                    failures.append(f"{endpoint}?{name}={value!r}")
    return failures


@pytest.mark.django_db(transaction=False)
def test_region_api_answers_bad_filters_without_a_server_error(region_a):
    with in_region(region_a):
        org = build_organisation(region_a)
    names = filter_names()
    endpoints = [e for e in list_endpoints("kinerja.urls_tenant") if "schema" not in e and "docs" not in e]
    assert len(endpoints) > 10
    failures = []
    failures += _check(english_client(region_a, org.hr), endpoints, names)
    assert failures == []


def test_public_api_answers_bad_filters_without_a_server_error(db):
    names = filter_names()
    endpoints = [e for e in list_endpoints("kinerja.urls_public") if "schema" not in e and "docs" not in e]
    failures = []
    failures += _check(english_client(None, make_user(None, Role.OPERATOR, username="fuzz-operator")), endpoints, names)
    assert failures == []
