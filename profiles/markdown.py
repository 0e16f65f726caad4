"""User-written Markdown to sanitized HTML: no scripts, no ``on*`` attributes, only
http(s) and mailto links, which get ``rel="noopener noreferrer nofollow"``. One pipeline;
each kind of text (bio, project description, chat message) picks its allowed tags."""

import markdown as markdown_lib  # type: ignore[import-untyped]
import nh3

URL_SCHEMES = {"http", "https", "mailto"}

ALLOWED_TAGS = {
    "a", "p", "br", "hr", "em", "strong", "code", "pre", "blockquote",
    "ul", "ol", "li", "h3", "h4", "h5", "h6", "del",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def markdown_sanitized(
    text: str,
    *,
    tags: set[str],
    attributes: dict[str, set[str]],
    extensions: list[str],
    extension_configs: dict | None = None,
) -> str:
    """Render ``text`` and keep only ``tags``/``attributes``; the result is safe to mark safe."""
    html = markdown_lib.markdown(
        text or "", extensions=extensions, extension_configs=extension_configs or {}, output_format="html"
    )
    return nh3.clean(
        html,
        tags=tags,
        attributes=attributes,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def bio_render(text: str) -> str:
    if not text.strip():
        return ""
    return markdown_sanitized(
        text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, extensions=["sane_lists", "fenced_code"]
    )
