"""User Markdown never makes a reader's browser fetch an image from another site: on the
project page and API, in chat (page and API) and in bios, such images become links."""

import re

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from chat.tests.factories import ConversationFactory, MessageFactory
from profiles.markdown import image_is_local
from profiles.tests.factories import ProfileFactory
from projects.markdown import markdown_render
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

TRACKER = "tracker.example"
# Every way a Markdown author can point an image at another host.
EXTERNAL_IMAGES = "\n\n".join(
    [
        f"![pixel](https://{TRACKER}/p.png)",
        f'![titled](http://{TRACKER}/t.png "Title")',
        f"![upper](HTTPS://{TRACKER.upper()}/u.png)",
        f"[![nested](https://{TRACKER}/n.png)](https://ok.example/)",
        f'<img src="https://{TRACKER}/raw.png" alt="raw html">',
        f'<img src="//{TRACKER}/protocol-relative.png">',
        f'<img src="/\\{TRACKER}/backslash.png">',
        f'<img src="\\\\{TRACKER}/backslashes.png">',
        f'<img src=" https://{TRACKER}/padded.png">',
        f'<p><img src="https://{TRACKER}/in-html-block.png"></p>',
    ]
)
LOCAL_IMAGE = "![diagram](/media/projects/diagram.png)"


def images(html: str) -> list[str]:
    return re.findall(r"<img\b[^>]*>", html)


def assert_no_external_image(html: str) -> None:
    assert all(TRACKER not in tag.lower() for tag in images(html)), images(html)
    links = re.findall(rf'<a href="[^"]*{TRACKER}[^"]*"[^>]*>', html, re.IGNORECASE)
    assert len(links) >= 8 and all("noopener noreferrer nofollow" in link for link in links)


def test_external_images_become_links_with_their_alt_text():
    html = str(markdown_render(EXTERNAL_IMAGES))
    assert_no_external_image(html)
    assert f'<a href="https://{TRACKER}/p.png" class="external-image"' in html
    assert ">pixel</a>" in html and ">raw html</a>" in html
    assert 'title="Title"' in html


def test_images_on_this_site_stay_images(settings):
    settings.SITE_URL = "https://devcrew.test"
    html = str(markdown_render(f"{LOCAL_IMAGE}\n\n![abs](https://devcrew.test/media/a.png)"))
    assert images(html) == [
        '<img alt="diagram" src="/media/projects/diagram.png">',
        '<img alt="abs" src="https://devcrew.test/media/a.png">',
    ]
    # ...but a host that merely starts like ours is another site.
    assert not images(str(markdown_render("![x](https://devcrew.test.tracker.example/a.png)")))


@pytest.mark.parametrize(
    ("src", "local"),
    [
        ("/media/a.png", True),
        ("media/a.png", True),
        ("//tracker.example/a.png", False),
        ("/\\tracker.example/a.png", False),
        ("\\/tracker.example/a.png", False),
        ("/\t/tracker.example/a.png", False),  # browsers drop tabs and newlines in URLs
        ("\x01//tracker.example/a.png", False),
        ("https://tracker.example/a.png", False),
        ("data:image/png;base64,AAAA", False),
    ],
)
def test_image_locality_follows_how_browsers_resolve_urls(src, local):
    assert image_is_local(src) is local


def test_project_page_and_api_show_no_external_image(client):
    owner = UserFactory()
    project = ProjectFactory(owner=owner, description=f"{EXTERNAL_IMAGES}\n\n{LOCAL_IMAGE}")
    page = client.get(project.get_absolute_url()).content.decode()
    assert_no_external_image(page)
    assert '<img alt="diagram" src="/media/projects/diagram.png">' in page

    api = APIClient()
    api.force_authenticate(owner)
    assert_no_external_image(api.get(f"/api/v1/projects/{project.slug}/").json()["description_html"])


def test_chat_page_and_api_show_no_external_image(client):
    conversation = ConversationFactory()
    message = MessageFactory(conversation=conversation, role="assistant", content=EXTERNAL_IMAGES)
    conversation.active_leaf = message
    conversation.save()
    client.force_login(conversation.owner)
    assert_no_external_image(client.get(f"/chat/{conversation.pk}/").content.decode())

    api = APIClient()
    api.force_authenticate(conversation.owner)
    results = api.get(f"/api/v1/conversations/{conversation.pk}/messages/").json()["results"]
    assert_no_external_image(results[0]["content_html"])


def test_a_bio_shows_no_image_at_all(client):
    profile = ProfileFactory(bio=EXTERNAL_IMAGES, visibility="public")
    client.force_login(UserFactory())
    response = client.get(f"/u/{profile.user.username}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="https://ok.example/"' in page  # the bio is there...
    assert TRACKER not in "".join(images(page))  # ...without its images
