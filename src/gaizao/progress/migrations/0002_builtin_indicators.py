from django.db import migrations

# code, name, unit label, formula over the ledger's tallies, decimal places
BUILTIN = [
    ("households-surveyed", "入户调查", "户", "surveyed", 0),
    ("households-signed", "签约", "户", "signed", 0),
    ("households-settled", "签约及裁决", "户", "signed + decided", 0),
    ("households-vacated", "腾空交房", "户", "vacated", 0),
    ("households-demolished", "拆除", "户", "demolished", 0),
    ("area-signed", "签约面积", "㎡", "signed_area", 2),
    ("area-demolished", "拆除面积", "㎡", "demolished_area", 2),
    ("land-expropriated", "征收土地", "亩", "land_area * 0.0015", 2),
    ("compensation-paid", "补偿款支付", "万元", "paid / 10000", 2),
]


def add(apps, schema_editor):
    indicator = apps.get_model("progress", "Indicator")
    for order, (code, name, unit_label, formula, places) in enumerate(BUILTIN, start=1):
        indicator.objects.update_or_create(
            code=code,
            defaults={"name": name, "unit_label": unit_label, "formula": formula, "places": places, "order": order},
        )


def remove(apps, schema_editor):
    apps.get_model("progress", "Indicator").objects.filter(code__in=[row[0] for row in BUILTIN]).delete()


class Migration(migrations.Migration):
    dependencies = [("progress", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
