"""The input of each kind of run, validated once for API, pages and admin alike.

``params_validate(kind, data)`` returns the normalized parameters (defaults filled in)
or raises a ``DomainError`` of type ``validation_error`` whose ``fields`` name
``params.<field>``. Unknown parameters are refused rather than silently ignored.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from agents.models import AgentRun
from config.errors import DomainError, InvalidField

MAX_USERNAMES = 50


class SkillMatchParams(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=50, default=20)


class TeamFormationParams(serializers.Serializer):
    pool = serializers.ChoiceField(choices=["matches", "join_requests", "usernames"], default="matches")
    usernames = serializers.ListField(
        child=serializers.CharField(max_length=150), max_length=MAX_USERNAMES, required=False, default=list
    )
    size = serializers.IntegerField(
        min_value=1,
        max_value=20,
        required=False,
        allow_null=True,
        default=None,
        help_text="Target team size, members included; the project's team size when empty.",
    )
    pool_size = serializers.IntegerField(min_value=2, max_value=100, default=30)

    def validate(self, attrs: dict) -> dict:
        attrs["usernames"] = sorted({name.strip().lstrip("@") for name in attrs["usernames"] if name.strip()})
        if attrs["pool"] == "usernames" and not attrs["usernames"]:
            raise serializers.ValidationError({"usernames": ["Name the people to choose from."]})
        if attrs["pool"] != "usernames" and attrs["usernames"]:
            raise serializers.ValidationError(
                {"usernames": ["Usernames are only used with pool “usernames”."]}
            )
        return attrs


class ProjectPlanParams(serializers.Serializer):
    horizon_weeks = serializers.IntegerField(min_value=1, max_value=52, default=8)


class AssembleParams(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=50, default=20)
    size = serializers.IntegerField(min_value=1, max_value=20, required=False, allow_null=True, default=None)
    horizon_weeks = serializers.IntegerField(min_value=1, max_value=52, default=8)


PARAMS: dict[str, type[serializers.Serializer]] = {
    AgentRun.Kind.SKILL_MATCH: SkillMatchParams,
    AgentRun.Kind.TEAM_FORMATION: TeamFormationParams,
    AgentRun.Kind.PROJECT_PLAN: ProjectPlanParams,
    AgentRun.Kind.ASSEMBLE: AssembleParams,
}


def _flatten(errors: Any) -> list[str]:
    if isinstance(errors, dict):
        return [message for value in errors.values() for message in _flatten(value)]
    if isinstance(errors, list):
        return [message for value in errors for message in _flatten(value)]
    return [str(errors)]


def params_validate(kind: str, data: Any) -> dict[str, Any]:
    if kind not in PARAMS:
        choices = ", ".join(AgentRun.Kind.values)
        raise InvalidField("kind", f"Choose one of {choices}.", detail=f"Choose a kind: {choices}.")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidField("params", "Must be an object.", detail="params must be an object.")
    serializer = PARAMS[kind](data=data)
    unknown = sorted(set(data) - set(serializer.fields))
    if unknown:
        message = f"Unknown parameters for {kind}: {', '.join(unknown)}."
        raise InvalidField("params", message)
    if not serializer.is_valid():
        fields = {f"params.{name}": _flatten(errors) for name, errors in serializer.errors.items()}
        raise DomainError("Some parameters are invalid.", type="validation_error", fields=fields)
    return dict(serializer.validated_data)
