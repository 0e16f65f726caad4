"""The canonical skill taxonomy shipped with DevCrew, and the one rule for comparing names.

The data lives in ``profiles/data/skills.txt``: each line reads
``Name | alias, alias | Related, Related`` under a ``[category]`` header. Related skills
point from the specific to the general (Django → Python, Next.js → React): a developer
who knows the former partly knows the latter, which the matching agents turn into partial
credit.

The data migration ``0002_skill_taxonomy`` and ``taxonomy_sync`` load it; both are idempotent.
"""

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.utils.text import slugify

CATEGORY_LANGUAGE = "language"
CATEGORY_FRAMEWORK = "framework"
CATEGORY_DATABASE = "database"
CATEGORY_DEVOPS = "devops"
CATEGORY_DATA = "data"
CATEGORY_DESIGN = "design"
CATEGORY_MOBILE = "mobile"
CATEGORY_TESTING = "testing"
CATEGORY_OTHER = "other"

CATEGORY_CHOICES = [
    (CATEGORY_LANGUAGE, "Language"),
    (CATEGORY_FRAMEWORK, "Framework / library"),
    (CATEGORY_DATABASE, "Database"),
    (CATEGORY_DEVOPS, "Cloud / DevOps"),
    (CATEGORY_DATA, "Data / ML"),
    (CATEGORY_DESIGN, "Design"),
    (CATEGORY_MOBILE, "Mobile"),
    (CATEGORY_TESTING, "Testing"),
    (CATEGORY_OTHER, "Other"),
]

_KEY_DROP = re.compile(r"[^\w+#]+")


def skill_key(text: str) -> str:
    """The comparison key of a skill name or alias: case- and punctuation-insensitive.

    ``+`` and ``#`` are kept because they tell C, C++ and C# apart; everything else that
    is not a letter or digit (spaces, dots, dashes, slashes) is dropped, so ``React.JS``,
    ``react js`` and ``reactjs`` share one key.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    return _KEY_DROP.sub("", text).replace("_", "")


def skill_slug_base(name: str) -> str:
    """A readable slug: C++ → cpp, C# → csharp, .NET → dotnet."""
    text = name.replace("++", "pp").replace("#", "sharp")
    if text.startswith("."):
        text = "dot" + text[1:]
    return slugify(text) or "skill"


TAXONOMY_FILE = Path(__file__).resolve().parent / "data" / "skills.txt"


@dataclass(frozen=True)
class TaxonomyEntry:
    name: str
    category: str
    aliases: tuple[str, ...]
    related: tuple[str, ...]


def taxonomy_entries() -> list[TaxonomyEntry]:
    entries: list[TaxonomyEntry] = []
    category = CATEGORY_OTHER
    for raw in TAXONOMY_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            category = line[1:-1]
            continue
        name, aliases, related = (part.strip() for part in line.split("|"))
        entries.append(
            TaxonomyEntry(
                name=name,
                category=category,
                aliases=tuple(a.strip() for a in aliases.split(",") if a.strip()),
                related=tuple(r.strip() for r in related.split(",") if r.strip()),
            )
        )
    return entries


def taxonomy_sync(*, skill_model, alias_model) -> int:
    """Load the taxonomy into the database; return how many skills were created.

    Idempotent and additive: existing skills keep their edits (staff may have renamed,
    re-categorised or added aliases); missing skills, aliases and relations are added.
    Takes the models as arguments so the data migration can pass its historical ones.
    """
    entries = taxonomy_entries()
    existing = {skill.key: skill for skill in skill_model.objects.all()}
    taken_aliases = set(alias_model.objects.values_list("key", flat=True))
    taken_slugs = {skill.slug for skill in existing.values()}
    created = 0
    by_name = {}
    for entry in entries:
        key = skill_key(entry.name)
        skill = existing.get(key)
        if skill is None:
            slug = base = skill_slug_base(entry.name)
            suffix = 2
            while slug in taken_slugs:
                slug, suffix = f"{base}-{suffix}", suffix + 1
            taken_slugs.add(slug)
            skill = skill_model.objects.create(
                name=entry.name, key=key, slug=slug, category=entry.category, is_reviewed=True
            )
            existing[key] = skill
            created += 1
        by_name[entry.name] = skill
    for entry in entries:
        skill = by_name[entry.name]
        new_aliases = []
        for alias in entry.aliases:
            key = skill_key(alias)
            if not key or key in taken_aliases or key in existing:
                continue
            taken_aliases.add(key)
            new_aliases.append(alias_model(skill=skill, name=alias, key=key))
        alias_model.objects.bulk_create(new_aliases)
        related = [by_name[name] for name in entry.related if name in by_name]
        if related:
            skill.related.add(*related)
    return created
