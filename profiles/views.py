"""Browser pages: the profile wizard, public profiles and talent search."""

import contextlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.views.decorators.http import require_POST

from config.errors import NotFound
from config.http_cache import public_when_anonymous
from profiles import portfolio, selectors, services
from profiles.forms import WIZARD_FORMS, PeopleSearchForm, SkillsForm, wizard_initial
from profiles.middleware import SETUP_SKIPPED_SESSION_KEY
from profiles.models import ProfileSkill
from profiles.services import WIZARD_STEPS
from profiles.taxonomy import CATEGORY_CHOICES
from profiles.validation import timezone_names
from profiles.working_hours import local_now

STEP_TITLES = {
    "basics": "Basics",
    "skills": "Skills",
    "experience": "Experience & interests",
    "availability": "Availability & links",
    "review": "Review",
}
PEOPLE_PAGE_SIZE = 20


def _resume_step(profile) -> str:
    """The step after the last one saved; the review once everything was seen."""
    if profile is None or not profile.setup_step:
        return WIZARD_STEPS[0]
    index = WIZARD_STEPS.index(profile.setup_step)
    return WIZARD_STEPS[min(index + 1, len(WIZARD_STEPS) - 1)]


@login_required
def wizard_start(request):
    return redirect("profiles:setup-step", step=_resume_step(selectors.profile_of(request.user)))


@login_required
def wizard_step(request, step: str):
    if step not in WIZARD_FORMS:
        raise Http404
    profile = selectors.profile_of(request.user)
    form_class = WIZARD_FORMS[step]
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            profile = profile or services.profile_ensure(user=request.user)
            profile = services.profile_wizard_step_save(profile=profile, step=step, data=form.service_data())
            if step != "review":
                return redirect("profiles:setup-step", step=WIZARD_STEPS[WIZARD_STEPS.index(step) + 1])
            profile = selectors.profile_of(request.user)
            assert profile is not None  # just saved
            missing = [part for part in selectors.profile_missing(profile) if part.required]
            if not missing:
                request.session.pop(SETUP_SKIPPED_SESSION_KEY, None)
                messages.success(request, "Your profile is ready. This is how others see it.")
                return redirect("profiles:detail", username=request.user.username)
            form.add_error(None, "Some required parts are still missing; complete them below.")
    else:
        form = form_class(initial=wizard_initial(profile, step))
    index = WIZARD_STEPS.index(step)
    reached = WIZARD_STEPS.index(_resume_step(profile)) if profile else 0
    context = {
        "form": form,
        "step": step,
        "step_title": STEP_TITLES[step],
        "steps": [
            {"slug": slug, "title": STEP_TITLES[slug], "number": number, "done": number - 1 < reached}
            for number, slug in enumerate(WIZARD_STEPS, start=1)
        ],
        "step_number": index + 1,
        "step_count": len(WIZARD_STEPS),
        "previous_step": WIZARD_STEPS[index - 1] if index else None,
        "profile": profile,
    }
    if isinstance(form, SkillsForm):
        context["chips"] = form.chips()
    if step == "availability":
        context["timezone_names"] = sorted(timezone_names())
    if step == "review":
        context.update(_profile_context(profile) if profile else {})
        missing = selectors.profile_missing(profile) if profile else []
        context["required_missing"] = [part for part in missing if part.required]
        context["optional_missing"] = [part for part in missing if not part.required]
    return render(request, f"profiles/wizard/{step}.html", context)


@login_required
@require_POST
def wizard_skip(request):
    """Let a user reach the dashboard before finishing; the wizard stays in the menu."""
    request.session[SETUP_SKIPPED_SESSION_KEY] = True
    messages.info(request, "You can finish your profile any time: open it from your name in the menu.")
    return redirect("home")


def _skills_by_category(rows: list[ProfileSkill]) -> list[dict]:
    labels = dict(CATEGORY_CHOICES)
    groups: dict[str, list[ProfileSkill]] = {}
    for row in rows:
        groups.setdefault(row.skill.category, []).append(row)
    return [{"category": labels[key], "skills": groups[key]} for key, _ in CATEGORY_CHOICES if key in groups]


def _profile_context(profile) -> dict[str, Any]:
    primary, secondary = selectors.profile_skills_split(profile)
    context: dict[str, Any] = {
        "primary_groups": _skills_by_category(primary),
        "secondary_groups": _skills_by_category(secondary),
        "bio_html": profile.bio_html,
        "local_time": None,
    }
    if profile.timezone:
        with contextlib.suppress(ValueError, KeyError):
            context["local_time"] = local_now(profile.timezone)
    return context


@public_when_anonymous(max_age=60)
def profile_detail(request, username: str):
    try:
        profile = selectors.profile_for_viewer(username=username, viewer=request.user)
    except NotFound:
        if request.user.is_authenticated and username.lower() == request.user.username.lower():
            return redirect("profiles:setup")  # your own profile, not started yet
        raise Http404("No such profile.") from None
    is_owner = request.user.is_authenticated and profile.user_id == request.user.pk
    # Other apps add sections (the user's public projects): settings.PROFILE_PAGE_PANELS.
    panels = [
        panel
        for panels in settings.PROFILE_PAGE_PANELS
        for panel in import_string(panels)(request, profile.user)
    ]
    context = {
        "profile": profile,
        "is_owner": is_owner,
        "panels": panels,
        **_profile_context(profile),
        **_portfolio_context(profile),
    }
    return render(request, "profiles/detail.html", context)


def _portfolio_context(profile) -> dict[str, Any]:
    return {
        "experiences": list(portfolio.experiences_of(profile)),
        "case_studies": list(portfolio.case_studies_of(profile)),
    }


def people(request):
    form = PeopleSearchForm(request.GET or None)
    results, page = None, None
    criteria = None
    if not request.GET:
        criteria = selectors.SearchCriteria()
    elif form.is_valid():
        criteria = form.criteria()
    if criteria is not None:
        result = selectors.profiles_search(viewer=request.user, criteria=criteria)
        page = Paginator(result.ids, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
        results = result.profiles(list(page.object_list), request.user)
    query = request.GET.copy()
    query.pop("page", None)
    suggestions = []
    if criteria is not None and page is not None and not page.paginator.count:
        for skill in selectors.skills_related(criteria.skills, unknown=criteria.unknown_skills):
            suggestion = request.GET.copy()
            suggestion.pop("page", None)
            suggestion["skills"] = skill.name
            suggestions.append({"name": skill.name, "query": suggestion.urlencode()})
    context = {
        "searched": page is not None,  # a Page of no result is falsy in templates
        "suggestions": suggestions,
        "form": form,
        "results": results,
        "page": page,
        "criteria": criteria,
        "query_string": query.urlencode(),
        "timezone_names": sorted(timezone_names()),
        "wizard_url": reverse("profiles:setup"),
    }
    return render(request, "profiles/people.html", context)
