"""What a username may be: ASCII letters, digits, '.', '_' and '-'.

Usernames are public identifiers (profile URLs, @mentions, invitations by name), so
they must not look like someone else's: Unicode would allow ``admin`` spelt with a
Cyrillic ``a`` (U+0430) or in fullwidth letters (U+FF41...) next to the real one.
Display names and first/last names stay free Unicode. One validator serves the model
field (admin, ``users/me``, allauth's signup, which uses the field's validators) and the
API's register serializer.
"""

import re

from django.core.validators import RegexValidator
from django.utils.deconstruct import deconstructible

USERNAME_MIN_LENGTH = 3
USERNAME_MAX_LENGTH = 30
USERNAME_HELP_TEXT = (
    f"{USERNAME_MIN_LENGTH}-{USERNAME_MAX_LENGTH} characters: ASCII letters, digits, '.', '_' and '-' only."
)


@deconstructible
class UsernameValidator(RegexValidator):
    regex = r"\A[A-Za-z0-9._-]+\Z"
    flags = re.ASCII
    message = "Use only ASCII letters, digits, '.', '_' and '-' in a username (no spaces or accents)."
    code = "invalid_username"
