"""Storing uploaded pictures: case-study images and avatars.

The upload is checked and re-encoded by ``profiles.images`` before any row is locked (the
slow part runs outside the transaction); the stored files are only the renditions, on the
``default`` storage (local files under MEDIA_ROOT, or S3 when configured). Files of a
deleted row, or of a replaced avatar, are deleted once the transaction commits.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from config.errors import DomainError
from profiles.images import OUTPUT_EXTENSION, image_open, rendition
from profiles.models import CaseStudy, CaseStudyImage, Profile

CASE_STUDY_IMAGES_MAX = 6
IMAGE_LARGE_SIDE = 1600
IMAGE_THUMBNAIL_SIDE = 640
AVATAR_SIDE = 256


def files_delete_on_commit(*names: str) -> None:
    """Delete stored files once the current transaction commits (at once outside one)."""
    names = tuple(name for name in names if name)

    def delete() -> None:
        for name in names:
            default_storage.delete(name)

    if names:
        transaction.on_commit(delete)


def _file(content: bytes) -> ContentFile:
    return ContentFile(content, name=f"upload.{OUTPUT_EXTENSION}")


def case_study_image_add(*, case_study: CaseStudy, upload, alt_text: str = "") -> CaseStudyImage:
    """Add a picture to ``case_study`` (last); at most ``CASE_STUDY_IMAGES_MAX`` each."""
    if CaseStudyImage.objects.filter(case_study=case_study).count() >= CASE_STUDY_IMAGES_MAX:
        raise _too_many()  # early, before the work of decoding
    image = image_open(upload)
    large = rendition(image, max_side=IMAGE_LARGE_SIDE)
    thumbnail = rendition(image, max_side=IMAGE_THUMBNAIL_SIDE)
    with transaction.atomic():
        CaseStudy.objects.select_for_update().filter(pk=case_study.pk).first()
        count = CaseStudyImage.objects.filter(case_study=case_study).count()
        if count >= CASE_STUDY_IMAGES_MAX:
            raise _too_many()
        row = CaseStudyImage(
            case_study=case_study,
            width=large.width,
            height=large.height,
            thumbnail_width=thumbnail.width,
            thumbnail_height=thumbnail.height,
            alt_text=alt_text.strip()[:200],
            position=count,
        )
        row.image.save(row.image.field.generate_filename(row, "x"), _file(large.content), save=False)
        row.thumbnail.save(
            row.thumbnail.field.generate_filename(row, "x"), _file(thumbnail.content), save=False
        )
        row.save()
    return row


def _too_many() -> DomainError:
    detail = f"A case study has at most {CASE_STUDY_IMAGES_MAX} images; remove one first."
    return DomainError(detail, type="limit_reached", fields={"image": [detail]})


@transaction.atomic
def case_study_image_update(
    *, image: CaseStudyImage, alt_text: str | None = None, position: int | None = None
) -> CaseStudyImage:
    """Change the alt text and/or move the image to ``position`` (0 = first)."""
    if alt_text is not None:
        image.alt_text = alt_text.strip()[:200]
        image.save(update_fields=["alt_text"])
    if position is not None:
        CaseStudy.objects.select_for_update().filter(pk=image.case_study_id).first()
        others = list(CaseStudyImage.objects.filter(case_study_id=image.case_study_id).exclude(pk=image.pk))
        position = max(0, min(position, len(others)))
        ordered = [*others[:position], image, *others[position:]]
        for index, item in enumerate(ordered):
            item.position = index
        CaseStudyImage.objects.bulk_update(ordered, ["position"])
    return image


def case_study_image_delete(*, image: CaseStudyImage) -> None:
    """Delete the row; its files go once the deletion commits (``image_files_cleanup``)."""
    image.delete()


def image_files_cleanup(sender, instance: CaseStudyImage, **kwargs) -> None:
    """``post_delete`` of ``CaseStudyImage``: also when a case study, a profile or a user is
    deleted and the rows go by cascade, which no service sees."""
    files_delete_on_commit(instance.image.name, instance.thumbnail.name)


def avatar_file_cleanup(sender, instance: Profile, **kwargs) -> None:
    """``post_delete`` of ``Profile``: its picture goes with it."""
    files_delete_on_commit(instance.avatar.name)


def profile_avatar_set(*, profile: Profile, upload) -> Profile:
    """Replace the profile's picture with ``upload`` (a centred square)."""
    square = rendition(image_open(upload), max_side=AVATAR_SIDE, square=True)
    with transaction.atomic():
        locked = Profile.objects.select_for_update().get(pk=profile.pk)
        old = locked.avatar.name
        profile.avatar.save(
            profile.avatar.field.generate_filename(profile, "x"), _file(square.content), save=False
        )
        profile.save(update_fields=["avatar", "updated_at"])
        files_delete_on_commit(old)
    return profile


@transaction.atomic
def profile_avatar_remove(*, profile: Profile) -> Profile:
    """Back to the generated initials."""
    if profile.avatar:
        files_delete_on_commit(profile.avatar.name)
        profile.avatar = ""
        profile.save(update_fields=["avatar", "updated_at"])
    return profile
