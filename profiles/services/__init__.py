"""Writes of the profiles app. Import from here: ``from profiles.services import skill_resolve``."""

from profiles.services.portfolio import (
    case_study_create,
    case_study_delete,
    case_study_move,
    case_study_update,
    experience_create,
    experience_delete,
    experience_update,
)
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
    "case_study_create",
    "case_study_delete",
    "case_study_move",
    "case_study_update",
    "experience_create",
    "experience_delete",
    "experience_update",
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
