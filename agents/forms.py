from __future__ import annotations

from django import forms

from agents.models import TEMPERATURE_MAX, TEMPERATURE_MIN, Agent
from agents.services import EDITABLE_FIELDS
from projects.models import Project
from projects.selectors import projects_joined


class AgentForm(forms.ModelForm):
    """Create or edit a custom agent; ``project`` offers the user's own projects only."""

    temperature = forms.FloatField(
        min_value=TEMPERATURE_MIN,
        max_value=TEMPERATURE_MAX,
        initial=0.7,
        widget=forms.NumberInput(attrs={"step": "0.1", "min": TEMPERATURE_MIN, "max": TEMPERATURE_MAX}),
        help_text="0 (focused, repeatable) to 2 (creative).",
    )
    project = forms.ModelChoiceField(
        queryset=Project.objects.none(),
        required=False,
        empty_label="— none —",
        to_field_name="slug",
        help_text="With visibility “shared”, every member of this project can chat with the agent.",
    )

    class Meta:
        model = Agent
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "system_prompt": forms.Textarea(
                attrs={"rows": 8, "placeholder": "You are a meticulous code reviewer…"}
            ),
            "model": forms.TextInput(attrs={"placeholder": "Server default"}),
        }
        labels = {"system_prompt": "System prompt", "model": "Model"}
        help_texts = {"system_prompt": "How the agent should behave; sent before every conversation."}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects_joined(user)
        self.fields["visibility"].choices = [
            (Agent.Visibility.PRIVATE, "Private: only me"),
            (Agent.Visibility.PROJECT, "Shared with the members of a project"),
        ]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the agent a name.")
        return name

    def clean(self):
        data = super().clean()
        if data.get("visibility") == Agent.Visibility.PROJECT and not data.get("project"):
            self.add_error("project", "Choose the project to share the agent with.")
        return data

    def _post_clean(self):
        # The services check the model's rules (and the database constraints) on save;
        # instance validation here would reject a private agent that still names a project.
        pass
