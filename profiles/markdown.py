"""User-written Markdown to sanitized HTML: no scripts, no ``on*`` attributes, only
http(s) and mailto links, which get ``rel="noopener noreferrer nofollow"``. One pipeline;
each kind of text (bio, project description, chat message) picks its allowed tags.

Images never load from another site: a third party would learn the address (and
browser) of everyone who reads the text. An image whose source is not this site becomes
a link to it (``<a class="external-image">``) carrying its alt text; images on this site
(a path such as ``/media/...``, or an absolute URL under ``SITE_URL``) stay images.
"""

import html
import re
from collections.abc import Iterable

import markdown as markdown_lib  # type: ignore[import-untyped]
import nh3
from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe

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
    cleaned = nh3.clean(
        html,
        tags=tags,
        attributes=attributes,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
    )
    return IMG_TAG.sub(_external_image_as_link, cleaned) if "img" in tags else cleaned


LINK_REL = "noopener noreferrer nofollow"
# nh3 serializes every attribute as name="value", with ", & and > escaped inside values.
IMG_TAG = re.compile(r"<img\b[^>]*>")
ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')
URL_IGNORED = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL
C0_AND_SPACE = "".join(map(chr, range(0x21)))  # ...and these at either end
URL_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def image_is_local(src: str) -> bool:
    """Whether a (sanitized, unescaped) image URL loads from this site, as a browser
    would resolve it: a relative URL, not ``//host`` nor ``/\\host``, or one under SITE_URL."""
    url = URL_IGNORED.sub("", src).strip(C0_AND_SPACE).replace("\\", "/")
    if url.lower().startswith(settings.SITE_URL.lower() + "/"):
        return True
    return not url.startswith("//") and not URL_SCHEME.match(url)


def _external_image_as_link(match: re.Match) -> str:
    attributes = dict(ATTRIBUTE.findall(match.group(0)))
    src = attributes.get("src", "")
    if src and image_is_local(html.unescape(src)):
        return match.group(0)
    if not src:
        return attributes.get("alt", "")
    text = attributes.get("alt") or src  # still escaped, as nh3 wrote it
    title = f' title="{attributes["title"]}"' if attributes.get("title") else ""
    return f'<a href="{src}" class="external-image" rel="{LINK_REL}"{title}>{text}</a>'


def bio_render(text: str) -> str:
    if not text.strip():
        return ""
    return markdown_sanitized(
        text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, extensions=["sane_lists", "fenced_code"]
    )


def experience_description_render(text: str) -> str:
    """An experience entry's description: the bio's tags (stored as ``description_html``)."""
    return bio_render(text)


CASE_STUDY_TAGS = ALLOWED_TAGS | {"img", "table", "thead", "tbody", "tr", "th", "td"}
CASE_STUDY_ATTRIBUTES = {**ALLOWED_ATTRIBUTES, "img": {"src", "alt", "title"}}


def case_study_body_render(text: str) -> str:
    """A case study's body: the bio's tags plus tables and images of this site (an image
    elsewhere becomes a link, see the module docstring). Stored as ``body_html``."""
    if not text.strip():
        return ""
    return markdown_sanitized(
        text,
        tags=CASE_STUDY_TAGS,
        attributes=CASE_STUDY_ATTRIBUTES,
        extensions=["sane_lists", "fenced_code", "tables"],
    )


# -- stored renderings ----------------------------------------------------------------------
class MarkdownHTMLField(models.TextField):
    """The sanitized HTML of the Markdown in the model's field ``source``, rendered by
    ``renderer`` (the dotted path of a ``str -> str`` function of this pipeline) whenever
    the row is written, so reads (lists, pages, sockets) never render.

    Contract for writers:

    * ``Model.objects.create()``, ``bulk_create()`` and a full ``save()`` render it;
    * ``save(update_fields=...)`` renders it only when it is listed: pass the fields
      through :func:`markdown_update_fields`, which adds it when its source is listed;
    * ``QuerySet.update(source=...)`` bypasses models: set it too, with
      :func:`markdown_field_render`.

    Values read from the database are marked safe (they were sanitized when written), so
    templates print them as they are. When the sanitizer's rules change, re-render every
    row: ``manage.py markdown_rerender``.
    """

    def __init__(self, *args, source: str = "", renderer: str = "", **kwargs):
        self.source = source
        self.renderer = renderer
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["renderer"] = self.renderer
        return name, path, args, kwargs

    def render(self, text: str) -> SafeString:
        return mark_safe(import_string(self.renderer)(text or ""))  # noqa: S308 - the renderer sanitizes

    def pre_save(self, model_instance, add):
        value = self.render(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value

    def from_db_value(self, value, expression, connection):
        return value if value is None else mark_safe(value)  # noqa: S308 - sanitized when written


def markdown_fields(model) -> list[MarkdownHTMLField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, MarkdownHTMLField)]


def markdown_update_fields(model, fields: Iterable[str]) -> list[str]:
    """``fields`` for ``save(update_fields=...)``, plus the stored HTML of every Markdown
    source among them, so the rendering is written with its text."""
    fields = list(fields)
    rendered = [field.name for field in markdown_fields(model) if field.source in fields]
    return [*fields, *(name for name in rendered if name not in fields)]


def markdown_field_render(model, html_field: str, text: str) -> SafeString:
    """What ``model.<html_field>`` stores for ``text`` (for writes through ``QuerySet.update``)."""
    field = model._meta.get_field(html_field)
    assert isinstance(field, MarkdownHTMLField)
    return field.render(text)


def markdown_rerender(model, *, batch_size: int = 500) -> int:
    """Render every row's stored HTML again from its source; returns how many rows changed.

    Used by ``manage.py markdown_rerender`` after the sanitizer's rules change, and by the
    data migrations that fill a new stored field (``model`` may be a historical model)."""
    fields = markdown_fields(model)
    if not fields:
        return 0
    names = ["pk", *{f.source for f in fields}, *(f.attname for f in fields)]
    changed = 0
    batch = []
    for row in model._default_manager.order_by("pk").only(*names).iterator(chunk_size=batch_size):
        dirty = False
        for field in fields:
            html = field.render(getattr(row, field.source))
            if str(getattr(row, field.attname)) != html:
                setattr(row, field.attname, html)
                dirty = True
        if dirty:
            batch.append(row)
        if len(batch) >= batch_size:
            model._default_manager.bulk_update(batch, [f.attname for f in fields])
            changed += len(batch)
            batch = []
    if batch:
        model._default_manager.bulk_update(batch, [f.attname for f in fields])
        changed += len(batch)
    return changed
