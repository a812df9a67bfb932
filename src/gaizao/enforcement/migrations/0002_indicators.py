from django.db import migrations

# code, name, unit label, formula over the illegal-building cases, decimal places, order
INDICATORS = [
    ("illegal-removed-area", "拆除违建面积", "㎡", "illegal_removed_area", 2, 30),
    ("illegal-removed", "拆除违建", "宗", "illegal_removed", 0, 31),
    ("illegal-new", "新增违建", "宗", "illegal_new", 0, 32),
]


def add(apps, schema_editor):
    indicator = apps.get_model("progress", "Indicator")
    for code, name, unit_label, formula, places, order in INDICATORS:
        indicator.objects.update_or_create(
            code=code,
            defaults={"name": name, "unit_label": unit_label, "formula": formula, "places": places, "order": order},
        )


def remove(apps, schema_editor):
    apps.get_model("progress", "Indicator").objects.filter(code__in=[row[0] for row in INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0001_initial"), ("progress", "0008_contest_by_project")]
    operations = [migrations.RunPython(add, remove)]
