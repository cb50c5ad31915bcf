"""A region cloned from the template is the template under another name: the same tables, columns,
constraints, indexes and triggers by name (later migrations drop them by name), and the same seed rows."""
import pytest
from django.db import connection

from tenants.schemas import template_schema_name

pytestmark = pytest.mark.django_db

CATALOGUE = {
    "columns": "SELECT c.relname::text || '.' || a.attname::text || ':' || format_type(a.atttypid, a.atttypmod) || a.attnotnull::text "
               "|| a.attidentity::text FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
               "WHERE c.relnamespace = %s::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped",
    "constraints": "SELECT conname::text || ':' || contype::text || ':' || replace(pg_get_constraintdef(oid), %s, '') "
                   "FROM pg_constraint WHERE connamespace = %s::regnamespace",
    # by name, table, columns and uniqueness (a partial index's condition is deparsed in another but equal form)
    "indexes": "SELECT i.relname::text || ':' || t.relname::text || ':' || (SELECT string_agg(a.attname::text, ',') FROM unnest(x.indkey) AS k(n) JOIN pg_attribute a "
               "ON a.attrelid = x.indrelid AND a.attnum = k.n) || ':' || x.indisunique::text "
               "|| ':' || (x.indpred IS NULL)::text FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
               "JOIN pg_class t ON t.oid = x.indrelid WHERE t.relnamespace = %s::regnamespace",
    "triggers": "SELECT t.tgname::text || ':' || c.relname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE c.relnamespace = %s::regnamespace AND NOT t.tgisinternal",
}


def catalogue(schema):
    found = {}
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL search_path = pg_catalog")
        for name, sql in CATALOGUE.items():
            params = [schema] if sql.count("%s") == 1 else [f"{schema}.", schema]
            cursor.execute(sql, params)
            found[name] = {row[0] for row in cursor.fetchall()}
    return found


def test_a_cloned_region_has_the_templates_objects_by_their_names(region_a):
    template, region = catalogue(template_schema_name()), catalogue(region_a.schema_name)
    for kind in CATALOGUE:
        assert region[kind] == template[kind], kind
    assert len(region["constraints"]) > 100 and region["triggers"]


def test_a_cloned_region_has_the_templates_seed_rows_and_migration_records(region_a):
    with connection.cursor() as cursor:
        for table in ("django_migrations", "appraisal_curverule", "pay_workingday"):
            counts = []
            for schema in (template_schema_name(), region_a.schema_name):
                cursor.execute(f'SELECT count(*) FROM "{schema}".{table}')
                counts.append(cursor.fetchone()[0])
            assert counts[0] == counts[1] > 0, table
