"""Uploaded pictures: validated by their content, re-encoded, resized, EXIF removed;
through the API (multipart only on the upload endpoints) and the pages."""

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from profiles import services
from profiles.models import CaseStudyImage
from profiles.services.images import CASE_STUDY_IMAGES_MAX
from profiles.tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def picture(width=800, height=600, fmt="JPEG", exif=None, mode="RGB") -> bytes:
    image = Image.new(mode, (width, height), (200, 40, 40) if mode == "RGB" else (200, 40, 40, 128))
    buffer = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc."  # Make
    exif[0x0131] = "secret-editor 1.0"  # Software
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0)}  # GPSInfo
    return exif.tobytes()


def png_bomb(width=30000, height=30000) -> bytes:
    """A valid PNG header declaring a huge canvas, with a tiny compressed body."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    body = zlib.compress(b"\x00" * 4096, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def upload(content: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def case_study():
    profile = ProfileFactory()
    return services.case_study_create(profile=profile, data={"title": "Shop"})


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def images_url(case_study) -> str:
    return reverse("my-case-study-images", args=[case_study.pk])


def test_upload_is_reencoded_resized_and_exif_stripped(case_study):
    response = api_for(case_study.profile.user).post(
        images_url(case_study),
        {"image": upload(picture(4000, 3000, exif=gps_exif())), "alt_text": "The checkout"},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["width"], body["height"]) == (1600, 1200)
    assert body["alt_text"] == "The checkout"
    row = CaseStudyImage.objects.get()
    with default_storage.open(row.image.name) as stored:
        data = stored.read()
    assert b"SpyCam" not in data and b"secret-editor" not in data
    stored_image = Image.open(io.BytesIO(data))
    assert stored_image.format == "WEBP" and stored_image.size == (1600, 1200)
    assert not stored_image.getexif()
    with default_storage.open(row.thumbnail.name) as stored:
        assert Image.open(stored).size == (640, 480)
    assert body["url"].endswith(".webp") and body["thumbnail_url"].endswith(".webp")


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"hello, I am text\n" * 20, "notes.png", "not a picture"),
        (png_bomb(), "bomb.png", "too many pixels"),
        (picture(10, 10, "PNG"), "tiny.png", "too small"),
        (picture(100, 100, "BMP"), "old.bmp", "not a picture"),
        (picture(100, 100)[:200], "cut.jpg", "not a picture"),
    ],
)
def test_bad_files_are_a_400_naming_the_image_field(case_study, content, name, message):
    response = api_for(case_study.profile.user).post(
        images_url(case_study), {"image": upload(content, name, "image/png")}, format="multipart"
    )
    assert response.status_code == 400
    assert message in response.json()["fields"]["image"][0]
    assert not CaseStudyImage.objects.exists()


def test_oversized_file_is_refused(case_study, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 50_000
    big = picture(1500, 1500, "PNG", mode="RGB")  # ~ noise-free but still > 50 kB? make sure
    big = big + b"\x00" * max(0, 60_000 - len(big))
    response = api_for(case_study.profile.user).post(
        images_url(case_study), {"image": upload(big, "big.png", "image/png")}, format="multipart"
    )
    assert response.status_code == 400
    assert "larger than" in response.json()["fields"]["image"][0]


def test_json_is_still_refused_outside_the_upload_endpoints(case_study):
    client = api_for(case_study.profile.user)
    response = client.post(reverse("my-case-studies"), {"title": "Form post"}, format="multipart")
    assert response.status_code == 415


def test_at_most_six_images_and_strangers_get_404(case_study):
    owner = api_for(case_study.profile.user)
    for _ in range(CASE_STUDY_IMAGES_MAX):
        assert (
            owner.post(
                images_url(case_study), {"image": upload(picture(64, 64))}, format="multipart"
            ).status_code
            == 201
        )
    seventh = owner.post(images_url(case_study), {"image": upload(picture(64, 64))}, format="multipart")
    assert seventh.status_code == 400 and seventh.json()["type"] == "limit_reached"
    stranger = api_for(ProfileFactory().user)
    assert (
        stranger.post(
            images_url(case_study), {"image": upload(picture(64, 64))}, format="multipart"
        ).status_code
        == 404
    )
    image = CaseStudyImage.objects.first()
    assert stranger.delete(reverse("my-case-study-image", args=[case_study.pk, image.pk])).status_code == 404


def test_deleting_an_image_deletes_its_files(case_study, django_capture_on_commit_callbacks):
    owner = api_for(case_study.profile.user)
    owner.post(images_url(case_study), {"image": upload(picture(64, 64))}, format="multipart")
    image = CaseStudyImage.objects.get()
    names = [image.image.name, image.thumbnail.name]
    with django_capture_on_commit_callbacks(execute=True):
        assert owner.delete(reverse("my-case-study-image", args=[case_study.pk, image.pk])).status_code == 204
    assert not any(default_storage.exists(name) for name in names)


def test_avatar_upload_is_a_square_and_shows_on_the_profile(client):
    profile = ProfileFactory()
    api = api_for(profile.user)
    response = api.post(
        reverse("my-avatar"), {"image": upload(picture(900, 500, exif=gps_exif()))}, format="multipart"
    )
    assert response.status_code == 200, response.json()
    profile.refresh_from_db()
    with default_storage.open(profile.avatar.name) as stored:
        data = stored.read()
    assert Image.open(io.BytesIO(data)).size == (256, 256) and b"SpyCam" not in data
    assert response.json()["avatar_url"] == profile.avatar.url
    page = client.get(reverse("profiles:detail", args=[profile.user.username])).content.decode()
    assert profile.avatar.url in page
    assert api.delete(reverse("my-avatar")).status_code == 200
    profile.refresh_from_db()
    assert not profile.avatar


def test_case_study_page_upload_and_public_gallery(client, case_study):
    client.force_login(case_study.profile.user)
    response = client.post(
        reverse("profiles:case-study-image-add", args=[case_study.pk]),
        {"image": upload(picture(300, 200)), "alt_text": "Home screen"},
    )
    assert response.status_code == 302
    refused = client.post(
        reverse("profiles:case-study-image-add", args=[case_study.pk]),
        {"image": upload(b"not an image", "x.png", "image/png")},
        follow=True,
    )
    assert "not a picture" in refused.content.decode()
    client.logout()
    page = client.get(reverse("profiles:case-study", args=[case_study.profile.user.username, case_study.pk]))
    image = CaseStudyImage.objects.get()
    assert image.image.url in page.content.decode() and 'alt="Home screen"' in page.content.decode()
