from django.db import migrations

# code, name, unit label, formula over the projects' pipeline, order
PROJECT_INDICATORS = [
    ("projects-started", "项目开工", "个", "projects_started", 20),
    ("projects-topped-out", "项目封顶", "个", "projects_topped_out", 21),
    ("projects-completed", "项目竣工", "个", "projects_completed", 22),
    ("projects-returned", "回迁项目", "个", "projects_returned", 23),
]


def add(apps, schema_editor):
    indicator = apps.get_model("progress", "Indicator")
    for code, name, unit_label, formula, order in PROJECT_INDICATORS:
        indicator.objects.update_or_create(
            code=code, defaults={"name": name, "unit_label": unit_label, "formula": formula, "places": 0, "order": order}
        )


def remove(apps, schema_editor):
    apps.get_model("progress", "Indicator").objects.filter(code__in=[row[0] for row in PROJECT_INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("progress", "0004_meetings"), ("projects", "0002_pipeline_funding")]
    operations = [migrations.RunPython(add, remove)]
