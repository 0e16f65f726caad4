"""Forms of the profile wizard and the talent search page. Rules come from
``profiles.validation`` so the pages and the API reject the same input the same way."""

import re

from django import forms
from django.core.exceptions import ValidationError

from profiles import validation
from profiles.models import ExperienceLevel, Visibility
from profiles.selectors import SearchCriteria, skills_by_key, skills_lookup
from profiles.taxonomy import skill_key

_SKILL_TOKEN = re.compile(
    r"^(?P<name>.*?)\s*(?:[:(]\s*(?P<years>\d{1,3})\s*(?:y|yrs?|years?)?\s*\)?)?$", re.I
)


def skill_text_parse(text: str, *, limit: int, label: str) -> list[dict]:
    """``"Python: 5, Django (3), React"`` → ``[{"name": "Python", "years": 5}, …]``.

    Commas or new lines separate skills; years follow a colon or sit in parentheses.
    """
    entries = []
    for token in re.split(r"[,\n;]+", text):
        token = token.strip()
        if not token:
            continue
        match = _SKILL_TOKEN.match(token)
        name, years = (match["name"], match["years"]) if match else (token, None)
        entries.append({"name": name or token, "years": int(years) if years is not None else None})
    return validation.skill_entries_normalize(entries, limit=limit, label=label)


def skill_text_format(rows) -> str:
    return ", ".join(
        f"{row.skill.name}: {row.years}" if row.years is not None else row.skill.name for row in rows
    )


def _text_list(text: str) -> list[str]:
    return [line.strip() for line in re.split(r"[\n]+", text) if line.strip()]


class WizardForm(forms.Form):
    """One wizard step; ``service_data`` is what ``profile_wizard_step_save`` takes."""

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class BasicsForm(WizardForm):
    display_name = forms.CharField(max_length=80, help_text="How other developers see your name.")
    headline = forms.CharField(
        max_length=140,
        required=False,
        help_text="One line, e.g. “Backend engineer who loves data pipelines”.",
    )
    bio = forms.CharField(
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown is supported: **bold**, _italic_, [links](https://…), lists.",
    )


def _skills_widget(limit: int) -> forms.Textarea:
    # static/js/profiles.js turns it into chips; without JavaScript people type the text.
    return forms.Textarea(
        attrs={
            "rows": 2,
            "data-skill-chips": "",
            "data-max": limit,
            "placeholder": "Python: 5, Django: 3, React",
        }
    )


class SkillsForm(WizardForm):
    primary_skills = forms.CharField(
        label="Primary skills",
        widget=_skills_widget(validation.PRIMARY_SKILLS_MAX),
        help_text=f"What you are best at, up to {validation.PRIMARY_SKILLS_MAX}, each with its years of "
        "experience if you like.",
    )
    secondary_skills = forms.CharField(
        label="Secondary skills",
        required=False,
        widget=_skills_widget(validation.SECONDARY_SKILLS_MAX),
        help_text=f"Things you also know, up to {validation.SECONDARY_SKILLS_MAX}.",
    )

    def chips(self) -> dict[str, list[dict]]:
        """Each field's skills as the page's chips: ``{"name", "years", "known"}``, in the
        taxonomy's spelling when it knows the name (``known``: a reviewed skill). Read from
        what was sent when the form is bound, so a page shown again with errors keeps them."""
        chips: dict[str, list[dict]] = {}
        for name in ("primary_skills", "secondary_skills"):
            try:
                # No limit here: too many skills are shown (with the form's error) to be removed.
                chips[name] = skill_text_parse(self[name].value() or "", limit=1000, label=name)
            except ValidationError:
                chips[name] = []
        known = skills_by_key(entry["name"] for entries in chips.values() for entry in entries)
        for entries in chips.values():
            for entry in entries:
                skill = known.get(skill_key(entry["name"]))
                entry["known"] = skill is not None and skill.is_reviewed
                if skill is not None:
                    entry["name"] = skill.name
        return chips

    def clean_primary_skills(self):
        entries = skill_text_parse(
            self.cleaned_data["primary_skills"], limit=validation.PRIMARY_SKILLS_MAX, label="primary"
        )
        if not entries:
            raise ValidationError("Name at least one skill.", code="required")
        return entries

    def clean_secondary_skills(self):
        return skill_text_parse(
            self.cleaned_data["secondary_skills"], limit=validation.SECONDARY_SKILLS_MAX, label="secondary"
        )


class ExperienceForm(WizardForm):
    experience_level = forms.ChoiceField(
        choices=ExperienceLevel.choices, widget=forms.RadioSelect, label="Experience level"
    )
    interests = forms.CharField(
        required=False,
        max_length=1000,
        help_text="Topics you want to work on, separated by commas: “climate, fintech, dev tools”.",
    )

    def clean_interests(self):
        return validation.interests_normalize(self.cleaned_data["interests"])


class AvailabilityForm(WizardForm):
    timezone = forms.CharField(
        label="Time zone",
        max_length=64,
        widget=forms.TextInput(
            attrs={"list": "timezone-names", "data-timezone-guess": "", "autocomplete": "off"}
        ),
        help_text="An IANA name such as Europe/Berlin or America/New_York.",
    )
    working_hours_start = forms.TimeField(
        label="Working hours start", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    working_hours_end = forms.TimeField(
        label="Working hours end",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Local time. An end before the start means you work past midnight.",
    )
    availability_hours = forms.IntegerField(
        label="Hours per week", min_value=1, max_value=validation.AVAILABILITY_HOURS_MAX
    )
    github = forms.CharField(
        label="GitHub profile",
        required=False,
        max_length=200,
        widget=forms.URLInput(attrs={"placeholder": "https://github.com/your-username"}),
    )
    links = forms.CharField(
        label="Other links",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "https://your-site.dev"}),
        help_text=f"One address per line, up to {validation.LINKS_MAX}.",
    )
    looking_for_team = forms.BooleanField(label="I am looking for a team", required=False)

    def clean_timezone(self):
        return validation.timezone_validate(self.cleaned_data["timezone"].strip())

    def clean_github(self):
        value = self.cleaned_data["github"].strip()
        return validation.github_url_normalize(value) if value else ""

    def clean_links(self):
        return validation.links_normalize(_text_list(self.cleaned_data["links"]))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("working_hours_start"), cleaned.get("working_hours_end")
        if start is not None and end is not None:
            try:
                validation.working_hours_validate(start, end)
            except ValidationError as error:
                self.add_error("working_hours_end", error)
        return cleaned


