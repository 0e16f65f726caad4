"""Query-string filters (django-filter) that refuse what the schema does not promise.

django-filter's ``BooleanFilter`` reads anything it does not understand (``null``,
``maybe``) as "no filter" and answers 200: the client never learns its filter was
ignored, and the document (``type: boolean``) says something else. Here a boolean filter
takes ``true``/``false`` (or ``1``/``0``) and anything else is a 400 naming the parameter.
``FilterBackend`` makes the strict filter the default for model ``BooleanField``s, so
``filterset_fields = [..., "is_builtin"]`` gets it too.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db import models
from django_filters.rest_framework import DjangoFilterBackend

TRUE_VALUES = {"true", "1"}
FALSE_VALUES = {"false", "0"}


class StrictBooleanField(forms.Field):
    widget = forms.TextInput
    default_error_messages = {"invalid": "Enter true or false."}

    def to_python(self, value):
        if value in (None, ""):
            return None
        lowered = str(value).strip().lower()
        if lowered in TRUE_VALUES:
            return True
        if lowered in FALSE_VALUES:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class FilterSet(django_filters.FilterSet):
    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": StrictBooleanFilter},
    }


class FilterBackend(DjangoFilterBackend):
    filterset_base = FilterSet
