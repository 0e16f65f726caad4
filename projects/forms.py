"""Browser forms. They validate input (field errors on the page); services apply the rules."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta
from functools import lru_cache
from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from profiles.models import ExperienceLevel
from projects.models import Milestone, Project, ProjectSkill, Task
from projects.services.board import MILESTONE_FIELDS, TASK_FIELDS
from projects.services.projects import EDITABLE_FIELDS, RequiredSkill


@lru_cache(maxsize=1)
def timezone_names() -> list[str]:
    return sorted(
        name for name in zoneinfo.available_timezones() if "/" in name and not name.startswith("Etc/")
    )


class ProjectForm(forms.ModelForm):
    tags = forms.CharField(required=False, help_text="Comma-separated, e.g. maps, open data.")
    repository_url = forms.URLField(required=False, assume_scheme="https", label="Repository URL")

    class Meta:
        model = Project
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "timezone": forms.TextInput(attrs={"list": "timezone-names", "placeholder": "Europe/Berlin"}),
        }
        labels = {"team_size": "Target team size", "min_overlap_hours": "Minimum working-hours overlap"}

    def __init__(self, *args, can_change_visibility: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["tags"] = ", ".join(self.instance.tags or [])
        if not can_change_visibility:
            self.fields["visibility"].disabled = True
            self.fields["visibility"].help_text = "Only the owner changes the visibility."

    def clean_timezone(self) -> str:
        name = self.cleaned_data.get("timezone", "").strip()
        if name and name not in zoneinfo.available_timezones():
            raise forms.ValidationError("Pick a time zone from the list, e.g. Europe/Berlin.")
        return name

    def clean_repository_url(self) -> str:
        url = self.cleaned_data.get("repository_url", "")
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Use an http(s) address.")
        return url

    def clean_tags(self) -> list[str]:
        return [tag.strip() for tag in self.cleaned_data.get("tags", "").split(",") if tag.strip()]

    def service_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name not in self.disabled_names()}

    def disabled_names(self) -> set[str]:
        return {name for name, field in self.fields.items() if field.disabled}


class RequiredSkillForm(forms.Form):
    skill = forms.CharField(
        max_length=60, required=False, widget=forms.TextInput(attrs={"placeholder": "e.g. Python"})
    )
    importance = forms.ChoiceField(
        choices=ProjectSkill.Importance.choices, initial=ProjectSkill.Importance.MUST
    )
    min_level = forms.ChoiceField(choices=[("", "Any level"), *ExperienceLevel.choices], required=False)


class BaseRequiredSkillFormSet(forms.BaseFormSet):
    def items(self) -> list[RequiredSkill]:
        """The filled rows as ``projects.services.projects.RequiredSkill`` dicts (blank rows dropped)."""
        return [
            {
                "skill": form.cleaned_data["skill"],
                "importance": form.cleaned_data["importance"],
                "min_level": form.cleaned_data.get("min_level") or None,
            }
            for form in self.forms
            if form.cleaned_data.get("skill", "").strip()
        ]


RequiredSkillFormSet = cast(
    type[BaseRequiredSkillFormSet],
    forms.formset_factory(
        RequiredSkillForm, formset=BaseRequiredSkillFormSet, extra=3, max_num=30, validate_max=True
    ),
)


def required_skills_initial(project: Project | None) -> list[dict]:
    if project is None:
        return []
    return [
        {"skill": row.skill.name, "importance": row.importance, "min_level": row.min_level}
        for row in project.required_skills.all()
    ]


class InvitationForm(forms.Form):
    invitee = forms.CharField(
        max_length=254,
        label="Username or email",
        widget=forms.TextInput(
            attrs={"placeholder": "grace or grace@example.com", "data-people-autocomplete": ""}
        ),
    )
    message = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def service_fields(self) -> dict:
        invitee = self.cleaned_data["invitee"].strip()
        key = "email" if "@" in invitee.lstrip("@") else "username"
        return {key: invitee, "message": self.cleaned_data.get("message", "")}


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "What would you like to work on?"}),
    )


class ShareLinkForm(forms.Form):
    EXPIRY_CHOICES = [("", "Never"), ("1", "1 day"), ("7", "7 days"), ("30", "30 days")]

    expires_in_days = forms.ChoiceField(choices=EXPIRY_CHOICES, required=False, label="Expires after")

    def expires_at(self):
        days = self.cleaned_data.get("expires_in_days")
        return timezone.now() + timedelta(days=int(days)) if days else None


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = [name for name in MILESTONE_FIELDS if name != "order"]  # the board orders them
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "goal": forms.Textarea(attrs={"rows": 2}),
        }


class MemberChoiceField(forms.ModelChoiceField):
    """A member of the project, shown by username."""

    def label_from_instance(self, obj) -> str:
        return obj.username


def _project_members(project: Project):
    return get_user_model().objects.filter(memberships__project=project).order_by("username")


class TaskForm(forms.ModelForm):
    assignee = MemberChoiceField(queryset=get_user_model().objects.none(), required=False)
    required_skill = forms.CharField(max_length=60, required=False, label="Required skill")

    class Meta:
        model = Task
        # required_skill is a name (the declared field above) that the service resolves.
        fields = [name for name in TASK_FIELDS if name != "required_skill"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        cast(MemberChoiceField, self.fields["assignee"]).queryset = _project_members(project)
        cast(forms.ModelChoiceField, self.fields["milestone"]).queryset = Milestone.objects.filter(
            project=project
        )


class QuickTaskForm(forms.Form):
    """The board's "+ Add task" in a column: a title, in that column's status."""

    title = forms.CharField(max_length=200, label="Task title")
    status = forms.ChoiceField(choices=Task.Status.choices)


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Task.Status.choices)


class TransferForm(forms.Form):
    new_owner = MemberChoiceField(queryset=get_user_model().objects.none(), label="New owner")

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(MemberChoiceField, self.fields["new_owner"])
        field.queryset = _project_members(project).exclude(pk=project.owner_id)


ROLE_CHOICES = [("maintainer", "Maintainer"), ("member", "Member")]


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=ROLE_CHOICES)
