"""Reads of the portfolio: experiences and case studies, scoped like their profile.

Every list comes with its technologies (and images) prefetched, so a page of any size is a
constant number of queries. Visibility is decided once per request by
``profiles.permissions.profile_access``; these selectors take the profile it cleared.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from config.errors import NotFound
from profiles.models import CaseStudy, CaseStudyImage, Experience, Profile, Skill

_TECHNOLOGIES = Prefetch("technologies", queryset=Skill.objects.order_by("name"))


def experiences_of(profile: Profile) -> QuerySet[Experience]:
    """The profile's work history, newest first, technologies prefetched."""
    return Experience.objects.filter(profile=profile).prefetch_related(_TECHNOLOGIES)


def case_studies_of(profile: Profile) -> QuerySet[CaseStudy]:
    """The profile's case studies in the owner's order, technologies (and images) prefetched."""
    return CaseStudy.objects.filter(profile=profile).prefetch_related(_TECHNOLOGIES, "images")


def experience_of_owner(*, user, pk) -> Experience:
    """One of ``user``'s own experiences, or ``NotFound`` (also for someone else's)."""
    number = _int(pk)
    experience = experiences_of_user(user).filter(pk=number).first() if number else None
    if experience is None:
        raise NotFound("No such experience entry.")
    return experience


def case_study_of_owner(*, user, pk) -> CaseStudy:
    """One of ``user``'s own case studies, or ``NotFound`` (also for someone else's)."""
    number = _int(pk)
    case_study = case_studies_of_user(user).filter(pk=number).first() if number else None
    if case_study is None:
        raise NotFound("No such case study.")
    return case_study


def experiences_of_user(user) -> QuerySet[Experience]:
    return (
        Experience.objects.filter(profile__user=user)
        .select_related("profile")
        .prefetch_related(_TECHNOLOGIES)
    )


def case_studies_of_user(user) -> QuerySet[CaseStudy]:
    return (
        CaseStudy.objects.filter(profile__user=user)
        .select_related("profile")
        .prefetch_related(_TECHNOLOGIES, "images")
    )


def case_study_in(profile: Profile, pk) -> CaseStudy:
    """One case study of a profile the caller may read, or ``NotFound``."""
    number = _int(pk)
    case_study = case_studies_of(profile).filter(pk=number).first() if number else None
    if case_study is None:
        raise NotFound("No such case study.")
    return case_study


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def case_study_image_of_owner(*, user, case_study_pk, pk) -> CaseStudyImage:
    """One image of one of ``user``'s case studies, or ``NotFound``."""
    number, case_study_number = _int(pk), _int(case_study_pk)
    image = (
        CaseStudyImage.objects.filter(
            pk=number, case_study_id=case_study_number, case_study__profile__user=user
        )
        .select_related("case_study")
        .first()
        if number and case_study_number
        else None
    )
    if image is None:
        raise NotFound("No such image.")
    return image
