"""The site's wording of third-party strings (locale/en): the committed .mo says what the .po says."""

import gettext
import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale/en/LC_MESSAGES/django.po"


def po_entries() -> list[tuple[str | None, str, str]]:
    entries = []
    pattern = r'(?:msgctxt "(.*)"\n)?msgid "(.+)"\nmsgstr "(.*)"'
    for context, msgid, msgstr in re.findall(pattern, PO.read_text()):
        entries.append((context or None, msgid, msgstr))
    return entries


def test_the_compiled_catalog_matches_the_po_file():
    """After editing django.po, run `msgfmt -o django.mo django.po` next to it."""
    with open(PO.with_suffix(".mo"), "rb") as mo:
        catalog = gettext.GNUTranslations(mo)
    entries = po_entries()
    assert len(entries) > 20
    for context, msgid, msgstr in entries:
        found = catalog.pgettext(context, msgid) if context else catalog.gettext(msgid)
        assert found == msgstr, msgid
