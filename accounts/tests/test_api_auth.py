"""The mobile auth API, row by row, reading the real codes from the outbox."""

import pyotp
import pytest
from allauth.account.models import EmailAddress

from accounts.models import OneTimeCode, User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-42"


def register(api, email="ada@example.com", username="ada", password="lovelace-engine-1843", **extra):
    return api.post(
        "/api/v1/auth/register/", {"email": email, "username": username, "password": password, **extra}
    )


def token(api, login, password=DEFAULT_PASSWORD, field="email"):
    return api.post("/api/v1/auth/token/", {field: login, "password": password})


def test_register_verify_login_refresh_logout(api, mailoutbox, read_code):
    response = register(api)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "email", "username", "email_verified"}
    assert body["email_verified"] is False and body["username"] == "ada"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["ada@example.com"]

    # Not verified yet: no tokens.
    refused = token(api, "ada@example.com", "lovelace-engine-1843")
    assert refused.status_code == 403 and refused.json()["type"] == "email_not_verified"

    verified = api.post(
        "/api/v1/auth/verify-email/", {"email": "ada@example.com", "code": read_code(mailoutbox[0])}
    )
    assert verified.status_code == 200
    assert EmailAddress.objects.get(email="ada@example.com").verified

    pair = token(api, "ADA", "lovelace-engine-1843", field="username").json()
    assert set(pair) == {"access", "refresh"}
    me = api.get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    assert me.status_code == 200 and me.json()["email_verified"] is True

    rotated = api.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]})
    assert rotated.status_code == 200 and set(rotated.json()) == {"access", "refresh"}
    # Rotation blacklisted the old refresh token.
    reused = api.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]})
    assert reused.status_code == 401 and reused.json()["type"] == "token_not_valid"

    new_refresh = rotated.json()["refresh"]
    assert api.post("/api/v1/auth/logout/", {"refresh": new_refresh}).status_code == 204
    assert api.post("/api/v1/auth/token/refresh/", {"refresh": new_refresh}).status_code == 401


def test_access_token_is_refused_at_refresh_and_refresh_token_as_bearer(api):
    user = UserFactory()
    pair = token(api, user.email).json()
    assert api.post("/api/v1/auth/token/refresh/", {"refresh": pair["access"]}).status_code == 401
    assert api.get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Bearer {pair['refresh']}").status_code == 401


def test_wrong_code_and_unknown_email_fail_alike(api, mailoutbox, read_code):
    register(api)
    wrong = api.post("/api/v1/auth/verify-email/", {"email": "ada@example.com", "code": "000000"})
    unknown = api.post("/api/v1/auth/verify-email/", {"email": "nobody@example.com", "code": "123456"})
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json()


def test_code_dies_after_five_wrong_tries(api, mailoutbox, read_code):
    register(api)
    code = read_code(mailoutbox[0])
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        api.post("/api/v1/auth/verify-email/", {"email": "ada@example.com", "code": wrong})
    late = api.post("/api/v1/auth/verify-email/", {"email": "ada@example.com", "code": code})
    assert late.status_code == 400


def test_newer_code_replaces_older_and_codes_are_single_use(api, mailoutbox, read_code):
    register(api)
    first = read_code(mailoutbox[0])
    assert api.post("/api/v1/auth/verify-email/resend/", {"email": "ada@example.com"}).status_code == 202
    second = read_code(mailoutbox[1])
    if first != second:
        assert (
            api.post("/api/v1/auth/verify-email/", {"email": "ada@example.com", "code": first}).status_code
            == 400
        )
    assert (
        api.post("/api/v1/auth/verify-email/", {"email": "ada@example.com", "code": second}).status_code
        == 200
    )
    assert (
        api.post("/api/v1/auth/verify-email/", {"email": "ada@example.com", "code": second}).status_code
        == 400
    )


