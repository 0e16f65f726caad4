"""Chat messages are Markdown (the model's and the user's): render them with highlighted
code blocks, then keep only safe HTML. No script from a message ever runs: nh3 drops
script/style/iframe, every ``on*`` attribute and ``javascript:`` URLs; only classes
(Pygments' highlighting) are added to the project description's allowances."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
