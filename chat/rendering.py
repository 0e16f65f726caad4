"""Chat messages are Markdown (the model's and the user's): render them with highlighted
code blocks, then keep only safe HTML. No script from a message ever runs: nh3 drops
script/style/iframe, every ``on*`` attribute and ``javascript:`` URLs; only classes
(Pygments' highlighting) are added to the project description's allowances."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from profiles.markdown import markdown_sanitized
from projects.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

if TYPE_CHECKING:
    from chat.models import Message

CHAT_TAGS = ALLOWED_TAGS | {"span", "div"}
CHAT_ATTRIBUTES = {
    **ALLOWED_ATTRIBUTES,
    "span": {"class"},
    "div": {"class"},
    "code": {"class"},
    "pre": {"class"},
}
EXTENSIONS = ["fenced_code", "codehilite", "tables", "sane_lists", "nl2br"]
EXTENSION_CONFIGS = {"codehilite": {"css_class": "codehilite", "guess_lang": False, "wrapcode": True}}


def message_html(text: str) -> SafeString:
    """Sanitized HTML for a chat message's Markdown ``text``."""
    if not text:
        return mark_safe("")
    cleaned = markdown_sanitized(
        text,
        tags=CHAT_TAGS,
        attributes=CHAT_ATTRIBUTES,
        extensions=EXTENSIONS,
        extension_configs=EXTENSION_CONFIGS,
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitized by nh3 just above


def message_label(message: Message) -> str:
    """Who wrote an answer, as the page and the API show it: "offline" or "openai · <model>"."""
    if message.role != "assistant" or not message.provider:
        return ""
    if message.provider == "offline":
        return "offline"
    return f"{message.provider} · {message.model}" if message.model else message.provider


MENTION = re.compile(r"(?<![\w@/.-])@([A-Za-z0-9._-]*[A-Za-z0-9_])")
_TAG = re.compile(r"(<[^>]*>)")
_NO_MENTIONS_INSIDE = {"a", "code", "pre"}


def mentioned_names(text: str) -> list[str]:
    """The ``@names`` written in ``text``, lowercased, in order, each once."""
    seen: dict[str, None] = {}
    for match in MENTION.finditer(text or ""):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)


def person_message_html(text: str, *, mention_urls: dict[str, str] | None = None) -> str:
    """Sanitized HTML of a room or direct message, rendered once when it is written.

    ``mention_urls`` maps lowercased names to profile URLs: those ``@name``s become links
    (outside code and existing links); any other ``@word`` stays text."""
    html = str(message_html(text))
    if not mention_urls:
        return html
    parts, inside = [], 0
    for part in _TAG.split(html):
        if part.startswith("<"):
            name = part.strip("</>").split()[0].lower() if part.strip("</>") else ""
            if name in _NO_MENTIONS_INSIDE:
                inside += -1 if part.startswith("</") else 1
            parts.append(part)
        elif inside <= 0:
            parts.append(MENTION.sub(lambda m: _mention_link(m, mention_urls), part))
        else:
            parts.append(part)
    return "".join(parts)


def _mention_link(match: re.Match, urls: dict[str, str]) -> str:
    url = urls.get(match.group(1).lower())
    if url is None:
        return match.group(0)
    return f'<a class="mention" href="{escape(url)}">{match.group(0)}</a>'
