# One statement per SQL step: Citus sends a region's DDL on to the worker that holds the region, and a
# worker refuses several commands in one string ("cannot insert multiple commands into a prepared
# statement"). On Citus the trigger needs citus.enable_unsafe_triggers, which `migrate` sets for the
# database (tenants.cluster); the trigger then lives on the region's table on its worker and refuses an
# UPDATE or DELETE there exactly as on a single server.
from django.db import migrations

FORBID = [
    """
CREATE OR REPLACE FUNCTION audit_entry_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_is_append_only()
""",
]
ALLOW = [
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_entry_is_append_only()",
]


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunSQL(FORBID, ALLOW)]