def test_codes_are_stored_hashed(api, mailoutbox, read_code):
    register(api)
    code = read_code(mailoutbox[0])
    stored = OneTimeCode.objects.get()
    assert code not in stored.code_hash and len(stored.code_hash) == 64


def test_resend_and_forgot_answer_the_same_for_known_and_unknown(api, mailoutbox):
    UserFactory(email="known@example.com", verified=False)
    for path in ("/api/v1/auth/verify-email/resend/", "/api/v1/auth/password/forgot/"):
        known = api.post(path, {"email": "known@example.com"})
        unknown = api.post(path, {"email": "unknown@example.com"})
        assert known.status_code == unknown.status_code == 202
        assert known.json() == unknown.json()
    # Each request sent exactly one mail, so timing and side effects match too.
    assert len(mailoutbox) == 4


def test_register_with_a_taken_email_reveals_nothing(api, mailoutbox):
    UserFactory(email="taken@example.com")
    fresh = register(api, email="fresh@example.com", username="fresh")
    taken = register(api, email="TAKEN@example.com", username="other")
    assert fresh.status_code == taken.status_code == 201
    assert set(fresh.json()) == set(taken.json())
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
    assert not User.objects.filter(username="other").exists()
    assert "already" in mailoutbox[-1].body and not any(ch.isdigit() for ch in mailoutbox[-1].subject)


def test_register_ignores_privilege_fields(api, mailoutbox):
    response = register(api, is_staff=True, is_superuser=True, role="admin", email_verified=True)
    assert response.status_code == 201
    user = User.objects.get(username="ada")
    assert not user.is_staff and not user.is_superuser
    assert not EmailAddress.objects.get(user=user).verified


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short-1", "too short"),
        ("password1234", "common"),
        ("846203917465", "numeric"),
        ("ada-example-com", "similar"),
    ],
)
def test_register_rejects_weak_passwords_as_field_errors(api, password, reason):
    response = register(api, password=password)
    assert response.status_code == 400, reason
    assert "password" in response.json()["fields"]


def test_password_reset_by_code_revokes_refresh_tokens(api, mailoutbox, read_code):
    user = UserFactory()
    pair = token(api, user.email).json()
    assert api.post("/api/v1/auth/password/forgot/", {"email": user.email}).status_code == 202
    code = read_code(mailoutbox[-1])
    reset = api.post(
        "/api/v1/auth/password/reset/", {"email": user.email, "code": code, "new_password": NEW_PASSWORD}
    )
    assert reset.status_code == 200
    assert api.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}).status_code == 401
    assert token(api, user.email).status_code == 401
    assert token(api, user.email, NEW_PASSWORD).status_code == 200


def test_a_users_code_never_resets_another_user(api, mailoutbox, read_code):
    alice, bob = UserFactory(), UserFactory()
    api.post("/api/v1/auth/password/forgot/", {"email": alice.email})
    alices_code = read_code(mailoutbox[-1])
    response = api.post(
        "/api/v1/auth/password/reset/",
        {"email": bob.email, "code": alices_code, "new_password": NEW_PASSWORD},
    )
    assert response.status_code == 400
    bob.refresh_from_db()
    assert bob.check_password(DEFAULT_PASSWORD)


def test_reset_with_a_weak_password_keeps_the_code_usable(api, mailoutbox, read_code):
    user = UserFactory()
    api.post("/api/v1/auth/password/forgot/", {"email": user.email})
    code = read_code(mailoutbox[-1])
    weak = api.post(
        "/api/v1/auth/password/reset/", {"email": user.email, "code": code, "new_password": "123"}
    )
    assert weak.status_code == 400 and "new_password" in weak.json()["fields"]
    ok = api.post(
        "/api/v1/auth/password/reset/", {"email": user.email, "code": code, "new_password": NEW_PASSWORD}
    )
    assert ok.status_code == 200


