"""The ``offline`` provider: real answers from the platform's own data, without a model.

It is the default when no AI service is configured. Answers are deterministic (the same
question and facts give the same text), streamed a few words at a time at a human pace
(``LLM_OFFLINE_CHUNK_DELAY`` seconds per chunk), and always say honestly that no AI
model wrote them. It never touches the network or the database: everything it knows
comes from the ``Grounding`` the caller passes.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncGenerator, Sequence
from typing import Any

from .base import ChatStream, JsonResult, LLMProvider, Message, OfflineResult, StreamEnd, Usage
from .errors import LLMInvalidOutput
from .facts import Grounding, ProjectDetail, ProjectFact
from .json_output import minimal_instance, parse_json_output, schema_validator
from .tokens import count_message_tokens, count_tokens

OFFLINE_MODEL = "offline"
OFFLINE_NOTE = (
    "_I am DevCrew's offline assistant: no AI model is configured, so this answer is put "
    "together from your DevCrew data._"
)
WORDS_PER_CHUNK = 3
MAX_LISTED = 8

# Checked in order; the first topic whose words appear in the message answers it.
_TOPICS: list[tuple[str, tuple[str, ...]]] = [
    ("invitations", ("invitation", "invite", "invited")),
    ("tasks", ("task", "todo", "to-do", "to do", "assigned", "work on", "next")),
    ("team", ("team", "member", "who", "people", "crew")),
    ("plan", ("plan", "planning", "milestone", "roadmap", "schedule", "deadline")),
    ("skills", ("skill", "match", "matching", "recruit", "join", "stack", "experience")),
    ("projects", ("project", "repo", "working on")),
    ("help", ("help", "what can you", "how do", "how can")),
    ("greeting", ("hello", "hi", "hey", "good morning", "good afternoon", "good evening", "thanks")),
]


class OfflineProvider(LLMProvider):
    name = "offline"

    def __init__(self, *, chunk_delay: float = 0.03):
        self.model = OFFLINE_MODEL
        self.chunk_delay = chunk_delay

    def label(self, *, model: str | None = None) -> str:
        return self.name

    def stream_chat(
        self,
        *,
        messages: Sequence[Message],
        model: str | None = None,
        grounding: Grounding | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
    ) -> ChatStream:
        """See ``LLMProvider.stream_chat``; ``model``, ``temperature`` and ``max_tokens`` are ignored."""
        answer = compose_answer(messages=messages, grounding=grounding or Grounding())
        return ChatStream(self._events(answer, messages), provider=self.name, model=self.model)

    async def _events(
        self, answer: str, messages: Sequence[Message]
    ) -> AsyncGenerator[str | StreamEnd, None]:
        for index, chunk in enumerate(chunk_text(answer)):
            if index and self.chunk_delay > 0:
                await asyncio.sleep(self.chunk_delay)
            yield chunk
        usage = Usage(prompt_tokens=count_message_tokens(messages), completion_tokens=count_tokens(answer))
        yield StreamEnd(finish_reason="stop", usage=usage)

    async def complete_json(
        self,
        *,
        messages: Sequence[Message],
        schema: dict[str, Any],
        schema_name: str = "result",
        model: str | None = None,
        grounding: Grounding | None = None,
        temperature: float | None = None,
        offline_result: OfflineResult | None = None,
    ) -> JsonResult:
        """``offline_result()`` when given, else a minimal instance of ``schema``; validated either way.

        An ``offline_result`` that does not validate is a bug in the caller and raises
        ``LLMInvalidOutput`` with the problems listed.
        """
        import json

        validator = schema_validator(schema)
        value = offline_result() if offline_result is not None else minimal_instance(schema)
        _, problems = parse_json_output(json.dumps(value), validator=validator)
        if problems:
            raise LLMInvalidOutput(
                f"The offline assistant could not build a valid {schema_name} ({problems[0]}).",
                problems=problems,
            )
        usage = Usage(
            prompt_tokens=count_message_tokens(messages), completion_tokens=count_tokens(json.dumps(value))
        )
        return JsonResult(data=value, provider=self.name, model=self.model, usage=usage)


def chunk_text(text: str, *, words: int = WORDS_PER_CHUNK) -> list[str]:
    """``text`` in pieces of a few words; joined they give ``text`` back exactly."""
    pieces = re.findall(r"\s*\S+\s*", text) or ([text] if text else [])
    return ["".join(pieces[i : i + words]) for i in range(0, len(pieces), words)]


def detect_topic(text: str) -> str:
    lowered = f" {text.lower()} "
    for topic, words in _TOPICS:
        for word in words:
            if re.search(rf"(?<![a-z]){re.escape(word)}(?:s|es)?(?![a-z])", lowered):
                return topic
    return "overview"


def compose_answer(*, messages: Sequence[Message], grounding: Grounding) -> str:
    """The offline answer to the last user message, from ``grounding`` only."""
    question = next((m["content"] for m in reversed(messages) if m["role"] == "user"), "")
    topic = detect_topic(question)
    focus = grounding.project
    sections: dict[str, Any] = {
        "greeting": lambda: [*_greeting(grounding), _overview(grounding), _capabilities()],
        "help": lambda: [_capabilities(), _overview(grounding)],
        "projects": lambda: _project_detail(focus) if focus else _projects(grounding),
        "tasks": lambda: _focus_tasks(focus) if focus else _tasks(grounding),
        "team": lambda: _team(focus) if focus else _teams_hint(grounding),
        "plan": lambda: _plan(focus) if focus else _plans_hint(grounding),
        "skills": lambda: _skills(grounding, focus),
        "invitations": lambda: _invitations(grounding),
        "overview": lambda: [_overview(grounding), _capabilities()],
    }
    paragraphs = [p for p in sections[topic]() if p]
    paragraphs.append(OFFLINE_NOTE)
    return "\n\n".join(paragraphs)


def _name(g: Grounding) -> str:
    return g.user_name or "there"


def _greeting(g: Grounding) -> list[str]:
    return [f"Hello {_name(g)}!"]


def _capabilities() -> str:
    return (
        "Ask me about your projects, your open tasks, your team, the project plan, your skills "
        "and matching projects, or your invitations."
    )


def _overview(g: Grounding) -> str:
    if g.project:
        p = g.project
        return (
            f"{p.name} is {p.status} with {len(p.team)} team member(s), {len(p.milestones)} milestone(s) "
            f"and {sum(1 for t in p.tasks if t.status != 'done')} open task(s)."
        )
    parts = [f"You are in {len(g.projects)} project(s)"]
    open_tasks = sum(len(p.open_tasks) for p in g.projects)
    parts.append(f"with {open_tasks} open task(s)")
    text = " ".join(parts) + "."
    if g.projects:
        text += " Your projects: " + ", ".join(p.name for p in g.projects[:MAX_LISTED]) + "."
    if g.invitations:
        text += f" You have {len(g.invitations)} open invitation(s)."
    return text


def _project_line(p: ProjectFact) -> str:
    tasks = f"{len(p.open_tasks)} open task(s)" if p.open_tasks else "no open tasks"
    return f"- **{p.name}** (/projects/{p.slug}/) — {p.status}, you are {p.role}; {tasks}"


def _projects(g: Grounding) -> list[str]:
    if not g.projects:
        text = f"You are not in any project yet, {_name(g)}."
        if g.recruiting:
            text += (
                " These projects are looking for your skills: "
                + ", ".join(r.name for r in g.recruiting)
                + "."
            )
        return [text + " You can also start a project of your own."]
    lines = [f"You are in {len(g.projects)} project(s):"]
    lines += [_project_line(p) for p in g.projects[:MAX_LISTED]]
    if len(g.projects) > MAX_LISTED:
        lines.append(f"- … and {len(g.projects) - MAX_LISTED} more")
    return ["\n".join(lines)]


def _project_detail(p: ProjectDetail) -> list[str]:
    text = f"**{p.name}** is {p.status}."
    if p.description:
        text += f" {p.description}"
    result = [text]
    if p.required_skills:
        result.append("It needs: " + ", ".join(p.required_skills) + ".")
    result += _focus_tasks(p)
    return result


def _tasks(g: Grounding) -> list[str]:
    lines = []
    for p in g.projects:
        for t in p.open_tasks[:MAX_LISTED]:
            due = f", due {t.due}" if t.due else ""
            lines.append(f"- {t.title} ({p.name}, {t.status}{due})")
    if not lines:
        return ["You have no open tasks. " + ("Pick one in your projects' boards." if g.projects else "")]
    return [f"Your open tasks ({len(lines)}):\n" + "\n".join(lines)]


def _focus_tasks(p: ProjectDetail) -> list[str]:
    open_tasks = [t for t in p.tasks if t.status != "done"]
    if not open_tasks:
        return [f"{p.name} has no open tasks."]
    lines = []
    for t in open_tasks[:MAX_LISTED]:
        who = t.assignee or "unassigned"
        due = f", due {t.due}" if t.due else ""
        lines.append(f"- {t.title} ({t.status}, {who}{due})")
    return [f"Open tasks in {p.name}:\n" + "\n".join(lines)]


def _team(p: ProjectDetail) -> list[str]:
    if not p.team:
        return [f"{p.name} has no team members yet."]
    lines = [f"- {m.name} ({m.role})" + (f": {', '.join(m.skills)}" if m.skills else "") for m in p.team]
    result = [f"The {p.name} team:\n" + "\n".join(lines)]
    covered = {s.lower() for m in p.team for s in m.skills}
    missing = [s for s in p.required_skills if s.lower() not in covered]
    if missing:
        result.append("Nobody on the team has yet: " + ", ".join(missing) + ".")
    elif p.required_skills:
        result.append("The team covers every required skill.")
    return result


def _teams_hint(g: Grounding) -> list[str]:
    if not g.projects:
        return _projects(g)
    names = ", ".join(p.name for p in g.projects[:MAX_LISTED])
    return [f"Open a project's assistant to talk about its team. Your projects: {names}."]


def _plan(p: ProjectDetail) -> list[str]:
    if not p.milestones:
        return [f"{p.name} has no milestones yet; the planner agent can draft a plan.", *_focus_tasks(p)]
    lines = []
    for ms in p.milestones:
        due = f", due {ms.due}" if ms.due else ""
        lines.append(f"- {ms.title} ({ms.status}{due})")
    return [f"The plan for {p.name}:\n" + "\n".join(lines), *_focus_tasks(p)]


def _plans_hint(g: Grounding) -> list[str]:
    return [
        "Each project has its own plan; open the project's assistant or run the planner agent on it.",
        *_projects(g),
    ]


def _skills(g: Grounding, focus: ProjectDetail | None) -> list[str]:
    result = []
    if g.skills:
        result.append("Your skills: " + ", ".join(g.skills) + ".")
    else:
        result.append("Your profile lists no skills yet; add them so projects can find you.")
    if focus and focus.required_skills:
        mine = {s.lower() for s in g.skills}
        overlap = [s for s in focus.required_skills if s.lower() in mine]
        if overlap:
            result.append(f"{focus.name} needs these of your skills: " + ", ".join(overlap) + ".")
    if g.recruiting:
        lines = [f"- {r.name}: needs {', '.join(r.matching_skills)}" for r in g.recruiting[:MAX_LISTED]]
        result.append("Projects recruiting people with your skills:\n" + "\n".join(lines))
    elif not focus:
        result.append("No recruiting project matches your skills right now.")
    return result


def _invitations(g: Grounding) -> list[str]:
    if not g.invitations:
        return ["You have no open invitations."]
    lines = []
    for i in g.invitations:
        by = f" from {i.invited_by}" if i.invited_by else ""
        role = f" as {i.role}" if i.role else ""
        lines.append(f"- {i.project_name}{by}{role}")
    return [f"You have {len(g.invitations)} open invitation(s):\n" + "\n".join(lines)]
