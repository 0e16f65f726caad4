"""Account flows used by the mobile API (the browser goes through allauth, which applies
the same password validators, lockout and MFA authenticators)."""

import uuid
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.models import update_last_login
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from accounts import lockout, mfa, otp, tokens
from accounts.emails import account_email_send
from accounts.models import OneTimeCode, User
from config.errors import DomainError, Forbidden, InvalidField


class InvalidCredentials(DomainError):
    status_code = 401
    type = "invalid_credentials"
    default_detail = "The login or the password is wrong."


class InvalidCode(DomainError):
    type = "invalid_code"
    default_detail = "The code is wrong, expired or already used. Ask for a new one."


class EmailNotVerified(Forbidden):
    type = "email_not_verified"
    default_detail = "Verify your email address first: enter the code we emailed you."


def _password_errors(password: str, user: User, field: str) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise DomainError(
            "The password does not meet the rules.",
            type="validation_error",
            fields={field: list(exc.messages)},
        ) from exc


def email_is_verified(user: User) -> bool:
    """From allauth's table: what login decides on (``User.email_verified`` is a copy for reads)."""
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def user_flags_refresh(*, user_id: int) -> tuple[bool, bool] | None:
    """Copy "the email is verified" and "TOTP is on" from allauth's tables onto the user row
    (``User.email_verified``, ``User.mfa_enabled``), in one statement that reads the row's
    current email, so it is right whatever changed first. Called by accounts.signals
    whenever an email address, an authenticator or the user's email changes. Returns the
    two flags, or None when the user is gone."""
    from allauth.mfa.models import Authenticator

    email_verified = Exists(
        EmailAddress.objects.filter(user_id=OuterRef("pk"), email__iexact=OuterRef("email"), verified=True)
    )
    mfa_enabled = Exists(Authenticator.objects.filter(user_id=OuterRef("pk"), type=Authenticator.Type.TOTP))
    users = User.objects.filter(pk=user_id)
    users.update(email_verified=email_verified, mfa_enabled=mfa_enabled)
    return users.values_list("email_verified", "mfa_enabled").first()


@dataclass(frozen=True)
class Registration:
    public_id: uuid.UUID
    email: str
    username: str


def user_register(*, email: str, username: str, password: str) -> Registration:
    """Create an unverified account and email it a verification code.

    No enumeration: when the email already has an account, nothing is created, the
    address receives an "you already have an account" email instead of a code, and the
    caller gets the same answer shape with an id that names no account, after the same
    work: the password is hashed and the account's rows are written under a placeholder
    address, then rolled back (accounts/benchmarks/bench_registration.py measures both
    paths). Usernames are public (profile URLs), so a taken username is an ordinary field
    error.
    """
    email = User.objects.normalize_email(email.strip())
    _username_free_check(username)
    candidate = User(username=username, email=email)
    _password_errors(password, candidate, "password")
    candidate.set_password(password)
    if User.objects.filter(email__iexact=email).exists():
        with transaction.atomic():
            candidate.email = f"{uuid.uuid4().hex}@registration.invalid"
            _account_create(candidate)
            transaction.set_rollback(True)
        account_email_send(to=email, template="already_registered", context={})
        return Registration(public_id=uuid.uuid4(), email=email, username=username)
    try:
        with transaction.atomic():
            code = _account_create(candidate)
    except IntegrityError:  # a concurrent signup took the email or username first
        account_email_send(to=email, template="already_registered", context={})
        return Registration(public_id=uuid.uuid4(), email=email, username=username)
    account_email_send(to=email, template="verify_email", context={"code": code, "username": username})
    return Registration(public_id=candidate.public_id, email=email, username=username)


def _username_taken() -> DomainError:
    return InvalidField("username", "This username is taken.", detail="Some fields are invalid.")


def _username_free_check(username: str, *, user: User | None = None) -> None:
    taken = User.objects.filter(username__iexact=username)
    if user is not None:
        taken = taken.exclude(pk=user.pk)
    if taken.exists():
        raise _username_taken()


USER_EDITABLE_FIELDS = ("username", "first_name", "last_name")


def user_update(*, user: User, **changes: str) -> User:
    """Change the user's own names (``USER_EDITABLE_FIELDS``); a taken username is a field
    error, also when a concurrent change took it between the check and the save."""
    unknown = set(changes) - set(USER_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"user_update() got unexpected fields: {', '.join(sorted(unknown))}")
    if "username" in changes:
        _username_free_check(changes["username"], user=user)
    for field, value in changes.items():
        setattr(user, field, value)
    try:
        with transaction.atomic():
            user.save(update_fields=list(changes))
    except IntegrityError as exc:  # the case-insensitive unique constraint on username
        raise _username_taken() from exc
    return user


def _account_create(user: User) -> str:
    """Save a new unverified account; return its email-verification code."""
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    return otp.otp_issue(user=user, purpose=OneTimeCode.Purpose.VERIFY_EMAIL)


