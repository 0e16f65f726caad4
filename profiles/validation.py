"""Input rules shared by the API serializers and the wizard forms (both turn them into
field errors). Each validator raises ``django.core.exceptions.ValidationError``."""

import re
import zoneinfo
from datetime import date
from functools import cache
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

PRIMARY_SKILLS_MAX = 10
SECONDARY_SKILLS_MAX = 20
SKILL_YEARS_MAX = 60
INTERESTS_MAX = 20
INTEREST_MAX_LENGTH = 40
LINKS_MAX = 10
AVAILABILITY_HOURS_MAX = 80

_GITHUB_HOSTS = {"github.com", "www.github.com"}
# GitHub logins: 1-39 letters, digits or single hyphens, not starting or ending with one.
_GITHUB_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
# github.com/<word> pages that are not people.
_GITHUB_RESERVED = {
    "about", "apps", "blog", "collections", "contact", "customer-stories", "enterprise", "events",
    "explore", "features", "issues", "join", "login", "logout", "marketplace", "new", "notifications",
    "orgs", "pricing", "pulls", "search", "security", "settings", "sponsors", "topics", "trending",
}  # fmt: skip


@cache
def timezone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def timezone_validate(value: str) -> str:
    if value not in timezone_names():
        raise ValidationError(
            "“%(value)s” is not a known time zone. Use an IANA name such as Europe/Berlin.",
            code="invalid_timezone",
            params={"value": value},
        )
    return value


def github_url_normalize(value: str) -> str:
    """``https://github.com/<login>`` for a GitHub profile URL (scheme and ``www.`` optional)."""
    text = value.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        # urlsplit and .port raise ValueError for text that is no URL at all ("[", ":99999").
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        parts, port = None, None
    path = parts.path.strip("/") if parts else ""
    if (
        parts is None
        or parts.scheme not in {"http", "https"}
        or (parts.hostname or "").lower() not in _GITHUB_HOSTS
        or port
        or parts.query
        or not _GITHUB_LOGIN.match(path)
        or path.lower() in _GITHUB_RESERVED
    ):
        raise ValidationError(
            "Enter your GitHub profile address, like https://github.com/your-username.",
            code="invalid_github",
        )
    return f"https://github.com/{path}"


_url_validator = URLValidator(schemes=["http", "https"])


def link_normalize(value) -> dict:
    """A link is ``{"label", "url"}``; a bare URL string gets its host as the label."""
    if isinstance(value, str):
        url, label = value.strip(), ""
    elif isinstance(value, dict):
        url, label = str(value.get("url", "")).strip(), str(value.get("label", "")).strip()
    else:
        raise ValidationError("A link is a URL or an object with “label” and “url”.", code="invalid_link")
    try:
        _url_validator(url)
    except ValidationError:
        raise ValidationError(
            "“%(url)s” is not a valid http(s) address.", code="invalid_link", params={"url": url[:100]}
        ) from None
    return {"label": (label or urlsplit(url).hostname or url)[:60], "url": url}


def links_normalize(values) -> list[dict]:
    if not isinstance(values, list):
        raise ValidationError("Send a list of links.", code="invalid")
    if len(values) > LINKS_MAX:
        raise ValidationError(f"At most {LINKS_MAX} links.", code="too_many")
    return [link_normalize(value) for value in values]


def interests_normalize(values) -> list[str]:
    """Tags: trimmed, single-spaced, unique case-insensitively, in the order given."""
    if isinstance(values, str):
        values = values.split(",")
    if not isinstance(values, list):
        raise ValidationError("Send a list of interests.", code="invalid")
    result, seen = [], set()
    for value in values:
        if not isinstance(value, str):
            raise ValidationError("Each interest is a short text.", code="invalid")
        tag = " ".join(value.split())
        if not tag or tag.casefold() in seen:
            continue
        if len(tag) > INTEREST_MAX_LENGTH:
            raise ValidationError(
                f"“{tag[:20]}…” is too long: an interest has at most {INTEREST_MAX_LENGTH} characters.",
                code="too_long",
            )
        seen.add(tag.casefold())
        result.append(tag)
    if len(result) > INTERESTS_MAX:
        raise ValidationError(f"At most {INTERESTS_MAX} interests.", code="too_many")
    return result


def skill_entries_normalize(values, *, limit: int, label: str) -> list[dict]:
    """``["js", {"name": "django", "years": 3}]`` → ``[{"name": "js", "years": None}, …]``.

    Only the shape is checked here; names are resolved to skills by the service.
    """
    if not isinstance(values, list):
        raise ValidationError("Send a list of skill names.", code="invalid")
    if len(values) > limit:
        raise ValidationError(f"At most {limit} {label} skills (you sent {len(values)}).", code="too_many")
    entries = []
    for position, value in enumerate(values, start=1):
        name: object
        years: object
        if isinstance(value, str):
            name, years = value, None
        elif isinstance(value, dict):
            name, years = value.get("name"), value.get("years")
        else:
            raise ValidationError(f"Skill {position}: send a name or {{“name”, “years”}}.", code="invalid")
        if not isinstance(name, str) or not name.strip():
            raise ValidationError(f"Skill {position}: the name is missing.", code="required")
        if len(name.strip()) > 60:
            raise ValidationError(
                f"Skill {position}: a skill name has at most 60 characters.", code="too_long"
            )
        if not any(ch.isalnum() for ch in name):
            raise ValidationError(f"Skill {position}: “{name}” is not a skill name.", code="invalid")
        if years is not None and (
            isinstance(years, bool) or not isinstance(years, int) or not 0 <= years <= SKILL_YEARS_MAX
        ):
            raise ValidationError(
                f"Skill {position}: years must be a whole number from 0 to {SKILL_YEARS_MAX}.", code="invalid"
            )
        entries.append({"name": name.strip(), "years": years})
    return entries


def working_hours_validate(start, end) -> None:
    if (start is None) != (end is None):
        raise ValidationError("Give both the start and the end of your working hours.", code="incomplete")
    if start is not None and start == end:
        raise ValidationError("Working hours cannot start and end at the same time.", code="empty")


# -- Portfolio ------------------------------------------------------------------------------
TECHNOLOGIES_MAX = 20
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_parse(value) -> date:
    """``"2023-04"`` → ``date(2023, 4, 1)``; the month a role started or ended."""
    match = _MONTH.match(str(value).strip()) if isinstance(value, str) else None
    if match is None or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1900:
        raise ValidationError("Enter a month as YYYY-MM, e.g. 2023-04.", code="invalid_month")
    return date(int(match[1]), int(match[2]), 1)


def technologies_normalize(values) -> list[str]:
    """A list of skill names (any alias), at most ``TECHNOLOGIES_MAX``, blanks dropped."""
    if isinstance(values, str):
        values = re.split(r"[,\n;]+", values)
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise ValidationError("Give the technologies as a list of names.", code="invalid")
    names = [" ".join(value.split()) for value in values if value.strip()]
    if len(names) > TECHNOLOGIES_MAX:
        raise ValidationError(
            f"List at most {TECHNOLOGIES_MAX} technologies.",
            code="too_many",
            params={"max": TECHNOLOGIES_MAX},
        )
    for name in names:
        if len(name) > 60:
            raise ValidationError("A technology name has at most 60 characters.", code="too_long")
    return names
