"""Bearer-token authentication for the API and WebSockets."""

from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken


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
        user = super().get_user(validated_token)
        if token_predates_password_change(user, validated_token):
            raise InvalidToken("The token was issued before the password changed.")
        return user
