"""Adding a column in the form Citus accepts on a distributed table: the column first, then each of its
constraints as a named statement of its own.

Django adds a PositiveIntegerField with an inline, unnamed `CHECK`, and a foreign key with an inline
`REFERENCES` followed by `SET CONSTRAINTS` in the same statement; Citus refuses both on a region's
(distributed) tables ("all constraints in Citus must have explicit names"). On plain PostgreSQL the
result is the same: the check gets the name PostgreSQL would have given it, and the foreign key Django's
usual name.
"""
from django.db.backends.postgresql.schema import DatabaseSchemaEditor as PostgresSchemaEditor

POSTGRES_NAME_LIMIT = 63


class DatabaseSchemaEditor(PostgresSchemaEditor):
    sql_create_column_inline_fk = None  # foreign keys of added columns: a named ALTER TABLE of their own
    _checks_apart = False

    @property
    def sql_check_constraint(self):
        return "" if self._checks_apart else "CHECK (%(check)s)"

    def add_field(self, model, field):
        check = None if field.many_to_many else field.db_parameters(connection=self.connection)["check"]
        if not check:
            return super().add_field(model, field)
        self._checks_apart = True
        try:
            super().add_field(model, field)
        finally:
            self._checks_apart = False
        table = model._meta.db_table
        name = f"{table}_{field.column}_check"
        if len(name) > POSTGRES_NAME_LIMIT:
            name = self._create_index_name(table, [field.column], suffix="_check")
        self.execute(self.sql_create_check % {"table": self.quote_name(table), "name": self.quote_name(name),
                                              "check": check})
