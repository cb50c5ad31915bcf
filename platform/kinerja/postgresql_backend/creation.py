from django.db.backends.postgresql.creation import DatabaseCreation as PostgresCreation


class DatabaseCreation(PostgresCreation):
    def _worker_nodes(self, database_name: str) -> list[tuple[str, int]]:
        """The Citus workers registered in a database (none on plain PostgreSQL or when it is gone)."""
        import psycopg

        params = {key: value for key, value in self.connection.get_connection_params().items()
                  if key in {"host", "port", "user", "password"}}
        try:
            with psycopg.connect(dbname=database_name, autocommit=True, **params) as conn:
                if not conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'").fetchone():
                    return []
                return conn.execute("SELECT nodename, nodeport FROM pg_dist_node WHERE groupid <> 0").fetchall()
        except psycopg.Error:
            return []

    def _drop_everywhere(self, cursor, database_name: str) -> None:
        import psycopg

        workers = self._worker_nodes(database_name)
        cursor.execute(f"DROP DATABASE IF EXISTS {self.connection.ops.quote_name(database_name)} WITH (FORCE)")
        params = self.connection.get_connection_params()
        auth = {key: params[key] for key in ("user", "password") if params.get(key)}
        for host, port in workers:
            with psycopg.connect(host=host, port=port, dbname="postgres", autocommit=True, **auth) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {self.connection.ops.quote_name(database_name)} WITH (FORCE)")

    def _execute_create_test_db(self, cursor, parameters, keepdb=False):
        if not keepdb:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [parameters["dbname"].strip('"')])
            if cursor.fetchone():  # left by an interrupted run: Django would ask, and its plain DROP may fail
                self._drop_everywhere(cursor, parameters["dbname"].strip('"'))
        super()._execute_create_test_db(cursor, parameters, keepdb)

    def _destroy_test_db(self, test_database_name, verbosity):
        with self._nodb_cursor() as cursor:
            self._drop_everywhere(cursor, test_database_name)
