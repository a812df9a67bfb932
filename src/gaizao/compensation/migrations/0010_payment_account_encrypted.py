# Bank accounts encrypted at rest, with a keyed hash to find them (docs/integrity.md, 个人信息加密).

from django.db import migrations

import gaizao.core.fields
from gaizao.core.fields import encrypt_table


def encrypt_accounts(apps, schema_editor):
    table = apps.get_model("compensation", "Payment")._meta.db_table
    encrypt_table(schema_editor.connection, table, {"account": "account_hash"})


class Migration(migrations.Migration):

    dependencies = [
        ('compensation', '0009_shared_computed_fields'),
    ]

    operations = [
        migrations.AlterField(
            model_name='payment',
            name='account',
            field=gaizao.core.fields.EncryptedCharField(max_length=40, verbose_name='收款账号'),
        ),
        migrations.AddField(
            model_name='payment',
            name='account_hash',
            field=gaizao.core.fields.KeyedHashField(source='account', verbose_name='收款账号摘要'),
        ),
        migrations.RunPython(encrypt_accounts),
    ]
