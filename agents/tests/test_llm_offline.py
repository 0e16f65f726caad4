"""The offline assistant: deterministic, chunked, grounded in the platform's data."""

import asyncio

import pytest

from agents.llm import Grounding, LLMInvalidOutput, OfflineProvider, get_provider
from agents.llm.base import Message
from agents.llm.offline import OFFLINE_NOTE, chunk_text
from agents.llm.tokens import count_message_tokens, count_tokens

GROUNDING = Grounding.from_dict(
    {
        "user_name": "Ada Lovelace",
        "skills": ["Python", "Django", "PostgreSQL"],
        "projects": [
            {
                "name": "Analytical Engine",
                "slug": "analytical-engine",
                "status": "active",
                "role": "owner",
                "open_tasks": ["Write the note G", {"title": "Review punch cards", "status": "doing"}],
            },
            {"name": "Difference Engine", "slug": "difference-engine", "status": "paused", "role": "member"},
        ],
        "invitations": [{"project_name": "Loom Control", "invited_by": "jacquard", "role": "member"}],
        "recruiting": [{"name": "Babbage Web", "slug": "babbage-web", "matching_skills": ["Django"]}],
    }
)
PROJECT_GROUNDING = Grounding.from_dict(
    {
        "user_name": "Ada Lovelace",
        "skills": ["Python"],
        "project": {
            "name": "Analytical Engine",
            "slug": "analytical-engine",
            "description": "A general-purpose mechanical computer.",
            "required_skills": ["Python", "Mechanics", "Rust"],
            "team": [
                {"name": "Ada Lovelace", "role": "owner", "skills": ["Python"]},
                {"name": "Charles Babbage", "role": "member", "skills": ["Mechanics"]},
            ],
            "milestones": [{"title": "Mill prototype", "due": "2026-03-01", "status": "open"}],
            "tasks": [
                {"title": "Design the store", "status": "todo", "assignee": "Charles Babbage"},
                {"title": "Old task", "status": "done"},
            ],
        },
    }
)


def ask(question: str) -> list[Message]:
    return [{"role": "system", "content": "You are DevCrew."}, {"role": "user", "content": question}]


async def answer(question: str, grounding: Grounding | None = GROUNDING) -> str:
    return (
        await OfflineProvider(chunk_delay=0)
        .stream_chat(messages=ask(question), grounding=grounding)
        .collect()
    )


def test_offline_is_the_provider_without_configuration(settings):
    settings.LLM_PROVIDER = "offline"
    provider = get_provider()
    assert provider.name == "offline"
    assert provider.label() == "offline"


async def test_answers_are_deterministic_and_streamed_in_small_chunks():
    provider = OfflineProvider(chunk_delay=0)
    first = provider.stream_chat(messages=ask("What are my projects?"), grounding=GROUNDING)
    chunks = [chunk async for chunk in first]
    second = await provider.stream_chat(messages=ask("What are my projects?"), grounding=GROUNDING).collect()

    assert first.text == second
    assert len(chunks) > 5
    assert "".join(chunks) == first.text
    assert all(1 <= len(chunk.split()) <= 3 for chunk in chunks)
    assert first.finish_reason == "stop"
    assert first.usage.completion_tokens == count_tokens(first.text)
    assert first.usage.prompt_tokens == count_message_tokens(ask("What are my projects?"))
    assert (first.provider, first.model) == ("offline", "offline")


async def test_chunks_come_at_the_configured_pace():
    provider = OfflineProvider(chunk_delay=0.02)
    loop = asyncio.get_running_loop()
    started = loop.time()
    stream = provider.stream_chat(messages=ask("hello"), grounding=GROUNDING)
    chunks = [chunk async for chunk in stream]

    assert loop.time() - started >= 0.02 * (len(chunks) - 1)


async def test_get_provider_uses_the_chunk_delay_setting(settings):
    settings.LLM_PROVIDER = "offline"
    settings.LLM_OFFLINE_CHUNK_DELAY = 0.25
    assert get_provider().chunk_delay == 0.25


@pytest.mark.parametrize(
    "question", ["hello", "What are my projects?", "help", "tasks?", "", "Tell me a joke", "my team"]
)
async def test_every_answer_says_it_is_the_offline_assistant(question):
    text = await answer(question)
    assert text.endswith(OFFLINE_NOTE)
    assert "no AI model is configured" in text


