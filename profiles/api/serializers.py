import re

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from profiles import validation
from profiles.models import ExperienceLevel, Profile, Skill, Visibility
from profiles.selectors import profile_skills_split
from profiles.taxonomy import CATEGORY_CHOICES


class SkillEntrySerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Canonical skill name.")
    years = serializers.IntegerField(allow_null=True, help_text="Years of experience, if given.")


@extend_schema_field(SkillEntrySerializer(many=True))
class ProfileSkillsField(serializers.Field):
    """Read-only: the profile's primary or secondary skills, canonical names."""

    def __init__(self, *, primary: bool, **kwargs):
        self.primary = primary
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, profile):
        rows = profile_skills_split(profile)[0 if self.primary else 1]
        return [{"name": row.skill.name, "years": row.years} for row in rows]


CLOCK_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


@extend_schema_field(
    {"type": "string", "pattern": CLOCK_TIME_PATTERN, "example": "09:30", "description": "Local time, HH:MM."}
)
class ClockTimeField(serializers.TimeField):
    """A wall-clock time: ``"HH:MM"`` out, ``"HH:MM"`` or ``"HH:MM:SS"`` in (nothing
    else: no offsets, fractions or compact forms, which the document does not promise)."""

    default_error_messages = {"invalid": "Enter a time as HH:MM, e.g. 09:30."}

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)

    def to_internal_value(self, value):
        if not isinstance(value, str) or not re.fullmatch(CLOCK_TIME_PATTERN, value):
            self.fail("invalid")
        return super().to_internal_value(value)


Link = inline_serializer("Link", {"label": serializers.CharField(), "url": serializers.URLField()})


def _django_errors(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages) from None


class SkillSerializer(serializers.ModelSerializer):
    canonical = serializers.BooleanField(source="is_reviewed", read_only=True)
    matched_alias = serializers.CharField(read_only=True, default="", help_text="The alias that matched `q`.")

    class Meta:
        model = Skill
        fields = ["name", "slug", "category", "canonical", "matched_alias"]


@extend_schema_field(
    {
        "type": "array",
        "items": {
            "oneOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "years": {"type": "integer", "nullable": True},
                    },
                    "required": ["name"],
                },
            ]
        },
    }
)
class SkillEntriesField(serializers.Field):
    """Accepts names (any alias) or ``{"name", "years"}``; returns canonical names."""

    def __init__(self, *, limit: int, label: str, **kwargs):
        self.limit, self.kind_label = limit, label
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return _django_errors(
            validation.skill_entries_normalize, data, limit=self.limit, label=self.kind_label
        )

    def to_representation(self, rows):
        return [{"name": row.skill.name, "years": row.years} for row in rows]


@extend_schema_field(
    {
        "type": "array",
        "items": {
            "oneOf": [
                {"type": "string", "format": "uri"},
                {
                    "type": "object",
                    "properties": {"label": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
                    "required": ["url"],
                },
            ]
        },
    }
)
class LinksField(serializers.Field):
    def to_internal_value(self, data):
        return _django_errors(validation.links_normalize, data)

    def to_representation(self, value):
        return value


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class InterestsField(serializers.Field):
    def to_internal_value(self, data):
        return _django_errors(validation.interests_normalize, data)

    def to_representation(self, value):
        return value


class SkillQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, help_text="Prefix of a name or alias, e.g. `re`, `k8`, `js`."
    )
    category = serializers.ChoiceField(CATEGORY_CHOICES, required=False, allow_blank=True)


