"""Demo developers for `make run`: about 60 varied, complete profiles (idempotent)."""

import random
import unicodedata
from datetime import date, time

from accounts.demo import DEMO_PASSWORD, demo_user_ensure
from profiles.demo_portfolio import portfolio_seed
from profiles.models import Profile, Skill, SkillAlias
from profiles.services import profile_create
from profiles.taxonomy import taxonomy_sync

# (first, last, time zone)
PEOPLE = [
    ("Amara", "Okafor", "Africa/Lagos"), ("Lukas", "Schneider", "Europe/Berlin"),
    ("Sofia", "Rossi", "Europe/Rome"), ("Hiroshi", "Tanaka", "Asia/Tokyo"),
    ("Priya", "Sharma", "Asia/Kolkata"), ("Mateo", "García", "Europe/Madrid"),
    ("Chloé", "Martin", "Europe/Paris"), ("Olivia", "Smith", "America/New_York"),
    ("Ethan", "Johnson", "America/Chicago"), ("Maya", "Cohen", "Asia/Jerusalem"),
    ("Chen", "Wei", "Asia/Shanghai"), ("Ji-woo", "Kim", "Asia/Seoul"),
    ("Lucas", "Silva", "America/Sao_Paulo"), ("Valentina", "López", "America/Bogota"),
    ("Noah", "Brown", "America/Los_Angeles"), ("Emma", "Wilson", "Europe/London"),
    ("Aarav", "Patel", "Asia/Kolkata"), ("Fatima", "Zahra", "Africa/Casablanca"),
    ("Kwame", "Mensah", "Africa/Accra"), ("Ingrid", "Johansson", "Europe/Stockholm"),
    ("Jakub", "Nowak", "Europe/Warsaw"), ("Anastasia", "Petrova", "Europe/Helsinki"),
    ("Mehmet", "Yilmaz", "Europe/Istanbul"), ("Nguyen", "Thi Lan", "Asia/Ho_Chi_Minh"),
    ("Budi", "Santoso", "Asia/Jakarta"), ("Aisha", "Bello", "Africa/Nairobi"),
    ("Liam", "O'Connor", "Europe/Dublin"), ("Zoe", "Taylor", "Australia/Sydney"),
    ("Jack", "Williams", "Australia/Melbourne"), ("Aroha", "Ngata", "Pacific/Auckland"),
    ("Diego", "Hernández", "America/Mexico_City"), ("Camila", "Fernández", "America/Argentina/Buenos_Aires"),
    ("Sebastián", "Muñoz", "America/Santiago"), ("Isabella", "Costa", "Europe/Lisbon"),
    ("Daan", "de Vries", "Europe/Amsterdam"), ("Elena", "Popescu", "Europe/Bucharest"),
    ("Nikos", "Papadopoulos", "Europe/Athens"), ("Omar", "Haddad", "Asia/Dubai"),
    ("Sara", "Ahmadi", "Asia/Tehran"), ("Arjun", "Nair", "Asia/Kolkata"),
    ("Mei", "Lin", "Asia/Taipei"), ("Rizal", "Cruz", "Asia/Manila"),
    ("Siddharth", "Rao", "Asia/Singapore"), ("Hannah", "Müller", "Europe/Zurich"),
    ("Tomás", "Novák", "Europe/Prague"), ("Freya", "Hansen", "Europe/Copenhagen"),
    ("Oskar", "Lindqvist", "Europe/Oslo"), ("Grace", "Lee", "America/Toronto"),
    ("Benjamin", "Clark", "America/Denver"), ("Ava", "Martinez", "America/Phoenix"),
    ("Kai", "Kahale", "Pacific/Honolulu"), ("Leilani", "Young", "America/Anchorage"),
    ("Yusuf", "Adeyemi", "Africa/Johannesburg"), ("Nadia", "Benali", "Africa/Algiers"),
    ("Ravi", "Kumar", "Asia/Kathmandu"), ("Anh", "Tran", "Asia/Bangkok"),
    ("Elif", "Demir", "Europe/Istanbul"), ("Marta", "Kowalska", "Europe/Warsaw"),
    ("Felix", "Wagner", "Europe/Vienna"), ("Clara", "Dubois", "America/Montreal"),
]  # fmt: skip