async def test_names_the_users_real_projects_when_asked_about_projects():
    text = await answer("Which projects am I in?")
    assert "Analytical Engine" in text
    assert "Difference Engine" in text
    assert "/projects/analytical-engine/" in text
    assert "owner" in text


async def test_greets_the_user_by_name():
    text = await answer("Hi there")
    assert text.startswith("Hello Ada Lovelace!")


async def test_lists_open_tasks_when_asked_what_to_work_on():
    text = await answer("What should I work on next?")
    assert "Write the note G" in text
    assert "Review punch cards" in text


async def test_skills_question_names_recruiting_projects():
    text = await answer("Which projects need my skills?")
    assert "Python, Django, PostgreSQL" in text
    assert "Babbage Web" in text


async def test_lists_open_invitations():
    text = await answer("Do I have any invitations?")
    assert "Loom Control" in text
    assert "jacquard" in text


async def test_without_projects_it_says_so_instead_of_inventing_any():
    text = await answer("What are my projects?", grounding=Grounding(user_name="Newcomer"))
    assert "not in any project yet" in text
    assert "Analytical Engine" not in text


async def test_project_assistant_knows_the_team_and_the_missing_skills():
    text = await answer("Who is on the team?", grounding=PROJECT_GROUNDING)
    assert "Charles Babbage (member)" in text
    assert "Nobody on the team has yet: Rust." in text


async def test_project_assistant_shows_the_plan_and_open_tasks_only():
    text = await answer("What is the plan?", grounding=PROJECT_GROUNDING)
    assert "Mill prototype" in text and "2026-03-01" in text
    assert "Design the store" in text
    assert "Old task" not in text


async def test_stopping_mid_answer_ends_the_stream():
    stream = OfflineProvider(chunk_delay=0).stream_chat(messages=ask("hello"), grounding=GROUNDING)
    first = await stream.__anext__()
    await stream.aclose()

    assert stream.text == first
    assert not stream.done
    assert [chunk async for chunk in stream] == []


def test_chunk_text_keeps_every_character():
    text = "Line one.\n\n- item  two\tthree four five"
    assert "".join(chunk_text(text)) == text
    assert chunk_text("") == []


PLAN_SCHEMA = {
    "type": "object",
    "required": ["summary", "milestones"],
    "properties": {
        "summary": {"type": "string", "minLength": 3},
        "milestones": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/milestone"}},
        "optional": {"type": "string"},
    },
    "$defs": {
        "milestone": {
            "type": "object",
            "required": ["title", "weeks", "priority"],
            "properties": {
                "title": {"type": "string"},
                "weeks": {"type": "integer", "minimum": 1},
                "priority": {"enum": ["high", "low"]},
            },
        }
    },
}


async def test_complete_json_uses_the_callers_offline_result():
    plan = {"summary": "Build the mill", "milestones": [{"title": "Mill", "weeks": 2, "priority": "high"}]}

    result = await OfflineProvider().complete_json(
        messages=ask("Plan it"), schema=PLAN_SCHEMA, offline_result=lambda: plan
    )

    assert result.data == plan
    assert (result.provider, result.attempts) == ("offline", 1)
    assert result.usage.completion_tokens > 0


async def test_complete_json_without_a_builder_returns_a_minimal_valid_instance():
    result = await OfflineProvider().complete_json(messages=ask("Plan it"), schema=PLAN_SCHEMA)

    assert result.data == {"summary": "---", "milestones": [{"title": "", "weeks": 1, "priority": "high"}]}


async def test_complete_json_rejects_an_invalid_offline_result():
    with pytest.raises(LLMInvalidOutput) as caught:
        await OfflineProvider().complete_json(
            messages=ask("Plan it"), schema=PLAN_SCHEMA, offline_result=lambda: {"summary": "x"}
        )
    assert caught.value.problems


def test_grounding_round_trips_through_plain_json():
    assert Grounding.from_dict(GROUNDING.to_dict()) == GROUNDING
    assert Grounding.from_dict(PROJECT_GROUNDING.to_dict()) == PROJECT_GROUNDING
    assert Grounding.from_dict(None).is_empty()
    assert Grounding().as_prompt() == ""
