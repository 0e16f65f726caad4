"""Markdown is rendered once, when its text is written (``profiles.markdown.MarkdownHTMLField``):
reads serve the stored, sanitized HTML; every write path re-renders it; the
``markdown_rerender`` command brings stored HTML up to new sanitizer rules."""

import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from chat import services as chat_services
from chat.models import Message
from chat.tests.factories import ConversationFactory, MessageFactory
from profiles.markdown import markdown_rerender
from profiles.models import Profile
from profiles.services.profiles import profile_update
from profiles.tests.factories import ProfileFactory
from projects.models import Project
from projects.services.projects import project_update
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

HOSTILE = "**bold** <script>alert(1)</script> [x](javascript:alert(2))"


def assert_safe_bold(html: str) -> None:
    assert "<strong>bold</strong>" in html
    assert "<script" not in html and "javascript:" not in html


def test_a_new_project_stores_its_sanitized_description():
    project = ProjectFactory(description=HOSTILE)
    project.refresh_from_db()
    assert_safe_bold(project.description_html)


def test_editing_the_description_renders_it_again_and_other_edits_keep_it():
    project = ProjectFactory(description="first")
    project_update(actor=project.owner, project=project, description="*second*")
    assert Project.objects.get(pk=project.pk).description_html == "<p><em>second</em></p>"
    project_update(actor=project.owner, project=project, summary="New summary")
    assert Project.objects.get(pk=project.pk).description_html == "<p><em>second</em></p>"


def test_reads_serve_the_stored_html_without_rendering():
    """What the API and the page show is the stored HTML (here changed behind the pipeline's
    back), so no request renders Markdown."""
    project = ProjectFactory(slug="stored")
    Project.objects.filter(pk=project.pk).update(description_html="<p>stored at write time</p>")
    api = APIClient()
    api.force_authenticate(project.owner)
    assert api.get("/api/v1/projects/stored/").json()["description_html"] == "<p>stored at write time</p>"
    listed = api.get("/api/v1/projects/").json()["results"]
    assert [row["description_html"] for row in listed] == ["<p>stored at write time</p>"]
    api.force_login(project.owner)
    assert "<p>stored at write time</p>" in api.get("/projects/stored/").content.decode()


def test_a_bio_is_stored_rendered_and_rendered_again_on_change():
    profile = ProfileFactory(bio=HOSTILE)
    assert_safe_bold(Profile.objects.get(pk=profile.pk).bio_html)
    profile_update(profile=profile, data={"bio": "new *bio*"})
    assert Profile.objects.get(pk=profile.pk).bio_html == "<p>new <em>bio</em></p>"
    Profile.objects.filter(pk=profile.pk).update(bio_html="<p>from the row</p>")
    api = APIClient()
    api.force_authenticate(profile.user)
    assert api.get("/api/v1/profiles/me").json()["bio_html"] == "<p>from the row</p>"


def test_chat_messages_store_their_html_while_streaming_and_when_finished():
    conversation = ConversationFactory()
    answer = MessageFactory(conversation=conversation, role="assistant", status="streaming", content="")
    assert chat_services.message_progress_save(message_id=answer.pk, content="partial **answer")
    assert Message.objects.get(pk=answer.pk).content_html == "<p>partial **answer</p>"
    chat_services.message_finish(
        message_id=answer.pk, content=HOSTILE + "\n\n```\ncode\n```", status="complete"
    )
    html = Message.objects.get(pk=answer.pk).content_html
    assert_safe_bold(html)
    assert '<div class="codehilite">' in html


def test_the_command_renders_stale_rows_again_and_leaves_current_ones_alone():
    """After a sanitizer change, ``manage.py markdown_rerender`` rewrites what the old rules
    stored (the data migrations fill existing rows with the same function)."""
    project = ProjectFactory(description="**x**")
    profile = ProfileFactory(bio="*y*")
    message = MessageFactory(content="`z`")
    Project.objects.filter(pk=project.pk).update(description_html="<p>old rules</p>")
    Profile.objects.filter(pk=profile.pk).update(bio_html="")
    out = io.StringIO()
    call_command("markdown_rerender", stdout=out)
    assert "projects.Project: 1 row(s)" in out.getvalue()
    assert "profiles.Profile: 1 row(s)" in out.getvalue()
    assert "chat.Message: 0 row(s)" in out.getvalue()
    assert Project.objects.get(pk=project.pk).description_html == "<p><strong>x</strong></p>"
    assert Profile.objects.get(pk=profile.pk).bio_html == "<p><em>y</em></p>"
    assert Message.objects.get(pk=message.pk).content_html == "<p><code>z</code></p>"
    assert markdown_rerender(Project) == 0


def test_the_command_takes_model_labels():
    project = ProjectFactory(description="**x**")
    Project.objects.filter(pk=project.pk).update(description_html="")
    out = io.StringIO()
    call_command("markdown_rerender", "projects.Project", stdout=out)
    assert out.getvalue().splitlines()[0] == "projects.Project: 1 row(s) rendered again"
    assert Project.objects.get(pk=project.pk).description_html == "<p><strong>x</strong></p>"
