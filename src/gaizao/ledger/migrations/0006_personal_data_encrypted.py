# ID numbers and phones encrypted at rest, with keyed hashes to find them (docs/integrity.md, 个人信息加密).

from django.db import migrations, models

import gaizao.core.fields
from gaizao.core.crypto import PREFIX, encrypt
from gaizao.core.fields import encrypt_table


def encrypt_personal_data(apps, schema_editor):
    """Encrypts the plaintext ID numbers and phones where they stand and fills their hashes; may run again."""
    for model in ("Household", "Member"):
        table = apps.get_model("ledger", model)._meta.db_table
        encrypt_table(schema_editor.connection, table, {"id_number": "id_hash", "phone": "phone_hash"})
    seal_event_changes(apps, schema_editor)


def seal_event_changes(apps, schema_editor):
    """The timeline's changes of an ID number or phone, encrypted the same way (ledger/history.py `sealed`)."""
    HouseholdEvent = apps.get_model("ledger", "HouseholdEvent")
    personal = ("id_number", "phone")
    events = HouseholdEvent.objects.filter(models.Q(changes__has_key="id_number") | models.Q(changes__has_key="phone"))
    changed = []
    for event in events.only("id", "changes").iterator(chunk_size=2000):
        before = event.changes
        event.changes = before | {
            name: [encrypt(v) if v and not str(v).startswith(PREFIX) else v for v in before[name]]
            for name in personal
            if isinstance(before.get(name), list)
        }
        if event.changes != before:
            changed.append(event)
    HouseholdEvent.objects.bulk_update(changed, ["changes"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0005_tally'),
    ]

    operations = [
        migrations.AlterField(
            model_name='household',
            name='id_number',
            field=gaizao.core.fields.EncryptedCharField(blank=True, max_length=18, verbose_name='身份证号'),
        ),
        migrations.AlterField(
            model_name='household',
            name='phone',
            field=gaizao.core.fields.EncryptedCharField(blank=True, max_length=20, verbose_name='联系电话'),
        ),
        migrations.AlterField(
            model_name='member',
            name='id_number',
            field=gaizao.core.fields.EncryptedCharField(blank=True, max_length=18, verbose_name='身份证号'),
        ),
        migrations.AlterField(
            model_name='member',
            name='phone',
            field=gaizao.core.fields.EncryptedCharField(blank=True, max_length=20, verbose_name='电话'),
        ),
        migrations.AddField(
            model_name='household',
            name='id_hash',
            field=gaizao.core.fields.KeyedHashField(source='id_number', verbose_name='身份证号摘要'),
        ),
        migrations.AddField(
            model_name='household',
            name='phone_hash',
            field=gaizao.core.fields.KeyedHashField(source='phone', verbose_name='联系电话摘要'),
        ),
        migrations.AddField(
            model_name='member',
            name='id_hash',
            field=gaizao.core.fields.KeyedHashField(source='id_number', verbose_name='身份证号摘要'),
        ),
        migrations.AddField(
            model_name='member',
            name='phone_hash',
            field=gaizao.core.fields.KeyedHashField(source='phone', verbose_name='电话摘要'),
        ),
        migrations.RunPython(encrypt_personal_data),
        migrations.AddIndex(
            model_name='household',
            index=models.Index(fields=['id_hash'], name='household_id_hash'),
        ),
    ]
