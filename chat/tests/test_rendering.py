"""Chat Markdown as models write it (CommonMark habits) renders as lists, headings, tables
and highlighted code, sanitized."""

import pytest
from asgiref.sync import sync_to_async

from chat.rendering import message_html
from chat.tests.factories import ConversationFactory


def test_a_list_right_under_a_line_of_text_is_a_list_not_dashes():
    html = message_html("You are in 2 project(s):\n- **Orbit** (owner)\n- Relay\n  - nested two spaces")
    assert html.startswith("<p>You are in 2 project(s):</p>\n<ul>")
    assert "<li><strong>Orbit</strong> (owner)</li>" in html
    assert "<ul>\n<li>nested two spaces</li>" in html
    assert "- " not in html


def test_headings_tables_and_quotes_right_under_text_render_and_headings_sit_below_the_page_h1():
    html = message_html("Intro\n# Plan\n## Steps\nText\n| Task | Owner |\n|---|---|\n| API | Ada |\n> note")
    assert "<h3>Plan</h3>" in html and "<h4>Steps</h4>" in html
    assert "<h1>" not in html and "##" not in html
    assert "<th>Task</th>" in html and "<td>Ada</td>" in html
    assert "<blockquote>" in html


def test_code_is_highlighted_by_pygments_and_left_alone_inside_fences():
    html = message_html("Try:\n```python\n# a comment, not a heading\ndef f():\n    - x\n```")
    assert '<div class="codehilite"><pre>' in html
    assert '<span class="k">def</span>' in html
    assert '<span class="c1"># a comment, not a heading</span>' in html
    assert "<h3>" not in html and "<li>" not in html


def test_still_sanitized():
    html = message_html(
        'Hi\n- <img src=x onerror="alert(1)">\n- <script>alert(2)</script>[x](javascript:alert(3))'
    )
    assert "onerror" not in html and "<script" not in html and "javascript:" not in html


@pytest.mark.django_db(transaction=True)
async def test_an_openai_answer_with_markdown_renders_the_same(async_client, fake_openai_settings):
    fake_openai_settings.reply(tokens=["Your options:\n", "- one\n", "- two\n", "## Next\n", "Done"])
    conversation = await sync_to_async(ConversationFactory)()
    await async_client.aforce_login(conversation.owner)
    response = await async_client.post(
        f"/api/v1/conversations/{conversation.pk}/messages/",
        {"content": "Options?"},
        content_type="application/json",
    )
    html = response.json()["assistant_message"]["content_html"]
    assert "<li>one</li>" in html and "<h4>Next</h4>" in html
