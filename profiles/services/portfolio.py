"""Writing the portfolio: experience entries and case studies.

Input arrives validated by a serializer or form (``profiles.validation``: months as dates,
technologies as names); the rules that need more than one field or the database live
here. Markdown is rendered once, here, into the stored ``*_html`` fields.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from config.errors import DomainError
from profiles.markdown import case_study_body_render, experience_description_render
from profiles.models import CaseStudy, Experience, Profile
from profiles.services.skills import skills_resolve

EXPERIENCES_MAX = 50
CASE_STUDIES_MAX = 30
EXPERIENCE_FIELDS = ("organisation", "role", "start_month", "end_month", "description")
CASE_STUDY_FIELDS = ("title", "summary", "role", "body", "demo_url", "repository_url")


def _this_month() -> date:
    return timezone.localdate().replace(day=1)


def _months_check(start: date, end: date | None) -> None:
    if start > _this_month():
        raise DomainError(
            "A role cannot start in the future.", fields={"start_month": ["Choose this month or earlier."]}
        )
    if end is not None and end < start:
        raise DomainError(
            "A role cannot end before it starts.", fields={"end_month": ["Choose the start month or later."]}
        )
    if end is not None and end > _this_month():
        raise DomainError(
            "An end month in the future: leave it empty for a current role.",
            fields={"end_month": ["Leave it empty while the role goes on."]},
        )


def _limit_check(count: int, limit: int, what: str) -> None:
    if count >= limit:
        raise DomainError(f"A profile holds at most {limit} {what}.", type="limit_reached")


def _technologies_set(item: Experience | CaseStudy, names: list[str] | None) -> None:
    if names is not None:
        item.technologies.set(skills_resolve(names))


@transaction.atomic
def experience_create(*, profile: Profile, data: dict) -> Experience:
    """A new work-history entry. ``data``: ``EXPERIENCE_FIELDS`` (months as first-of-month
    dates, ``end_month`` None for a current role) and ``technologies`` (skill names)."""
    Profile.objects.select_for_update().filter(pk=profile.pk).first()  # serializes the limit check
    _limit_check(profile.experiences.count(), EXPERIENCES_MAX, "experience entries")
    _months_check(data["start_month"], data.get("end_month"))
    experience = Experience(profile=profile, **{key: data[key] for key in EXPERIENCE_FIELDS if key in data})
    experience.description_html = experience_description_render(experience.description)
    experience.save()
    _technologies_set(experience, data.get("technologies"))
    return experience


@transaction.atomic
def experience_update(*, experience: Experience, data: dict) -> Experience:
    """Partial update: only the keys present in ``data`` change."""
    changed = [key for key in EXPERIENCE_FIELDS if key in data]
    for key in changed:
        setattr(experience, key, data[key])
    _months_check(experience.start_month, experience.end_month)
    if "description" in changed:
        experience.description_html = experience_description_render(experience.description)
        changed.append("description_html")
    experience.save(update_fields=[*changed, "updated_at"])
    _technologies_set(experience, data.get("technologies"))
    return experience


def experience_delete(*, experience: Experience) -> None:
    experience.delete()


@transaction.atomic
def case_study_create(*, profile: Profile, data: dict) -> CaseStudy:
    """A new case study, last in the profile's order. ``data``: ``CASE_STUDY_FIELDS`` and
    ``technologies`` (skill names); ``position`` places it (0 = first)."""
    Profile.objects.select_for_update().filter(pk=profile.pk).first()
    count = profile.case_studies.count()
    _limit_check(count, CASE_STUDIES_MAX, "case studies")
    case_study = CaseStudy(
        profile=profile, position=count, **{k: data[k] for k in CASE_STUDY_FIELDS if k in data}
    )
    case_study.body_html = case_study_body_render(case_study.body)
    case_study.save()
    _technologies_set(case_study, data.get("technologies"))
    if data.get("position") is not None:
        case_study_move(case_study=case_study, position=data["position"])
    return case_study


@transaction.atomic
def case_study_update(*, case_study: CaseStudy, data: dict) -> CaseStudy:
    """Partial update: only the keys present in ``data`` change; ``position`` reorders."""
    changed = [key for key in CASE_STUDY_FIELDS if key in data]
    for key in changed:
        setattr(case_study, key, data[key])
    if "body" in changed:
        case_study.body_html = case_study_body_render(case_study.body)
        changed.append("body_html")
    case_study.save(update_fields=[*changed, "updated_at"])
    _technologies_set(case_study, data.get("technologies"))
    if data.get("position") is not None:
        case_study_move(case_study=case_study, position=data["position"])
    return case_study


@transaction.atomic
def case_study_move(*, case_study: CaseStudy, position: int) -> CaseStudy:
    """Put ``case_study`` at ``position`` (0 = first; past the end = last) and number the
    profile's case studies 0, 1, 2... in the resulting order."""
    Profile.objects.select_for_update().filter(pk=case_study.profile_id).first()
    others = [
        item for item in CaseStudy.objects.filter(profile_id=case_study.profile_id).exclude(pk=case_study.pk)
    ]
    position = max(0, min(position, len(others)))
    ordered = [*others[:position], case_study, *others[position:]]
    changed = []
    for index, item in enumerate(ordered):
        if item.position != index:
            item.position = index
            changed.append(item)
    CaseStudy.objects.bulk_update(changed, ["position"])
    return case_study


def case_study_delete(*, case_study: CaseStudy) -> None:
    case_study.delete()
