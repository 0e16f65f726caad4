from django.db import migrations


def load_taxonomy(apps, schema_editor):
    from profiles.taxonomy import taxonomy_sync

    taxonomy_sync(skill_model=apps.get_model("profiles", "Skill"), alias_model=apps.get_model("profiles", "SkillAlias"))


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_taxonomy, migrations.RunPython.noop),
    ]
