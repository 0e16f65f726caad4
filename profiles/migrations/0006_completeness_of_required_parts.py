"""Completeness counts only the required parts now (profiles.completeness): recompute the
stored percentage of existing profiles, so none stays below 100% for an optional part."""

from django.db import migrations

# The required parts and their weights as of this migration (profiles.completeness.PARTS).
REQUIRED = {
    "display_name": 5,
    "primary_skills": 20,
    "experience_level": 10,
    "timezone": 10,
    "working_hours": 10,
    "availability_hours": 10,
}


def _filled(profile, field, primary_count):
    if field == "primary_skills":
        return primary_count > 0
    if field == "working_hours":
        return profile.working_hours_start is not None and profile.working_hours_end is not None
    if field == "availability_hours":
        return bool(profile.availability_hours)
    return bool(str(getattr(profile, field) or "").strip())


def recompute(apps, schema_editor):
    Profile = apps.get_model("profiles", "Profile")
    ProfileSkill = apps.get_model("profiles", "ProfileSkill")
    primary = set(ProfileSkill.objects.filter(kind="primary").values_list("profile_id", flat=True))
    total = sum(REQUIRED.values())
    for profile in Profile.objects.all().iterator():
        filled = sum(weight for field, weight in REQUIRED.items() if _filled(profile, field, profile.pk in primary))
        percent = round(100 * filled / total)
        if profile.completeness != percent:
            Profile.objects.filter(pk=profile.pk).update(completeness=percent)


class Migration(migrations.Migration):
    dependencies = [("profiles", "0005_portfolio_images")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
