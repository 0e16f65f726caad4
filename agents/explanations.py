"""Why a candidate or a team was proposed, in a sentence or two a maintainer can read.

``candidate_why`` and ``team_why`` write the text from the score components alone
(deterministic, no model). ``explain_candidate`` and ``explain_team`` ask the configured
AI model to phrase the same facts when a model-backed provider is configured, and fall
back to the component text when it is offline or fails: an explanation is never worth
failing a run over. The model only words the explanation; scores never come from it.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from asgiref.sync import async_to_sync

from agents.llm import LLMError, Message, get_provider

logger = logging.getLogger(__name__)

MAX_EXPLANATION_CHARS = 600
_SYSTEM = (
    "You explain DevCrew's matching results to a project maintainer in at most two short "
    "sentences. Use only the facts given; do not invent skills, numbers or opinions, and do "
    "not mention scores' internals beyond the facts."
)


def _listing(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _hours(value: float | None) -> str:
    return f"{value:g} h" if value is not None else "unknown"


def candidate_why(candidate: dict[str, Any]) -> str:
    """The offline explanation of one matcher candidate."""
    parts = []
    if candidate.get("matched"):
        parts.append(f"Knows {_listing(candidate['matched'])}")
    partial = [f"{p['skill']} (through {p['via']})" for p in candidate.get("partial") or []]
    if partial:
        parts.append(f"partly covers {_listing(partial)}")
    components = candidate.get("components") or {}
    if components.get("experience") is not None and components.get("skills"):
        if components["experience"] >= components["skills"] - 1e-9:
            parts.append("meets every minimum level")
        else:
            parts.append("below some minimum levels")
    if candidate.get("level"):
        parts.append(f"{candidate['level']} level")
    if candidate.get("overlap_hours") is not None:
        parts.append(f"{_hours(candidate['overlap_hours'])}/day overlap with the project's working hours")
    if candidate.get("availability_hours") is not None:
        parts.append(f"available {candidate['availability_hours']} h/week")
    if candidate.get("looking_for_team"):
        parts.append("looking for a team")
    text = "; ".join(parts) or "Holds none of the required skills"
    text = text[0].upper() + text[1:] + "."
    if candidate.get("missing"):
        text += f" Missing: {_listing(candidate['missing'])}."
    return text


def team_why(team: dict[str, Any]) -> str:
    """The offline explanation of one proposed team."""
    members = team.get("members") or []
    covered = [skill for skill, holders in (team.get("coverage") or {}).items() if holders]
    sentences = []
    if members:
        sentences.append(f"{_listing(members)} join{'s' if len(members) == 1 else ''} the team.")
    if covered:
        sentences.append(f"Together the team covers {_listing(covered)}.")
    if team.get("uncovered"):
        sentences.append(f"Nobody in the pool covers {_listing(team['uncovered'])}.")
    if team.get("overlap_hours_min") is not None:
        sentences.append(
            f"Everyone shares at least {_hours(team['overlap_hours_min'])} of working time a day."
        )
    levels = sorted({level for level in (team.get("levels") or {}).values() if level})
    if levels:
        sentences.append(f"Levels: {', '.join(levels)}.")
    return " ".join(sentences)


def _worded(facts: dict[str, Any], fallback: str) -> str:
    provider = get_provider()
    if provider.name == "offline":
        return fallback
    messages: list[Message] = [
        {"role": "system", "content": _SYSTEM},
        {"role": "user", "content": json.dumps(facts, ensure_ascii=False, default=str)},
    ]

    async def ask() -> str:
        async with provider.stream_chat(messages=messages, temperature=0.3, max_tokens=160) as stream:
            return await stream.collect()

    try:
        text = " ".join(async_to_sync(ask)().split())
    except LLMError as exc:
        logger.warning("Explanation falls back to the offline text: %s", exc.detail)
        return fallback
    return text[:MAX_EXPLANATION_CHARS] or fallback


def explain_candidate(candidate: dict[str, Any], project) -> str:
    """Why ``candidate`` (a ``match_candidates`` item) fits ``project``."""
    fallback = candidate_why(candidate)
    facts = {"project": project.name, "candidate": candidate, "summary": fallback}
    return _worded(facts, fallback)


def explain_team(team: dict[str, Any], project) -> str:
    """Why ``team`` (a ``form_team`` item) was proposed for ``project``."""
    fallback = team_why(team)
    facts = {
        "project": project.name,
        "team": {key: value for key, value in team.items() if key != "why"},
        "summary": fallback,
    }
    return _worded(facts, fallback)
