import re

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    return APIClient()


def code_from(mail) -> str:
    """The 6-digit code in an email, as a user would read it."""
    match = re.search(r"\b(\d{6})\b", mail.body)
    assert match, mail.body
    return match.group(1)


@pytest.fixture
def read_code():
    return code_from
