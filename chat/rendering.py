"""Chat messages are Markdown (the model's and the user's): render them with highlighted
code blocks, then keep only safe HTML. No script from a message ever runs: nh3 drops
script/style/iframe, every ``on*`` attribute and ``javascript:`` URLs; only classes
(Pygments' highlighting), headings and tables are added to the project description's
allowances.

Models write Markdown the CommonMark way: a list, heading, table or code fence right
under a line of text, with no blank line between (``Your projects:\n- Orbit``), and
nested lists indented by two spaces. Python-Markdown reads both as plain text, so the
text is first given the blank lines and indentation it expects (``commonmark_blocks``).
Headings move down two levels (``#`` becomes ``h3``): a page has one ``h1``, its own."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from profiles.markdown import markdown_sanitized
from projects.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

if TYPE_CHECKING:
    from chat.models import Message

CHAT_TAGS = ALLOWED_TAGS | {"span", "div", "h1", "h2", "table", "thead", "tbody", "tr", "th", "td"}
CHAT_ATTRIBUTES = {
    **ALLOWED_ATTRIBUTES,
    "span": {"class"},
    "div": {"class"},
    "code": {"class"},
    "pre": {"class"},
}
EXTENSIONS = ["fenced_code", "codehilite", "tables", "sane_lists", "nl2br"]
EXTENSION_CONFIGS = {"codehilite": {"css_class": "codehilite", "guess_lang": False, "wrapcode": True}}


_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d{1,9}[.)])\s+\S")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_TABLE_ROW = re.compile(r"^\s{0,3}\|")
_QUOTE = re.compile(r"^\s{0,3}>")
_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")


def commonmark_blocks(text: str) -> str:
    """``text`` with a blank line before every list, heading, table, quote and code fence
    that follows a line of text, and after every heading; nested list items indented by
    1-3 spaces get 4. Lines inside code fences are left as they are."""
    out: list[str] = []
    in_fence = False
    previous = ""
    for line in text.replace("\r\n", "\n").split("\n"):
        if _FENCE.match(line):
            if not in_fence and previous.strip():
                out.append("")
            in_fence = not in_fence
            out.append(line)
            previous = line
            continue
        if in_fence:
            out.append(line)
            previous = line
            continue
        item = _LIST_ITEM.match(line)
        if item and 0 < len(item.group(1)) < 4 and _LIST_ITEM.match(previous or "-"):
            line = "    " + line.lstrip()  # a two-space nested item
        if previous.strip() and _needs_blank_line(line, previous):
            out.append("")
        out.append(line)
        previous = line
    return "\n".join(out)


def _needs_blank_line(line: str, previous: str) -> bool:
    if _HEADING.match(previous):
        return True
    if _HEADING.match(line):
        return True
    if _LIST_ITEM.match(line):
        return not (_LIST_ITEM.match(previous) or previous[:1].isspace())
    if _TABLE_ROW.match(line):
        return not _TABLE_ROW.match(previous)
    if _QUOTE.match(line):
        return not _QUOTE.match(previous)
    return False


def _heading_down(match: re.Match) -> str:
    return f"<{match.group(1)}h{min(int(match.group(2)) + 2, 6)}>"


def message_html(text: str) -> SafeString:
    """Sanitized HTML for a chat message's Markdown ``text``."""
    if not text:
        return mark_safe("")
    cleaned = markdown_sanitized(
        commonmark_blocks(text),
        tags=CHAT_TAGS,
        attributes=CHAT_ATTRIBUTES,
        extensions=EXTENSIONS,
        extension_configs=EXTENSION_CONFIGS,
    )
    cleaned = _HEADING_TAG.sub(_heading_down, cleaned)  # nh3 leaves headings without attributes
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
