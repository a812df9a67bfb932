"""The documents an archive needs by default: those the ledger's own steps attach (the signed agreement, the
published decision, the photos of the empty house). An office adds more on /audit/documents/."""

from django.db import migrations

DEFAULTS = [
    ("signed", "补偿协议文本", "stage"),
    ("decided", "补偿决定书", "stage"),
    ("vacated", "腾空交房照片", "stage"),
]


def add_defaults(apps, schema_editor):
    RequiredDocument = apps.get_model("audit", "RequiredDocument")
    for stage, name, kind in DEFAULTS:
        RequiredDocument.objects.get_or_create(stage=stage, name=name, defaults={"event_kind": kind})


def remove_defaults(apps, schema_editor):
    RequiredDocument = apps.get_model("audit", "RequiredDocument")
    for stage, name, _ in DEFAULTS:
        RequiredDocument.objects.filter(stage=stage, name=name).delete()


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_findings_sampling")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
