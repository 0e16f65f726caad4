import pytest

from profiles.models import Skill, SkillAlias
from profiles.taxonomy import taxonomy_sync


@pytest.fixture(autouse=True)
def _skill_taxonomy(request):
    """The taxonomy comes from a data migration; a transactional test elsewhere in the
    session may have flushed it, so database tests reload it when it is missing."""
    marker = request.node.get_closest_marker("django_db")
    wanted = {"db", "transactional_db"} & set(request.fixturenames)
    if marker is None and not wanted:
        return
    transactional = "transactional_db" in wanted or bool(marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    if not Skill.objects.filter(is_reviewed=True).exists():
        taxonomy_sync(skill_model=Skill, alias_model=SkillAlias)
