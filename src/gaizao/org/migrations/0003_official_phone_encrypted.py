# Officials' phones encrypted at rest (docs/integrity.md, 个人信息加密).

from django.db import migrations

import gaizao.core.fields
from gaizao.core.fields import encrypt_table


def encrypt_phones(apps, schema_editor):
    table = apps.get_model("org", "Official")._meta.db_table
    encrypt_table(schema_editor.connection, table, {"phone": None})


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0002_official_person_key_alter_official_role'),
    ]

    operations = [
        migrations.AlterField(
            model_name='official',
            name='phone',
            field=gaizao.core.fields.EncryptedCharField(blank=True, max_length=20, verbose_name='电话'),
        ),
        migrations.RunPython(encrypt_phones),
    ]
