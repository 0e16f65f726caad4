"""Usernames become ASCII letters, digits, '.', '_' and '-' (accounts.usernames).

Existing usernames outside that set are renamed deterministically: the NFKC-folded name
(fullwidth letters become ASCII) stripped to the allowed characters, then "-<id>" so the
result is unique and cannot pose as the name it imitated (``ａｄｍｉｎ`` becomes
``admin-42``, Cyrillic ``аdmin`` ``dmin-43``; nothing left: ``user-44``). Conforming names
are untouched; running it again changes nothing. Users still sign in with their email.
"""

import re
import unicodedata

from django.db import migrations, models
from django.db.models.functions import Lower

import accounts.usernames

ALLOWED = re.compile(r"\A[A-Za-z0-9._-]+\Z", re.ASCII)
DISALLOWED = re.compile(r"[^A-Za-z0-9._-]+", re.ASCII)
MAX_BASE = 20  # leaves room for "-<id>" within 30 characters


def usernames_to_ascii(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    taken = {name.lower() for name in User.objects.annotate(n=Lower("username")).values_list("n", flat=True)}
    for user in User.objects.order_by("pk").only("pk", "username"):
        if ALLOWED.match(user.username):
            continue
        folded = unicodedata.normalize("NFKC", user.username)
        base = DISALLOWED.sub("", folded).strip("._-")[:MAX_BASE] or "user"
        candidate, n = f"{base}-{user.pk}", 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{base}-{user.pk}-{n}"
        taken.add(candidate.lower())
        User.objects.filter(pk=user.pk).update(username=candidate)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_tokens_valid_after"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="username",
            field=models.CharField(
                error_messages={"unique": "A user with that username already exists."},
                help_text="3-30 characters: ASCII letters, digits, '.', '_' and '-' only.",
                max_length=150,
                unique=True,
                validators=[accounts.usernames.UsernameValidator()],
                verbose_name="username",
            ),
        ),
        migrations.RunPython(usernames_to_ascii, migrations.RunPython.noop, elidable=True),
    ]
