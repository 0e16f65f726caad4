"""Why a candidate or team was proposed: from the score components offline, worded by the model online."""

import pytest

from agents.explanations import candidate_why, explain_candidate, explain_team, team_why
from projects.tests.factories import ProjectFactory

CANDIDATE = {
    "username": "ada",
    "score": 81.5,
    "matched": ["Python", "React"],
    "partial": [{"skill": "JavaScript", "via": "TypeScript"}],
    "missing": ["Kubernetes"],
    "overlap_hours": 6.0,
    "components": {
        "skills": 0.8,
        "experience": 0.8,
        "overlap": 1.0,
        "availability": 1.0,
        "looking_for_team": 1.0,
    },
    "level": "senior",
    "availability_hours": 25,
    "looking_for_team": True,
}
TEAM = {
    "members": ["ada", "grace"],
    "current_members": ["owner"],
    "coverage": {"Python": ["ada"], "React": ["grace", "ada"], "Kubernetes": []},
    "uncovered": ["Kubernetes"],
    "overlap_hours_min": 3.5,
    "levels": {"ada": "senior", "grace": "mid", "owner": ""},
}


def test_candidate_text_comes_from_the_components():
    assert candidate_why(CANDIDATE) == (
        "Knows Python and React; partly covers JavaScript (through TypeScript); meets every minimum level; "
        "senior level; 6 h/day overlap with the project's working hours; available 25 h/week; "
        "looking for a team. Missing: Kubernetes."
    )


def test_team_text_comes_from_the_components():
    assert team_why(TEAM) == (
        "ada and grace join the team. Together the team covers Python and React. "
        "Nobody in the pool covers Kubernetes. Everyone shares at least 3.5 h of working time a day. "
        "Levels: mid, senior."
    )


@pytest.mark.django_db
def test_offline_explanations_need_no_model():
    project = ProjectFactory()
    assert explain_candidate(CANDIDATE, project) == candidate_why(CANDIDATE)
    assert explain_team(TEAM, project) == team_why(TEAM)


@pytest.mark.django_db
def test_a_configured_model_words_the_same_facts(fake_openai_settings):
    project = ProjectFactory(name="Repair Café")
    fake_openai_settings.reply("Ada knows  Python and React\nand shares six hours with you.")

    text = explain_candidate(CANDIDATE, project)

    assert text == "Ada knows Python and React and shares six hours with you."
    (request,) = fake_openai_settings.chat_requests
    facts = request.messages[-1]["content"]
    assert "Repair Café" in facts and '"missing": ["Kubernetes"]' in facts


@pytest.mark.django_db
def test_a_failing_model_falls_back_to_the_component_text(fake_openai_settings):
    fake_openai_settings.unauthorized()

    assert explain_team(TEAM, ProjectFactory()) == team_why(TEAM)
