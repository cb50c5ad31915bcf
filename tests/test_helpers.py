"""The test helpers themselves: a query count that is off must fail, and search_path statements must
not count."""
import pytest
from django.db import connection

from tests.helpers import assert_queries, capture_queries, in_region

pytestmark = pytest.mark.django_db


def _run(*statements: str) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def test_search_path_statements_do_not_count(region_a):
    with assert_queries(1) as captured:
        with in_region(region_a):
            _run("SET search_path = public", "SELECT set_config('search_path', 'public', false)", "SELECT 1")
    assert captured.queries == ["SELECT 1"]


def test_a_count_that_differs_fails_and_lists_the_queries():
    with pytest.raises(pytest.fail.Exception) as failure:
        with assert_queries(1):
            _run("SELECT 1", "SELECT 2")
    assert "expected 1 queries, 2 ran" in str(failure.value)
    assert "1. SELECT 1\n2. SELECT 2" in str(failure.value)
    with pytest.raises(pytest.fail.Exception, match="expected 3 queries, 2 ran"):
        with assert_queries(3):
            _run("SELECT 1", "SELECT 2")


def test_captured_queries_compare_by_count():
    with capture_queries() as few:
        _run("SELECT 1")
    with capture_queries() as more:
        _run("SELECT 1", "SET search_path = public", "SELECT 2")
    assert (len(few), len(more), list(more)) == (1, 2, ["SELECT 1", "SELECT 2"])
