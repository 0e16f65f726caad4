from django.db import migrations


def create_builtin_agents(apps, schema_editor):
    from agents.builtins import builtin_agents_sync

    builtin_agents_sync(apps.get_model("agents", "Agent"))


def delete_builtin_agents(apps, schema_editor):
    from agents.builtins import BUILTIN_AGENTS

    apps.get_model("agents", "Agent").objects.filter(
        is_builtin=True, slug__in=[spec["slug"] for spec in BUILTIN_AGENTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("agents", "0001_initial")]

    operations = [migrations.RunPython(create_builtin_agents, delete_builtin_agents)]
