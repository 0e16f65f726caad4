"""Serializers of the portfolio API: experiences and case studies."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from profiles import validation
from profiles.models import CaseStudy, CaseStudyImage, Experience


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2023-04"})
class MonthField(serializers.Field):
    """A calendar month, ``"YYYY-MM"`` in and out (stored as the month's first day)."""

    def to_internal_value(self, data):
        try:
            return validation.month_parse(data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def to_representation(self, value):
        return value.strftime("%Y-%m")


@extend_schema_field({"type": "array", "items": {"type": "string"}, "maxItems": validation.TECHNOLOGIES_MAX})
class TechnologiesField(serializers.Field):
    """Skill names in (any alias, resolved through the taxonomy); canonical names out."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            self.fail("invalid")
        try:
            return validation.technologies_normalize(data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def to_representation(self, value):
        return [skill.name for skill in value.all()]

    default_error_messages = {"invalid": "Give the technologies as a list of names."}


class ExperienceSerializer(serializers.ModelSerializer):
    start_month = MonthField()
    end_month = MonthField(allow_null=True, help_text="null: the current role.")
    technologies = TechnologiesField()
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Experience
        fields = [
            "id",
            "organisation",
            "role",
            "start_month",
            "end_month",
            "is_current",
            "description",
            "description_html",
            "technologies",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ExperienceWriteSerializer(serializers.Serializer):
    """POST needs organisation, role and start_month; PATCH changes what is given."""

    organisation = serializers.CharField(max_length=120)
    role = serializers.CharField(max_length=120)
    start_month = MonthField()
    end_month = MonthField(required=False, allow_null=True, help_text="Omit or null for a current role.")
    description = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, trim_whitespace=False
    )
    technologies = TechnologiesField(required=False)


class CaseStudyImageSerializer(serializers.ModelSerializer):
    url = serializers.FileField(source="image", read_only=True, help_text="Up to 1600 pixels wide (WebP).")
    thumbnail_url = serializers.FileField(
        source="thumbnail", read_only=True, help_text="Up to 640 pixels (WebP)."
    )

    class Meta:
        model = CaseStudyImage
        fields = ["id", "url", "thumbnail_url", "width", "height", "alt_text", "position", "created_at"]
        read_only_fields = fields


class CaseStudyImageUploadSerializer(serializers.Serializer):
    """multipart/form-data: ``image`` (JPEG, PNG, WebP or GIF) and an optional ``alt_text``."""

    image = serializers.FileField(
        help_text="The picture; checked by its content, re-encoded, metadata removed."
    )
    alt_text = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CaseStudyImageWriteSerializer(serializers.Serializer):
    alt_text = serializers.CharField(max_length=200, required=False, allow_blank=True)
    position = serializers.IntegerField(min_value=0, max_value=100, required=False)


class AvatarUploadSerializer(serializers.Serializer):
    """multipart/form-data: ``image`` (JPEG, PNG, WebP or GIF), cropped to a square."""

    image = serializers.FileField(
        help_text="The picture; checked by its content, re-encoded, metadata removed."
    )


class CaseStudySerializer(serializers.ModelSerializer):
    technologies = TechnologiesField()
    images = CaseStudyImageSerializer(many=True, read_only=True)

    class Meta:
        model = CaseStudy
        fields = [
            "id",
            "title",
            "summary",
            "role",
            "body",
            "body_html",
            "technologies",
            "demo_url",
            "repository_url",
            "images",
            "position",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


WEB_URL = URLValidator(schemes=["http", "https"], message="Enter an http(s) address.")


class CaseStudyWriteSerializer(serializers.Serializer):
    """POST needs a title; PATCH changes what is given. ``position`` reorders (0 = first)."""

    title = serializers.CharField(max_length=120)
    summary = serializers.CharField(max_length=300, required=False, allow_blank=True)
    role = serializers.CharField(max_length=120, required=False, allow_blank=True, help_text="My role.")
    body = serializers.CharField(max_length=20000, required=False, allow_blank=True, trim_whitespace=False)
    technologies = TechnologiesField(required=False)
    demo_url = serializers.URLField(max_length=200, required=False, allow_blank=True, validators=[WEB_URL])
    repository_url = serializers.URLField(
        max_length=200, required=False, allow_blank=True, validators=[WEB_URL]
    )
    position = serializers.IntegerField(min_value=0, max_value=1000, required=False)