# (headline, primary skill pool, secondary pool, interests)
ARCHETYPES = [
    (
        "Backend developer (Python)",
        ["Python", "Django", "PostgreSQL", "FastAPI", "Celery", "Redis"],
        ["Docker", "AWS", "pytest", "GraphQL", "Kubernetes"],
        ["developer tools", "open source", "fintech"],
    ),
    (
        "Frontend engineer",
        ["TypeScript", "React", "Next.js", "CSS", "Tailwind CSS"],
        ["Figma", "Jest", "Playwright", "GraphQL", "Vite", "Accessibility"],
        ["design systems", "accessibility", "e-commerce"],
    ),
    (
        "Full-stack JavaScript developer",
        ["JavaScript", "Node.js", "React", "Express", "MongoDB"],
        ["TypeScript", "Docker", "Redis", "Vue.js", "Cypress"],
        ["startups", "education", "marketplaces"],
    ),
    (
        "Mobile developer",
        ["Kotlin", "Android", "Swift", "iOS", "Flutter", "React Native"],
        ["Firebase", "GraphQL", "Figma", "Jetpack Compose", "SwiftUI"],
        ["health", "consumer apps", "travel"],
    ),
    (
        "DevOps / platform engineer",
        ["Kubernetes", "Docker", "Terraform", "AWS", "Go"],
        ["Prometheus", "Grafana", "Ansible", "GitHub Actions", "Linux", "Helm"],
        ["infrastructure", "reliability", "climate"],
    ),
    (
        "Data scientist",
        ["Python", "pandas", "scikit-learn", "Machine Learning", "SQL"],
        ["PyTorch", "Jupyter", "Statistics", "Data Visualization", "Apache Spark"],
        ["healthcare", "climate", "research"],
    ),
    (
        "ML engineer",
        ["Python", "PyTorch", "Large Language Models", "MLOps", "Hugging Face Transformers"],
        ["Kubernetes", "FastAPI", "Retrieval-Augmented Generation", "LangChain", "Docker"],
        ["AI safety", "NLP", "developer tools"],
    ),
    (
        "Product designer",
        ["Figma", "UX Design", "UI Design", "Prototyping"],
        ["Design Systems", "UX Research", "Accessibility", "HTML", "CSS"],
        ["accessibility", "education", "social impact"],
    ),
    (
        "Systems programmer",
        ["Rust", "C++", "Linux", "Go"],
        ["WebAssembly", "Embedded Systems", "Distributed Systems", "PostgreSQL"],
        ["databases", "compilers", "open source"],
    ),
    (
        "Java backend engineer",
        ["Java", "Spring Boot", "PostgreSQL", "Apache Kafka"],
        ["Kubernetes", "Microservices", "JUnit", "Redis", "Hibernate"],
        ["fintech", "logistics", "enterprise"],
    ),
    (
        "Rails developer",
        ["Ruby", "Ruby on Rails", "PostgreSQL", "Hotwire"],
        ["RSpec", "Redis", "Heroku", "JavaScript"],
        ["e-commerce", "SaaS", "open source"],
    ),
    (
        "PHP developer",
        ["PHP", "Laravel", "MySQL", "Vue.js"],
        ["Docker", "PHPUnit", "Redis", "Tailwind CSS"],
        ["publishing", "non-profits", "e-commerce"],
    ),
    (
        "Data engineer",
        ["Python", "SQL", "Apache Airflow", "dbt", "Snowflake"],
        ["Apache Spark", "Apache Kafka", "BigQuery", "Docker", "Terraform"],
        ["analytics", "climate", "sports"],
    ),
    (
        "QA automation engineer",
        ["Playwright", "Cypress", "pytest", "Selenium"],
        ["JavaScript", "Python", "k6", "CI/CD", "Postman"],
        ["quality", "developer tools", "gaming"],
    ),
    (
        ".NET developer",
        ["C#", ".NET", "ASP.NET Core", "Microsoft SQL Server"],
        ["Microsoft Azure", "Blazor", "Entity Framework", "xUnit"],
        ["enterprise", "healthcare", "gaming"],
    ),
]

LEVEL_WORDS = {"junior": "Junior", "mid": "Mid-level", "senior": "Senior", "lead": "Lead"}
LEVELS = ["junior", "mid", "mid", "senior", "senior", "lead"]
SHIFTS = [
    (time(9), time(17)),
    (time(8), time(16)),
    (time(10), time(18)),
    (time(12), time(20)),
    (time(7), time(15)),
]
BIOS = [
    "I like small teams, clear goals and **shipping** every week.",
    "Previously at a few startups; now looking for side projects with *real users*.",
    "Open-source contributor. I care about tests, docs and kind code reviews.",
    "Self-taught, curious, and happiest when pairing on a hard bug.",
    "Happy to mentor juniors and to learn from anyone.",
]


