"""JWTs for mobile clients (simplejwt) and the short-lived MFA challenge token."""

from django.core import signing
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User

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
    user = User.objects.filter(pk=data.get("uid"), is_active=True).first()
    if user is None or user.password[-12:] != data.get("pw"):
        return None
    return user
