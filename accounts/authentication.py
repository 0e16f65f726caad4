"""Bearer-token authentication for the API and WebSockets."""

from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from config.api.fields import is_id


def token_user_id(token) -> int | None:
    """The user id a (signature-checked) token names, or None when its claim is not an
    id at all: a word, a float, a bool, a list, a number beyond 64 bits. Such a token can only
    come from someone holding the signing key or from a bug; it is refused like any
    other invalid token (401 / close 4401), never handed to the database."""
    value = token.get(jwt_settings.USER_ID_CLAIM)
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)  # simplejwt writes the id as a string
    return value if is_id(value) else None


def token_predates_password_change(user, validated_token) -> bool:
    """True for an access token issued before the user's last password change.

    ``iat`` has whole seconds, so the comparison is in whole seconds too: the fresh pair
    handed out by the password change itself stays valid.
    """
    if user.tokens_valid_after is None:
        return False
    return int(validated_token.get("iat", 0)) < int(user.tokens_valid_after.timestamp())


class DevCrewJWTAuthentication(JWTAuthentication):
    """simplejwt's authentication (signature, expiry, audience, issuer, type, algorithm),
    plus: access tokens die with a password change or reset, not 15 minutes later."""

    def get_user(self, validated_token):
        if token_user_id(validated_token) is None:
            raise InvalidToken("The token names no user.")
        user = super().get_user(validated_token)
        if token_predates_password_change(user, validated_token):
            raise InvalidToken("The token was issued before the password changed.")
        return user