def _profile_data(rng: random.Random, index: int, first: str, last: str, timezone: str) -> dict:
    headline, primary_pool, secondary_pool, interests = ARCHETYPES[index % len(ARCHETYPES)]
    level = LEVELS[rng.randrange(len(LEVELS))]
    base_years = {"junior": 1, "mid": 3, "senior": 6, "lead": 9}[level]
    primary = rng.sample(primary_pool, k=min(len(primary_pool), rng.randint(3, 5)))
    secondary = rng.sample(secondary_pool, k=rng.randint(2, 4))
    start, end = SHIFTS[rng.randrange(len(SHIFTS))]
    role = headline if headline[:2].isupper() else headline[0].lower() + headline[1:]  # keep "QA", ".NET"
    return {
        "display_name": f"{first} {last}",
        "headline": f"{LEVEL_WORDS[level]} {role}",
        "bio": BIOS[index % len(BIOS)],
        "experience_level": level,
        "primary_skills": [
            {"name": name, "years": max(1, base_years + rng.randint(-1, 3))} for name in primary
        ],
        "secondary_skills": [{"name": name, "years": None} for name in secondary],
        "interests": rng.sample(interests, k=2),
        "timezone": timezone,
        "working_hours_start": start,
        "working_hours_end": end,
        "availability_hours": rng.choice([5, 10, 10, 15, 20, 20, 30, 40]),
        "github": f"https://github.com/{''.join(ch for ch in _username(first, last) if ch.isalnum())}",
        "links": [],
        "looking_for_team": rng.random() < 0.6,
        "visibility": "public" if index % 7 else "members",
    }


def _username(first: str, last: str) -> str:
    """ASCII: Hannah Müller → hannah.muller."""
    text = unicodedata.normalize("NFKD", f"{first}.{last}".lower()).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text if ch.isalnum() or ch == ".")


def seed(stdout) -> None:
    taxonomy_sync(skill_model=Skill, alias_model=SkillAlias)
    rng = random.Random(20240601)  # noqa: S311 - the same people on every machine
    created = 0
    with_profile = set(Profile.objects.values_list("user__username", flat=True))
    usernames = [_username(first, last) for first, last, _ in PEOPLE]
    for index, (first, last, timezone) in enumerate(PEOPLE):
        data = _profile_data(rng, index, first, last, timezone)  # always drawn: keeps later people stable
        username = _username(first, last)
        if username in with_profile:
            continue
        user, _ = demo_user_ensure(
            username=username, email=f"{username}@devcrew.local", first_name=first, last_name=last
        )
        if not Profile.objects.filter(user=user).exists():
            profile_create(user=user, data=data)
            created += 1

    demo, _ = demo_user_ensure(username="demo", email="demo@devcrew.local", first_name="Dee", last_name="Mo")
    if not Profile.objects.filter(user=demo).exists():
        profile_create(
            user=demo,
            data={
                "display_name": "Dee Mo",
                "headline": "Full-stack developer trying out DevCrew",
                "bio": "I build web apps with **Django** and **React**, and I am looking for a team.",
                "experience_level": "senior",
                "primary_skills": [
                    {"name": "Python", "years": 7},
                    {"name": "Django", "years": 5},
                    {"name": "React", "years": 4},
                ],
                "secondary_skills": [{"name": "PostgreSQL", "years": 5}, {"name": "Docker", "years": None}],
                "interests": ["developer tools", "education"],
                "timezone": "Europe/Berlin",
                "working_hours_start": time(9),
                "working_hours_end": time(17),
                "availability_hours": 15,
                "github": "https://github.com/devcrew-demo",
                "links": [],
                "looking_for_team": True,
                "visibility": "public",
            },
        )
        created += 1
    portfolio_rng = random.Random(20261203)  # noqa: S311 - the same portfolios on every machine
    today = date.today()
    portfolios = sum(
        portfolio_seed(profile, portfolio_rng, today=today)
        for profile in Profile.objects.filter(user__username__in=[*usernames, "demo"]).order_by("pk")
    )
    stdout.write(f"Demo portfolios: {portfolios} created (work history and case studies).")
    stdout.write(
        f"Demo developers: {len(PEOPLE)} profiles ({created} created), password '{DEMO_PASSWORD}',"
        " e.g. amara.okafor, lukas.schneider, hiroshi.tanaka"
    )
