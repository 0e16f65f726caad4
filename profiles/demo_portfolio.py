"""Work history and case studies for the demo developers (called by ``profiles.demo``).

Drawn from each person's own skills and level with a fixed seed, so every machine shows
the same portfolios; a profile that already has any is left alone (idempotent)."""

import random
from datetime import date

from profiles import services
from profiles.models import Profile

ORGANISATIONS = [
    "Northwind Labs", "Bluefin Payments", "Kestrel Health", "Oakridge Logistics", "Lumen Analytics",
    "Harbor & Pine", "Quill Publishing", "Solstice Energy", "Tandem Mobility", "Brightline Learning",
    "Cobalt Insurance", "Fernway Travel", "Atlas Retail Group", "Meridian Bank", "Nimbus Cloud",
    "Pebble Games", "Orchard Foods", "Vantage Media", "Redwood Civic Tech", "Helix Biotech",
]  # fmt: skip
LEVEL_PREFIX = {"junior": "Junior", "senior": "Senior", "lead": "Lead"}
EARLIER_LEVEL = {"junior": "junior", "mid": "junior", "senior": "mid", "lead": "senior"}
ACHIEVEMENTS = [
    "Cut the p95 latency of the busiest endpoint from **900 ms to 120 ms**.",
    "Moved the team from monthly releases to **continuous delivery**.",
    "Introduced automated tests that caught regressions before every release.",
    "Mentored two new hires through their first production changes.",
    "Replaced a fragile nightly batch job with an event-driven pipeline.",
    "Led the migration off a legacy monolith, one service at a time.",
    "Wrote the runbooks and on-call guide the team still uses.",
    "Shipped the accessibility fixes that brought the app to WCAG 2.1 AA.",
]
PROJECTS = [
    (
        "Real-time order tracking",
        "Live delivery status for 40k daily orders, replacing refresh-and-hope.",
        "Customers called support to ask where their order was. We streamed courier positions and status "
        "changes to the browser and mobile apps.",
        "Support calls about order status dropped by **35%** in the first month.",
    ),
    (
        "Self-service analytics",
        "Dashboards business teams build themselves, on a clean warehouse model.",
        "Every report was a ticket for the data team, with a two-week queue. We modelled the core entities "
        "once and gave teams a tool to explore them.",
        "The report queue went from 60 tickets to under 10; finance closes the month two days earlier.",
    ),
    (
        "Checkout rewrite",
        "A faster, accessible checkout that works on every phone.",
        "The old checkout lost a third of mobile shoppers at the payment step. We rebuilt it with "
        "progressive enhancement and measured every step.",
        "Mobile conversion rose **12%**; the payment step now loads in under a second on 3G.",
    ),
    (
        "Open-source CLI for config drift",
        "A command-line tool that finds differences between environments before they bite.",
        "Staging and production kept drifting apart. I wrote a small tool that compares what is deployed "
        "with what is declared, and open-sourced it.",
        "Adopted by four teams internally and 300+ stars on GitHub.",
    ),
    (
        "Clinic appointment booking",
        "Online booking for a network of 25 clinics, with reminders that cut no-shows.",
        "Patients could only book by phone during office hours. We built online booking on top of the "
        "clinics' existing calendars, with SMS and email reminders.",
        "No-shows fell by a quarter; half of all bookings now happen outside office hours.",
    ),
    (
        "Search that understands typos",
        "Product search with typo tolerance, synonyms and ranking by what people buy.",
        "Shoppers searching for 'runing shoes' found nothing. We added fuzzy matching, a synonym list the "
        "merchandisers maintain, and ranking signals from sales.",
        "Searches with no result went from 14% to 3%.",
    ),
]


def _month(year: int, month: int) -> date:
    return date(year, month, 1)


def _role(headline: str, level: str) -> str:
    """The headline's job title at ``level``: "Senior frontend engineer" at mid → "Frontend engineer"."""
    first, _, rest = headline.partition(" ")
    title = rest if first in LEVEL_PREFIX.values() or first == "Mid-level" else headline
    title = title if title[:2].isupper() or title[0] == "." else title[0].lower() + title[1:]
    prefix = LEVEL_PREFIX.get(level, "")
    role = f"{prefix} {title}" if prefix else title
    return role[0].upper() + role[1:]


def portfolio_seed(profile: Profile, rng: random.Random, *, today: date) -> bool:
    """Give ``profile`` a work history and case studies unless it has any; True if it did."""
    if profile.experiences.exists() or profile.case_studies.exists():
        return False
    skills = [row.skill.name for row in profile.profile_skills.select_related("skill")]
    level = profile.experience_level or "mid"
    count = {"junior": 1, "mid": 2, "senior": 3, "lead": 4}.get(level, 2)
    organisations = rng.sample(ORGANISATIONS, k=count)
    end: date | None = None  # the newest role is the current one
    year, month = today.year, today.month
    for index, organisation in enumerate(organisations):
        length = rng.randint(14, 40)
        start_index = year * 12 + month - 1 - length
        start = _month(start_index // 12, start_index % 12 + 1)
        description = "\n".join(f"- {line}" for line in rng.sample(ACHIEVEMENTS, k=2))
        services.experience_create(
            profile=profile,
            data={
                "organisation": organisation,
                "role": _role(profile.headline, level if index == 0 else EARLIER_LEVEL[level]),
                "start_month": start,
                "end_month": end,
                "description": description,
                "technologies": rng.sample(skills, k=min(len(skills), rng.randint(2, 4))),
            },
        )
        gap = rng.randint(0, 2)
        end_index = start.year * 12 + start.month - 1 - gap - 1
        end = _month(end_index // 12, end_index % 12 + 1)
        year, month = end.year, end.month
    for title, summary, problem, result in rng.sample(PROJECTS, k=2):
        stack = rng.sample(skills, k=min(len(skills), 3))
        services.case_study_create(
            profile=profile,
            data={
                "title": title,
                "summary": summary,
                "role": rng.choice(
                    ["Tech lead", "Backend developer", "Full-stack developer", "Sole developer"]
                ),
                "body": (
                    f"### The problem\n\n{problem}\n\n### What I built\n\n"
                    f"I designed and built it with {', '.join(stack)}: small steps, each released behind a "
                    f"flag and measured.\n\n### The result\n\n{result}"
                ),
                "technologies": stack,
                "repository_url": f"https://github.com/{profile.user.username.replace('.', '')}",
            },
        )
    return True
