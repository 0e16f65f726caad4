"""JWTs for mobile clients (simplejwt) and the short-lived MFA challenge token."""

from django.core import signing
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.authentication import token_user_id
from accounts.models import User
from config.api.fields import is_id

MFA_TOKEN_SALT = "accounts.mfa-challenge"  # noqa: S105 - a signing namespace, not a secret
MFA_TOKEN_MAX_AGE = 300  # seconds to type the authenticator code


def token_pair_for(user: User) -> dict[str, str]:
    refresh = RefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def refresh_tokens_revoke_all(user: User) -> int:
    """Blacklist every outstanding refresh token of ``user``; return how many were live."""
    outstanding = OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False)
    tokens = list(outstanding)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in tokens], ignore_conflicts=True
    )
    return len(tokens)


def mfa_token_issue(user: User) -> str:
    """Proof that the password step passed; only good for the MFA step, for 5 minutes.

    Bound to the current password hash, so it dies when the password changes.
    """
    return signing.dumps({"uid": user.pk, "pw": user.password[-12:]}, salt=MFA_TOKEN_SALT)


def mfa_token_user(token: str) -> User | None:
    try:
        data = signing.loads(token, salt=MFA_TOKEN_SALT, max_age=MFA_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not is_id(data.get("uid")):
        return None
    user = User.objects.filter(pk=data["uid"], is_active=True).first()
    if user is None or user.password[-12:] != data.get("pw"):
        return None
    return user


def refresh_token_names_active_user(raw: str) -> bool:
    """False for a refresh token that does not verify, or whose ``user_id`` is not an
    id (a string, a float, beyond 64 bits) or names no active user. simplejwt's refresh
    serializer would hand such a claim to ``objects.get`` (a 500)."""
    try:
        user_id = token_user_id(RefreshToken(raw))  # type: ignore[arg-type]  # accepts the string
    except TokenError:
        return False
    return user_id is not None and User.objects.filter(pk=user_id, is_active=True).exists()
