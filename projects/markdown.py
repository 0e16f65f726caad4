"""Project descriptions are Markdown written by users: render it, then keep only safe HTML."""

from django.utils.safestring import SafeString, mark_safe

from profiles.markdown import URL_SCHEMES, markdown_sanitized

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
}
__all__ = ["ALLOWED_ATTRIBUTES", "ALLOWED_TAGS", "URL_SCHEMES", "markdown_render"]


def markdown_render(text: str) -> SafeString:
    """HTML for ``text``: no scripts, no event handlers, no ``javascript:`` links; links
    get ``rel="noopener noreferrer nofollow"``."""
    cleaned = markdown_sanitized(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        extensions=["fenced_code", "tables", "sane_lists"],
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitized by nh3 just above
