"""django-tenants' schema-aware PostgreSQL backend, with test databases that a Citus cluster can hold.

Citus keeps a maintenance connection open to every database that has its extension, so Django's plain
`DROP DATABASE` of a test database fails ("is being accessed by other users"); on a Citus coordinator the
test database also has a twin on each worker. Test databases are therefore dropped WITH (FORCE), on the
workers too. Nothing else differs from django-tenants' backend.
"""
