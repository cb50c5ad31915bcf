from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper

from kinerja.postgresql_backend.creation import DatabaseCreation
from kinerja.postgresql_backend.schema import DatabaseSchemaEditor


class DatabaseWrapper(TenantDatabaseWrapper):
    creation_class = DatabaseCreation
    SchemaEditorClass = DatabaseSchemaEditor
