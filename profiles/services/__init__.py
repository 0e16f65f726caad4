"""Writes of the profiles app. Import from here: ``from profiles.services import skill_resolve``."""

from profiles.services.profiles import (
    WIZARD_STEPS,
    profile_create,
    profile_ensure,
    profile_update,
    profile_wizard_step_save,
)
from profiles.services.skills import (
    InvalidSkillName,
    skill_alias_add,
    skill_merge,
    skill_resolve,
    skills_mark_reviewed,
    skills_resolve,
    skills_resolve_each,
)

__all__ = [
    "WIZARD_STEPS",
    "InvalidSkillName",
    "profile_create",
    "profile_ensure",
    "profile_update",
    "profile_wizard_step_save",
    "skill_alias_add",
    "skill_merge",
    "skill_resolve",
    "skills_mark_reviewed",
    "skills_resolve",
    "skills_resolve_each",
]
