"""The profile bio: Markdown in, sanitized HTML out (no scripts, no on* attributes,
only http(s) and mailto links)."""

import markdown as markdown_lib  # type: ignore[import-untyped]
import nh3

ALLOWED_TAGS = {
    "a", "p", "br", "hr", "em", "strong", "code", "pre", "blockquote",
    "ul", "ol", "li", "h3", "h4", "h5", "h6", "del",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def bio_render(text: str) -> str:
    if not text.strip():
        return ""
    html = markdown_lib.markdown(text, extensions=["sane_lists", "fenced_code"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
