from django.db import migrations

CREATE = """
CREATE FUNCTION audit_trail_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '审计日志只能追加，不能修改或删除（%）', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_trail_append_only BEFORE UPDATE OR DELETE ON audit_trailentry
    FOR EACH ROW EXECUTE FUNCTION audit_trail_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_trail_append_only ON audit_trailentry;
DROP FUNCTION IF EXISTS audit_trail_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_trail")]
    operations = [migrations.RunPython(create, drop)]
