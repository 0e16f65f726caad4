"""Writes of the profiles app. Import from here: ``from profiles.services import skill_resolve``."""

from profiles.services.skills import (
    InvalidSkillName,
    skill_alias_add,
    skill_merge,
    skill_resolve,
    skills_mark_reviewed,
    skills_resolve,
)

__all__ = [
    "InvalidSkillName",
    "skill_alias_add",
    "skill_merge",
    "skill_resolve",
    "skills_mark_reviewed",
    "skills_resolve",
]