class ReviewForm(WizardForm):
    visibility = forms.ChoiceField(
        choices=Visibility.choices, widget=forms.RadioSelect, label="Who can see it"
    )


def wizard_initial(profile, step: str) -> dict:
    """The form's initial values from the saved profile, so a user can leave and resume."""
    if profile is None:
        return {}
    if step == "basics":
        return {"display_name": profile.display_name, "headline": profile.headline, "bio": profile.bio}
    if step == "skills":
        rows = list(profile.profile_skills.all())
        return {
            "primary_skills": skill_text_format([row for row in rows if row.kind == "primary"]),
            "secondary_skills": skill_text_format([row for row in rows if row.kind == "secondary"]),
        }
    if step == "experience":
        return {"experience_level": profile.experience_level, "interests": ", ".join(profile.interests)}
    if step == "availability":
        return {
            "timezone": profile.timezone,
            "working_hours_start": profile.working_hours_start,
            "working_hours_end": profile.working_hours_end,
            "availability_hours": profile.availability_hours,
            "github": profile.github,
            "links": "\n".join(link["url"] for link in profile.links),
            "looking_for_team": profile.looking_for_team,
        }
    return {"visibility": profile.visibility}


WIZARD_FORMS: dict[str, type[WizardForm]] = {
    "basics": BasicsForm,
    "skills": SkillsForm,
    "experience": ExperienceForm,
    "availability": AvailabilityForm,
    "review": ReviewForm,
}


class PeopleSearchForm(forms.Form):
    skills = forms.CharField(
        required=False,
        max_length=600,
        widget=forms.TextInput(attrs={"data-skill-autocomplete": "", "placeholder": "python, react"}),
        help_text="All of these (aliases work: js, k8s, postgres).",
    )
    level = forms.ChoiceField(choices=[("", "Any level"), *ExperienceLevel.choices], required=False)
    looking_for_team = forms.BooleanField(required=False, label="Looking for a team")
    min_availability = forms.IntegerField(
        required=False, min_value=1, max_value=validation.AVAILABILITY_HOURS_MAX, label="At least h/week"
    )
    overlap_with = forms.CharField(
        required=False,
        max_length=64,
        label="Overlapping with time zone",
        widget=forms.TextInput(attrs={"list": "timezone-names", "placeholder": "Europe/Berlin"}),
        help_text="Working hours 09:00-17:00 there.",
    )
    min_overlap_hours = forms.FloatField(
        required=False, min_value=0.5, max_value=24, label="Overlap at least (h/day)"
    )

    def clean_skills(self):
        entries = skill_text_parse(self.cleaned_data["skills"], limit=20, label="searched")
        return [entry["name"] for entry in entries]

    def clean_overlap_with(self):
        value = self.cleaned_data["overlap_with"].strip()
        return validation.timezone_validate(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("min_overlap_hours")
            and not cleaned.get("overlap_with")
            and "overlap_with" not in self.errors
        ):
            self.add_error("overlap_with", "Choose the time zone to overlap with.")
        return cleaned

    def criteria(self) -> SearchCriteria:
        data = self.cleaned_data
        skills, unknown = skills_lookup(data.get("skills") or [])
        return SearchCriteria(
            skills=skills,
            unknown_skills=unknown,
            level=data.get("level") or "",
            looking_for_team=True if data.get("looking_for_team") else None,
            min_availability=data.get("min_availability"),
            overlap_with=data.get("overlap_with") or "",
            min_overlap_hours=data.get("min_overlap_hours"),
        )
