"""Reference data the app needs in every database (see config.pytest_plugin)."""


def ensure() -> None:
    """Load the skill taxonomy if it is missing (a flushed test database)."""
    from profiles.models import Skill, SkillAlias
    from profiles.taxonomy import taxonomy_sync

    if not Skill.objects.filter(is_reviewed=True).exists():
        taxonomy_sync(skill_model=Skill, alias_model=SkillAlias)
