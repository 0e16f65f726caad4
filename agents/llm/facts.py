"""The facts an answer may rely on (``Grounding`` and its parts), passed in by the caller.

The LLM layer never queries the database. Chat and agents gather these facts (with
``agents.fact_selectors``, outside async code or through ``database_sync_to_async``) and pass
a ``Grounding``: the offline provider composes its answers from it, and the openai
provider hands it to the model as a system message (``Grounding.as_prompt()``).

Every field is optional; an empty ``Grounding()`` is valid. ``Grounding.from_dict`` reads
the same structure from plain JSON (for example a Celery task payload).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass
class TaskFact:
    title: str
    status: str = "todo"
    assignee: str | None = None
    due: str | None = None  # ISO date, as the user should read it
    milestone: str | None = None


@dataclass
class ProjectFact:
    """One of the user's projects, as listed on their dashboard."""

    name: str
    slug: str = ""
    status: str = "active"
    role: str = "member"  # the user's role in it: owner, member, ...
    open_tasks: list[TaskFact] = field(default_factory=list)


@dataclass
class InvitationFact:
    project_name: str
    project_slug: str = ""
    invited_by: str | None = None
    role: str | None = None


@dataclass
class RecruitingFact:
    """A project looking for people, with the skills of the user it needs."""

    name: str
    slug: str = ""
    matching_skills: list[str] = field(default_factory=list)


@dataclass
class MemberFact:
    name: str
    role: str = "member"
    skills: list[str] = field(default_factory=list)


@dataclass
class MilestoneFact:
    title: str
    due: str | None = None
    status: str = "open"


@dataclass
class ProjectDetail:
    """The one project a project assistant talks about."""

    name: str
    slug: str = ""
    description: str = ""
    status: str = "active"
    required_skills: list[str] = field(default_factory=list)
    team: list[MemberFact] = field(default_factory=list)
    milestones: list[MilestoneFact] = field(default_factory=list)
    tasks: list[TaskFact] = field(default_factory=list)


@dataclass
class Grounding:
    user_name: str = ""
    skills: list[str] = field(default_factory=list)
    projects: list[ProjectFact] = field(default_factory=list)
    invitations: list[InvitationFact] = field(default_factory=list)
    recruiting: list[RecruitingFact] = field(default_factory=list)
    project: ProjectDetail | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Grounding:
        """Build from plain JSON; unknown keys are ignored, missing ones take defaults.

        Open tasks may be given as plain titles (``["Write docs"]``) or as task dicts.
        """
        data = data or {}
        project = data.get("project")
        return cls(
            user_name=str(data.get("user_name") or ""),
            skills=[str(s) for s in data.get("skills") or []],
            projects=[
                _build(ProjectFact, p, open_tasks=[_task(t) for t in p.get("open_tasks") or []])
                for p in data.get("projects") or []
            ],
            invitations=[_build(InvitationFact, i) for i in data.get("invitations") or []],
            recruiting=[_build(RecruitingFact, r) for r in data.get("recruiting") or []],
            project=_build(
                ProjectDetail,
                project,
                team=[_build(MemberFact, m) for m in project.get("team") or []],
                milestones=[_build(MilestoneFact, m) for m in project.get("milestones") or []],
                tasks=[_task(t) for t in project.get("tasks") or []],
            )
            if project
            else None,
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def is_empty(self) -> bool:
        return self == Grounding()

    def as_prompt(self) -> str:
        """The facts as compact text for a model's system message ("" when there are none)."""
        lines: list[str] = []
        if self.user_name:
            lines.append(f"User: {self.user_name}")
        if self.skills:
            lines.append(f"User's skills: {', '.join(self.skills)}")
        if self.projects:
            lines.append("User's projects:")
            for p in self.projects:
                lines.append(f"- {p.name} (/{p.slug}) — status {p.status}, role {p.role}")
                lines.extend(f"  - open task: {_task_line(t)}" for t in p.open_tasks)
        if self.invitations:
            lines.append("Open invitations:")
            for i in self.invitations:
                by = f" from {i.invited_by}" if i.invited_by else ""
                role = f" as {i.role}" if i.role else ""
                lines.append(f"- {i.project_name}{by}{role}")
        if self.recruiting:
            lines.append("Projects recruiting people with the user's skills:")
            for r in self.recruiting:
                lines.append(f"- {r.name} (/{r.slug}) needs {', '.join(r.matching_skills) or 'help'}")
        if self.project:
            focus = self.project
            lines.append(f"Project in focus: {focus.name} (/{focus.slug}), status {focus.status}")
            if focus.description:
                lines.append(f"Description: {focus.description}")
            if focus.required_skills:
                lines.append(f"Required skills: {', '.join(focus.required_skills)}")
            for m in focus.team:
                skills = f" ({', '.join(m.skills)})" if m.skills else ""
                lines.append(f"- team member: {m.name}, {m.role}{skills}")
            for ms in focus.milestones:
                due = f", due {ms.due}" if ms.due else ""
                lines.append(f"- milestone: {ms.title} [{ms.status}{due}]")
            lines.extend(f"- task: {_task_line(t)}" for t in focus.tasks)
        if not lines:
            return ""
        return "Facts from DevCrew (trust these over assumptions):\n" + "\n".join(lines)


def _task(value: str | dict[str, Any]) -> TaskFact:
    return TaskFact(title=value) if isinstance(value, str) else _build(TaskFact, value)


def _build(cls: type, data: dict[str, Any], **nested: Any) -> Any:
    names = {f.name for f in fields(cls)}
    values = {k: v for k, v in data.items() if k in names and k not in nested}
    return cls(**values, **nested)


def _task_line(task: TaskFact) -> str:
    extras = [task.status]
    if task.assignee:
        extras.append(f"assigned to {task.assignee}")
    if task.due:
        extras.append(f"due {task.due}")
    if task.milestone:
        extras.append(f"milestone {task.milestone}")
    return f"{task.title} [{', '.join(extras)}]"
