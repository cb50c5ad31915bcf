"""What a collector is. A collector reads one region's schema (the connection is already switched to it)
and returns plain aggregate numbers; it never returns a row about a person. Suppression is applied
afterwards, in one place (kinerja.reports.privacy), to every collector's output alike."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Callable

from django.db import connection

from kinerja.reports.privacy import RawFigure


@dataclass
class CollectContext:
    schema: str
    tables: frozenset[str]  # tables present in the region's own schema
    today: datetime.date
    cursor: object = None  # one cursor for the whole region: django-tenants sets the search path per cursor

    def has(self, *tables: str) -> bool:
        return all(table in self.tables for table in tables)

    def rows(self, sql: str, params=None) -> list[tuple]:
        if self.cursor is None:
            return rows(sql, params)
        self.cursor.execute(sql, params)
        return self.cursor.fetchall()


@dataclass
class Collected:
    figures: list[RawFigure] = field(default_factory=list)
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Collector:
    """`section` names the module; `tables` are what it reads: when any is missing from the region's
    schema (the module is not installed or not migrated there yet) the section is reported as not
    available and `collect` is not called."""

    section: str
    tables: tuple[str, ...]
    collect: Callable[[CollectContext], Collected]
    models: tuple[str, ...] = ()  # "app_label.ModelName" the collector needs; missing ones mean "not available"

    def is_available(self, context: CollectContext) -> bool:
        from django.apps import apps

        for label in self.models:
            try:
                apps.get_model(label)
            except (LookupError, ValueError):
                return False
        return context.has(*self.tables)


def rows(sql: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def schema_tables(schema: str, cursor=None, wanted: list[str] | None = None) -> frozenset[str] | None:
    """The tables of one schema (or those of `wanted` it has), or None when the schema does not exist.

    With `wanted`, each table is looked up by name through pg_class's (relname, relnamespace) index: a
    database of hundreds of region schemas holds hundreds of thousands of relations, and listing one
    schema's relations would read them all (pg_class has no index on the namespace alone)."""
    context = CollectContext(schema, frozenset(), datetime.date.today(), cursor)
    if wanted is None:
        found = context.rows("SELECT n.nspname, c.relname FROM pg_namespace n LEFT JOIN pg_class c "
                             "ON c.relnamespace = n.oid AND c.relkind IN ('r', 'p') WHERE n.nspname = %s", [schema])
        if not found:
            return None
        return frozenset(name for _schema, name in found if name)
    found = context.rows(
        "SELECT ARRAY(SELECT t FROM unnest(%s::text[]) t WHERE EXISTS (SELECT 1 FROM pg_class c "
        "WHERE c.relname = t AND c.relnamespace = n.oid AND c.relkind IN ('r', 'p'))) "
        "FROM pg_namespace n WHERE n.nspname = %s", [list(wanted), schema])
    if not found:
        return None
    return frozenset(found[0][0])