class ProfileWriteSerializer(serializers.Serializer):
    """Every field optional: POST creates with what is given, PATCH changes what is given."""

    display_name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    headline = serializers.CharField(max_length=140, required=False, allow_blank=True)
    bio = serializers.CharField(max_length=5000, required=False, allow_blank=True, trim_whitespace=False)
    primary_skills = SkillEntriesField(limit=validation.PRIMARY_SKILLS_MAX, label="primary", required=False)
    secondary_skills = SkillEntriesField(
        limit=validation.SECONDARY_SKILLS_MAX, label="secondary", required=False
    )
    experience_level = serializers.ChoiceField(ExperienceLevel.choices, required=False, allow_blank=True)
    interests = InterestsField(required=False)
    timezone = serializers.CharField(max_length=64, required=False, allow_blank=True)
    working_hours_start = ClockTimeField(required=False, allow_null=True)
    working_hours_end = ClockTimeField(required=False, allow_null=True)
    availability_hours = serializers.IntegerField(
        min_value=0, max_value=validation.AVAILABILITY_HOURS_MAX, required=False, allow_null=True
    )
    github = serializers.CharField(max_length=200, required=False, allow_blank=True)
    links = LinksField(required=False)
    looking_for_team = serializers.BooleanField(required=False)
    visibility = serializers.ChoiceField(Visibility.choices, required=False)

    def validate_timezone(self, value):
        return _django_errors(validation.timezone_validate, value) if value else ""

    def validate_github(self, value):
        return _django_errors(validation.github_url_normalize, value) if value.strip() else ""

    def validate(self, attrs):
        profile: Profile | None = self.context.get("profile")
        start = attrs.get("working_hours_start", getattr(profile, "working_hours_start", None))
        end = attrs.get("working_hours_end", getattr(profile, "working_hours_end", None))
        try:
            validation.working_hours_validate(start, end)
        except DjangoValidationError as error:
            field = "working_hours_start" if start is None else "working_hours_end"
            raise serializers.ValidationError({field: error.messages}) from None
        return attrs


class ProfileSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    bio_html = serializers.CharField(read_only=True, help_text="The bio rendered from Markdown, sanitized.")
    primary_skills = ProfileSkillsField(primary=True)
    secondary_skills = ProfileSkillsField(primary=False)
    working_hours_start = ClockTimeField(allow_null=True)
    working_hours_end = ClockTimeField(allow_null=True)
    interests = serializers.ListField(child=serializers.CharField())
    links = serializers.ListField(child=Link)
    profile_complete = serializers.BooleanField(source="user.profile_complete", read_only=True)
    avatar_url = serializers.SerializerMethodField(help_text="The uploaded picture (256 px square), or null.")

    class Meta:
        model = Profile
        fields = [
            "username",
            "display_name",
            "headline",
            "bio",
            "bio_html",
            "primary_skills",
            "secondary_skills",
            "experience_level",
            "interests",
            "timezone",
            "working_hours_start",
            "working_hours_end",
            "availability_hours",
            "github",
            "links",
            "looking_for_team",
            "avatar_url",
            "visibility",
            "completeness",
            "profile_complete",
            "updated_at",
        ]
        read_only_fields = fields

    def get_avatar_url(self, profile) -> str | None:
        return profile.avatar.url if profile.avatar else None


Match = inline_serializer(
    "ProfileMatch",
    {
        "skills": serializers.ListField(child=serializers.CharField()),
        "overlap_hours": serializers.FloatField(allow_null=True),
        "reasons": serializers.ListField(child=serializers.CharField()),
    },
)


class ProfileSearchResultSerializer(ProfileSerializer):
    match = serializers.SerializerMethodField(help_text="Why this profile matched the search.")

    class Meta(ProfileSerializer.Meta):
        fields = [*ProfileSerializer.Meta.fields, "match"]
        read_only_fields = fields

    @extend_schema_field(Match)
    def get_match(self, profile) -> dict:
        return profile.match


class ProfileSearchQuerySerializer(serializers.Serializer):
    name = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        help_text="The username or a word of the display name starts with this (people pickers).",
    )
    skill = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        max_length=20,
        help_text="Repeat for all-of: `?skill=js&skill=django`; aliases work.",
    )
    level = serializers.ChoiceField(ExperienceLevel.choices, required=False, allow_blank=True)
    looking_for_team = serializers.BooleanField(required=False, allow_null=True, default=None)
    min_availability = serializers.IntegerField(
        min_value=0, max_value=80, required=False, allow_null=True, help_text="Hours per week, at least."
    )
    overlap_with = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text="IANA time zone, e.g. Europe/Berlin."
    )
    overlap_start = ClockTimeField(required=False, help_text="Local start there (09:00).")
    overlap_end = ClockTimeField(required=False, help_text="Local end there (17:00).")
    min_overlap_hours = serializers.FloatField(
        min_value=0, max_value=24, required=False, allow_null=True, help_text="Daily overlap, at least."
    )

    def validate_overlap_with(self, value):
        return _django_errors(validation.timezone_validate, value) if value else ""

    def validate(self, attrs):
        if attrs.get("min_overlap_hours") and not attrs.get("overlap_with"):
            raise serializers.ValidationError({"overlap_with": ["Choose the time zone to overlap with."]})
        start, end = attrs.get("overlap_start"), attrs.get("overlap_end")
        if start is not None and end is not None and start == end:
            raise serializers.ValidationError({"overlap_end": ["The window cannot start and end together."]})
        return attrs
