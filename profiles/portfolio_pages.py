"""Browser pages of the portfolio: an edit page per section (work history, case studies)
and a case study's public page. The sections on ``/u/<username>/`` come from
``profiles.views.profile_detail``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from config.errors import DomainError, NotFound
from profiles import portfolio, selectors, services
from profiles.permissions import profile_access
from profiles.portfolio_forms import CaseStudyForm, ExperienceForm
from profiles.services import images as image_services


def form_errors_add(form, error: DomainError) -> None:
    """Show a service's refusal on the form: on its fields when it names them."""
    if error.fields:
        for field, texts in error.fields.items():
            for text in texts:
                form.add_error(field if field in form.fields else None, text)
    else:
        form.add_error(None, error.detail)


def _owned(getter, request, pk):
    try:
        return getter(user=request.user, pk=pk)
    except NotFound:
        raise Http404 from None


# -- Work history ---------------------------------------------------------------------------
@login_required
def experiences_edit(request):
    profile = services.profile_ensure(user=request.user)
    return render(
        request,
        "profiles/portfolio/experiences.html",
        {"profile": profile, "experiences": portfolio.experiences_of(profile)},
    )


@login_required
def experience_form(request, pk: int | None = None):
    experience = _owned(portfolio.experience_of_owner, request, pk) if pk else None
    initial = ExperienceForm.initial_for(experience) if experience else None
    form = ExperienceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if experience is None:
                services.experience_create(
                    profile=services.profile_ensure(user=request.user), data=form.cleaned_data
                )
            else:
                services.experience_update(experience=experience, data=form.cleaned_data)
        except DomainError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, "Experience saved.")
            return redirect("profiles:experiences-edit")
    return render(
        request, "profiles/portfolio/experience_form.html", {"form": form, "experience": experience}
    )


@login_required
@require_POST
def experience_delete(request, pk: int):
    services.experience_delete(experience=_owned(portfolio.experience_of_owner, request, pk))
    messages.success(request, "Experience deleted.")
    return redirect("profiles:experiences-edit")


# -- Case studies ---------------------------------------------------------------------------
@login_required
def case_studies_edit(request):
    profile = services.profile_ensure(user=request.user)
    return render(
        request,
        "profiles/portfolio/case_studies.html",
        {"profile": profile, "case_studies": list(portfolio.case_studies_of(profile))},
    )


@login_required
def case_study_form(request, pk: int | None = None):
    case_study = _owned(portfolio.case_study_of_owner, request, pk) if pk else None
    initial = CaseStudyForm.initial_for(case_study) if case_study else None
    form = CaseStudyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if case_study is None:
                case_study = services.case_study_create(
                    profile=services.profile_ensure(user=request.user), data=form.cleaned_data
                )
            else:
                services.case_study_update(case_study=case_study, data=form.cleaned_data)
        except DomainError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, "Case study saved.")
            return redirect("profiles:case-study-edit", pk=case_study.pk)
    return render(
        request,
        "profiles/portfolio/case_study_form.html",
        {"form": form, "case_study": case_study, **_images_context(case_study)},
    )


def _images_context(case_study) -> dict:
    return {
        "images": list(case_study.images.all()) if case_study else [],
        "images_max": image_services.CASE_STUDY_IMAGES_MAX,
        "image_max_mb": f"{settings.IMAGE_UPLOAD_MAX_BYTES / 1_000_000:g}",
    }


@login_required
@require_POST
def case_study_image_add(request, pk: int):
    case_study = _owned(portfolio.case_study_of_owner, request, pk)
    try:
        image_services.case_study_image_add(
            case_study=case_study,
            upload=request.FILES.get("image"),
            alt_text=request.POST.get("alt_text", ""),
        )
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, "Image added.")
    return redirect("profiles:case-study-edit", pk=case_study.pk)


@login_required
@require_POST
def case_study_image_delete(request, pk: int, image_pk: int):
    try:
        image = portfolio.case_study_image_of_owner(user=request.user, case_study_pk=pk, pk=image_pk)
    except NotFound:
        raise Http404 from None
    image_services.case_study_image_delete(image=image)
    messages.success(request, "Image removed.")
    return redirect("profiles:case-study-edit", pk=pk)


@login_required
def avatar_edit(request):
    """Upload or replace the profile picture."""
    profile = services.profile_ensure(user=request.user)
    error = ""
    if request.method == "POST":
        try:
            image_services.profile_avatar_set(profile=profile, upload=request.FILES.get("image"))
        except DomainError as exc:
            error = exc.detail
        else:
            messages.success(request, "Picture updated.")
            return redirect("profiles:detail", username=request.user.username)
    context = {"profile": profile, "error": error, "image_max_mb": _images_context(None)["image_max_mb"]}
    return render(request, "profiles/portfolio/avatar.html", context, status=400 if error else 200)


@login_required
@require_POST
def avatar_remove(request):
    image_services.profile_avatar_remove(profile=services.profile_ensure(user=request.user))
    messages.success(request, "Picture removed: your initials are shown instead.")
    return redirect("profiles:avatar")


@login_required
@require_POST
def case_study_delete(request, pk: int):
    services.case_study_delete(case_study=_owned(portfolio.case_study_of_owner, request, pk))
    messages.success(request, "Case study deleted.")
    return redirect("profiles:case-studies-edit")


@login_required
@require_POST
def case_study_move(request, pk: int):
    """Move one place up or down (``direction``), as the profile shows them."""
    case_study = _owned(portfolio.case_study_of_owner, request, pk)
    ids = list(portfolio.case_studies_of(case_study.profile).values_list("pk", flat=True))
    offset = -1 if request.POST.get("direction") == "up" else 1
    services.case_study_move(case_study=case_study, position=max(0, ids.index(case_study.pk) + offset))
    return redirect("profiles:case-studies-edit")


def case_study_detail(request, username: str, pk: int):
    """A case study on its own page, for whoever may read the profile."""
    try:
        profile = selectors.profile_for_viewer(username=username, viewer=request.user)
        access = profile_access(request.user, profile)
        access.ensure_view()
        case_study = portfolio.case_study_in(profile, pk)
    except NotFound:
        raise Http404("No such case study.") from None
    return render(
        request,
        "profiles/portfolio/case_study_detail.html",
        {"profile": profile, "case_study": case_study, "is_owner": access.is_owner},
    )