def email_verify(*, email: str, code: str) -> User:
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None or not otp.otp_verify(user=user, purpose=OneTimeCode.Purpose.VERIFY_EMAIL, code=code):
        raise InvalidCode()
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
    user_flags_refresh(user_id=user.pk)  # update() sends no post_save
    return user


def verification_resend(*, email: str) -> None:
    user = User.objects.filter(email__iexact=email.strip()).first()
    # One query on either path (no user: user IS NULL), so known and unknown cost alike.
    verified = EmailAddress.objects.filter(user=user, email__iexact=email.strip(), verified=True).exists()
    if user is None or verified:
        otp.otp_issue_rehearse(purpose=OneTimeCode.Purpose.VERIFY_EMAIL)
        account_email_send(to=email.strip(), template="already_verified", context={})
        return
    code = otp.otp_issue(user=user, purpose=OneTimeCode.Purpose.VERIFY_EMAIL)
    account_email_send(
        to=user.email, template="verify_email", context={"code": code, "username": user.username}
    )


def password_forgot(*, email: str) -> None:
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        otp.otp_issue_rehearse(purpose=OneTimeCode.Purpose.PASSWORD_RESET)
        account_email_send(to=email.strip(), template="password_reset_unknown", context={})
        return
    code = otp.otp_issue(user=user, purpose=OneTimeCode.Purpose.PASSWORD_RESET)
    account_email_send(
        to=user.email, template="password_reset", context={"code": code, "username": user.username}
    )


def password_reset(*, email: str, code: str, new_password: str) -> User:
    """Set a new password with an emailed code; every refresh token of the user dies.

    The code is checked before anything else: with a wrong code every request gets the
    same ``invalid_code`` answer after the same work, whatever the email and the new
    password (no account, password-reuse or rules oracle). A wrong code is counted
    durably by ``otp_check``; only a right code lets the password rules speak, and a
    refused new password leaves the code usable.
    """
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    live = otp.otp_check(user=user, purpose=OneTimeCode.Purpose.PASSWORD_RESET, code=code)
    if user is None or live is None:
        raise InvalidCode()
    _password_errors(new_password, user, "new_password")
    with transaction.atomic():
        if not otp.otp_consume(live):
            raise InvalidCode()
        user.set_password(new_password)
        user.save(update_fields=["password"])
        tokens.refresh_tokens_revoke_all(user)
        lockout.lockout_reset(user)  # proving control of the mailbox ends a lockout
    return user


def _current_password_check(*, user: User, password: str, field: str) -> None:
    """A wrong current password is a failed login: it counts toward the lockout (durably,
    before the error is raised), and a locked account is refused whatever the password."""
    lockout.lockout_check(user)
    if not user.check_password(password):
        lockout.lockout_register_failure(user)
        raise DomainError(
            "Some fields are invalid.",
            type="validation_error",
            fields={field: [f"The {field.replace('_', ' ')} is wrong."]},
        )


def password_change(*, user: User, current_password: str, new_password: str) -> dict[str, str]:
    """Change the password; every other refresh token dies, the caller gets a fresh pair."""
    _current_password_check(user=user, password=current_password, field="current_password")
    _password_errors(new_password, user, "new_password")
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        tokens.refresh_tokens_revoke_all(user)
        return tokens.token_pair_for(user)


@dataclass(frozen=True)
class LoginResult:
    tokens: dict[str, str] | None = None
    mfa_token: str | None = None


def login_with_password(*, login: str, password: str) -> LoginResult:
    """Check the password (subject to lockout); answer with tokens or an MFA challenge."""
    user = lockout.user_for_login(login)
    lockout.lockout_check(user)
    if user is None:
        User().set_password(password)  # same hashing work as a real check: no timing oracle
        raise InvalidCredentials()
    if not user.check_password(password) or not user.is_active:
        lockout.lockout_register_failure(user)
        raise InvalidCredentials()
    lockout.lockout_reset(user)
    if not email_is_verified(user):
        raise EmailNotVerified()
    if mfa.totp_enabled(user):
        return LoginResult(mfa_token=tokens.mfa_token_issue(user))
    update_last_login(User, user)
    return LoginResult(tokens=tokens.token_pair_for(user))


def login_with_mfa(*, mfa_token: str, code: str) -> dict[str, str]:
    user = tokens.mfa_token_user(mfa_token)
    if user is None:
        raise InvalidCredentials(
            "The sign-in step expired. Log in with your password again.", type="mfa_token_invalid"
        )
    lockout.lockout_check(user)
    if not mfa.mfa_code_verify(user=user, code=code):
        lockout.lockout_register_failure(user)
        raise mfa.InvalidMfaCode()
    update_last_login(User, user)
    return tokens.token_pair_for(user)


def mfa_disable(*, user: User, password: str) -> None:
    _current_password_check(user=user, password=password, field="password")
    mfa.totp_deactivate(user=user)