def test_verification_code_cannot_reset_a_password(api, mailoutbox, read_code):
    register(api)
    verify_code = read_code(mailoutbox[0])
    response = api.post(
        "/api/v1/auth/password/reset/",
        {"email": "ada@example.com", "code": verify_code, "new_password": NEW_PASSWORD},
    )
    assert response.status_code == 400


def test_password_change_revokes_other_sessions_and_refuses_reuse(api):
    user = UserFactory()
    phone = token(api, user.email).json()
    laptop = token(api, user.email).json()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {laptop['access']}"}

    wrong = api.post(
        "/api/v1/auth/password/change/", {"current_password": "nope", "new_password": NEW_PASSWORD}, **auth
    )
    assert wrong.status_code == 400 and "current_password" in wrong.json()["fields"]

    changed = api.post(
        "/api/v1/auth/password/change/",
        {"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
        **auth,
    )
    assert changed.status_code == 200
    assert api.post("/api/v1/auth/token/refresh/", {"refresh": phone["refresh"]}).status_code == 401
    assert api.post("/api/v1/auth/token/refresh/", {"refresh": changed.json()["refresh"]}).status_code == 200

    # The previous password is in the history: it cannot come back.
    auth = {"HTTP_AUTHORIZATION": f"Bearer {changed.json()['access']}"}
    back = api.post(
        "/api/v1/auth/password/change/",
        {"current_password": NEW_PASSWORD, "new_password": DEFAULT_PASSWORD},
        **auth,
    )
    assert back.status_code == 400 and "new_password" in back.json()["fields"]


def test_users_me_patch_changes_names_only(api):
    user = UserFactory(username="grace")
    api.force_authenticate(user)
    response = api.patch(
        "/api/v1/users/me/",
        {
            "first_name": "Grace",
            "username": "hopper",
            "email": "evil@example.com",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.first_name, user.username) == ("Grace", "hopper")
    assert user.email != "evil@example.com" and not user.is_staff and not user.is_superuser


def test_users_me_refuses_a_taken_username(api):
    UserFactory(username="taken")
    api.force_authenticate(UserFactory())
    response = api.patch("/api/v1/users/me/", {"username": "TAKEN"})
    assert response.status_code == 400 and "username" in response.json()["fields"]


def test_totp_setup_login_and_recovery_code(api):
    user = UserFactory()
    api.force_authenticate(user)
    first = api.get("/api/v1/auth/mfa/totp/").json()
    second = api.get("/api/v1/auth/mfa/totp/").json()
    assert first["secret"] != second["secret"]  # a new secret each call until activated
    assert second["otpauth_url"].startswith("otpauth://totp/")
    bad = api.post(
        "/api/v1/auth/mfa/totp/",
        {"code": "000000" if pyotp.TOTP(second["secret"]).now() != "000000" else "111111"},
    )
    assert bad.status_code == 400
    activated = api.post("/api/v1/auth/mfa/totp/", {"code": pyotp.TOTP(second["secret"]).now()})
    assert activated.status_code == 201
    recovery_codes = activated.json()["recovery_codes"]
    assert len(recovery_codes) >= 8
    api.force_authenticate(None)

    challenge = token(api, user.email).json()
    assert challenge["mfa_required"] is True and "access" not in challenge
    totp_code = pyotp.TOTP(second["secret"]).now()
    pair = api.post("/api/v1/auth/token/mfa/", {"mfa_token": challenge["mfa_token"], "code": totp_code})
    assert pair.status_code == 200 and set(pair.json()) == {"access", "refresh"}
    # The same TOTP code is accepted once only (replay guard in the shared cache).
    challenge = token(api, user.email).json()
    replay = api.post("/api/v1/auth/token/mfa/", {"mfa_token": challenge["mfa_token"], "code": totp_code})
    assert replay.status_code == 400

    # A recovery code works once.
    first_use = api.post(
        "/api/v1/auth/token/mfa/", {"mfa_token": challenge["mfa_token"], "code": recovery_codes[0]}
    )
    assert first_use.status_code == 200
    challenge = token(api, user.email).json()
    second_use = api.post(
        "/api/v1/auth/token/mfa/", {"mfa_token": challenge["mfa_token"], "code": recovery_codes[0]}
    )
    assert second_use.status_code == 400


def test_mfa_token_is_not_a_bearer_and_forged_ones_fail(api):
    user = UserFactory()
    api.force_authenticate(user)
    secret = api.get("/api/v1/auth/mfa/totp/").json()["secret"]
    api.post("/api/v1/auth/mfa/totp/", {"code": pyotp.TOTP(secret).now()})
    api.force_authenticate(None)
    mfa_token = token(api, user.email).json()["mfa_token"]
    assert api.get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Bearer {mfa_token}").status_code == 401
    forged = api.post(
        "/api/v1/auth/token/mfa/", {"mfa_token": mfa_token + "x", "code": pyotp.TOTP(secret).now()}
    )
    assert forged.status_code == 401


def test_disable_totp_needs_the_password(api):
    user = UserFactory()
    api.force_authenticate(user)
    secret = api.get("/api/v1/auth/mfa/totp/").json()["secret"]
    api.post("/api/v1/auth/mfa/totp/", {"code": pyotp.TOTP(secret).now()})
    assert api.delete("/api/v1/auth/mfa/totp/", {"password": "wrong"}).status_code == 400
    assert api.delete("/api/v1/auth/mfa/totp/", {"password": DEFAULT_PASSWORD}).status_code == 204
    api.force_authenticate(None)
    assert set(token(api, user.email).json()) == {"access", "refresh"}


def test_token_endpoint_is_throttled_per_ip(api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "auth_token": "3/min",
        },
    }
    for _ in range(3):
        token(api, "someone@example.com", "whatever-password")
    response = token(api, "someone@example.com", "whatever-password")
    assert response.status_code == 429
    assert response.json()["type"] == "throttled"
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize(
    ("claims", "algorithm"),
    [
        ({"aud": "someone-else"}, "HS256"),
        ({"iss": "someone-else"}, "HS256"),
        ({"token_type": "refresh"}, "HS256"),
        ({}, "HS512"),  # right key, other algorithm: the algorithm is pinned
    ],
)
def test_access_tokens_are_checked_for_audience_issuer_type_and_algorithm(api, settings, claims, algorithm):
    import jwt
    from rest_framework_simplejwt.tokens import AccessToken

    user = UserFactory()
    payload = {**AccessToken.for_user(user).payload, **claims}
    forged = jwt.encode(payload, settings.SECRET_KEY, algorithm=algorithm)
    assert (
        api.get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}").status_code
        == 200
    )
    assert api.get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Bearer {forged}").status_code == 401


def test_unsigned_token_is_refused(api):
    import jwt
    from rest_framework_simplejwt.tokens import AccessToken

    user = UserFactory()
    unsigned = jwt.encode(dict(AccessToken.for_user(user).payload), key=None, algorithm="none")
    assert api.get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Bearer {unsigned}").status_code == 401


def test_password_reset_also_ends_access_tokens_and_websockets_follow(
    api, mailoutbox, read_code, time_machine
):
    from accounts.websocket import access_token_user

    user = UserFactory()
    time_machine.move_to("2026-01-01 12:00:00Z", tick=False)
    old_access = token(api, user.email).json()["access"]
    time_machine.shift(5)
    api.post("/api/v1/auth/password/forgot/", {"email": user.email})
    api.post(
        "/api/v1/auth/password/reset/",
        {"email": user.email, "code": read_code(mailoutbox[-1]), "new_password": NEW_PASSWORD},
    )
    assert api.get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Bearer {old_access}").status_code == 401
    assert access_token_user(old_access) is None
    new_access = token(api, user.email, NEW_PASSWORD).json()["access"]
    assert api.get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Bearer {new_access}").status_code == 200
