from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import otp
from accounts.models import OneTimeCode
from accounts.tasks import purge_one_time_codes
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VERIFY = OneTimeCode.Purpose.VERIFY_EMAIL


def test_codes_are_six_zero_padded_digits():
    user = UserFactory()
    codes = {otp.otp_issue(user=user, purpose=VERIFY) for _ in range(50)}
    assert all(len(code) == 6 and code.isdigit() for code in codes)
    assert len(codes) > 40


def test_expired_code_is_refused(time_machine):
    user = UserFactory()
    time_machine.move_to(timezone.now(), tick=False)
    code = otp.otp_issue(user=user, purpose=VERIFY)
    time_machine.shift(timedelta(minutes=10, seconds=1))
    assert not otp.otp_verify(user=user, purpose=VERIFY, code=code)


def test_code_within_ten_minutes_is_accepted(time_machine):
    user = UserFactory()
    time_machine.move_to(timezone.now(), tick=False)
    code = otp.otp_issue(user=user, purpose=VERIFY)
    time_machine.shift(timedelta(minutes=9, seconds=59))
    assert otp.otp_verify(user=user, purpose=VERIFY, code=code)


def test_purge_task_removes_expired_and_used_codes_only():
    user, other = UserFactory(), UserFactory()
    now = timezone.now()
    live_code = otp.otp_issue(user=user, purpose=VERIFY)
    used_code = otp.otp_issue(user=other, purpose=VERIFY)
    assert otp.otp_verify(user=other, purpose=VERIFY, code=used_code)
    OneTimeCode.objects.bulk_create(
        [
            OneTimeCode(
                user=user, purpose="password_reset", code_hash="x", expires_at=now - timedelta(seconds=1)
            )
            for _ in range(25)
        ]
    )
    assert purge_one_time_codes.apply().get() == 26
    assert OneTimeCode.objects.count() == 1
    assert otp.otp_verify(user=user, purpose=VERIFY, code=live_code)


def test_purge_works_in_bounded_batches(django_assert_max_num_queries):
    user = UserFactory()
    expired = timezone.now() - timedelta(minutes=1)
    OneTimeCode.objects.bulk_create(
        [OneTimeCode(user=user, purpose=VERIFY, code_hash="x", expires_at=expired) for _ in range(30)]
    )
    # 30 rows in batches of 10: 3 select+delete rounds, then an empty select per condition.
    with django_assert_max_num_queries(12):
        assert otp.otp_purge(batch_size=10) == 30


def test_admin_never_shows_code_material(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    user = UserFactory()
    otp.otp_issue(user=user, purpose=VERIFY)
    stored = OneTimeCode.objects.get(user=user)
    client.force_login(admin)
    listing = client.get("/admin/accounts/onetimecode/").content.decode()
    detail = client.get(f"/admin/accounts/onetimecode/{stored.pk}/change/").content.decode()
    assert stored.code_hash not in listing and stored.code_hash not in detail
    assert user.username in listing
