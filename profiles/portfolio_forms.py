"""Forms of the portfolio edit pages. Rules come from ``profiles.validation`` so the pages
and the API reject the same input the same way."""

from django import forms
from django.core.validators import URLValidator

from profiles import validation

WEB_URL = URLValidator(schemes=["http", "https"], message="Enter an http(s) address.")


class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value):
        return value.strftime("%Y-%m") if hasattr(value, "strftime") else value


class MonthField(forms.Field):
    widget = MonthInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return validation.month_parse(value)


class TechnologiesField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            f"Comma-separated, e.g. “Python, Django, PostgreSQL” (at most {validation.TECHNOLOGIES_MAX}).",
        )
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"data-skill-autocomplete": "", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        return validation.technologies_normalize(super().clean(value) or "")


def technologies_text(item) -> str:
    return ", ".join(skill.name for skill in item.technologies.all())


class ExperienceForm(forms.Form):
    organisation = forms.CharField(max_length=120)
    role = forms.CharField(max_length=120)
    start_month = MonthField(label="Started", help_text="Month and year.")
    end_month = MonthField(label="Ended", required=False, help_text="Leave empty if you still work there.")
    description = forms.CharField(
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you did and achieved. Markdown: **bold**, lists, links.",
    )
    technologies = TechnologiesField()

    @classmethod
    def initial_for(cls, experience) -> dict:
        return {
            "organisation": experience.organisation,
            "role": experience.role,
            "start_month": experience.start_month,
            "end_month": experience.end_month,
            "description": experience.description,
            "technologies": technologies_text(experience),
        }


class CaseStudyForm(forms.Form):
    title = forms.CharField(max_length=120)
    summary = forms.CharField(
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or two sentences.",
    )
    role = forms.CharField(label="My role", max_length=120, required=False)
    body = forms.CharField(
        label="The story",
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="The problem, what you built and how, the result. Markdown.",
    )
    technologies = TechnologiesField(label="Tech stack")
    demo_url = forms.CharField(label="Demo link", max_length=200, required=False, validators=[WEB_URL])
    repository_url = forms.CharField(
        label="Repository link", max_length=200, required=False, validators=[WEB_URL]
    )

    @classmethod
    def initial_for(cls, case_study) -> dict:
        return {
            "title": case_study.title,
            "summary": case_study.summary,
            "role": case_study.role,
            "body": case_study.body,
            "technologies": technologies_text(case_study),
            "demo_url": case_study.demo_url,
            "repository_url": case_study.repository_url,
        }
