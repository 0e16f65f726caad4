"""Random small team-formation instances, shared by the optimality test and the benchmark."""

import random

from agents.team_formation import Person, Problem


def random_problem(seed: int, *, pool_size: int = 10, requirements: int = 6, needed: int = 3) -> Problem:
    """A reproducible instance: sparse skill credits, a few time zones, mixed levels and loads."""
    rng = random.Random(seed)
    must = [index < requirements // 2 for index in range(requirements)]
    zones = rng.randint(2, 4)
    # Windows spread over the day: overlap shrinks with the distance between them.
    offsets = [rng.choice([0, 1, 3, 5, 8, 12]) for _ in range(zones)]
    overlap = [[max(0.0, 8.0 - abs(a - b)) for b in offsets] for a in offsets]

    def person(name: str) -> Person:
        credits = [
            round(rng.choice([1.0, 0.8, 0.36, 0.18]), 2) if rng.random() < 0.3 else 0.0
            for _ in range(requirements)
        ]
        return Person(
            username=name,
            credits=credits,
            covers_must=frozenset(i for i, c in enumerate(credits) if c > 0 and must[i]),
            full=frozenset(i for i, c in enumerate(credits) if c >= 0.6),
            window=rng.randrange(zones) if rng.random() < 0.9 else -1,
            rank=rng.randint(-1, 3),
            capacity=rng.choice([0.25, 0.5, 0.75, 1.0]),
            match_score=round(rng.uniform(20, 90), 1),
        )

    current = [person(f"member{i}") for i in range(rng.randint(0, 1))]
    pool = [person(f"cand{i:02d}") for i in range(pool_size)]
    return Problem(
        weights=[2.0 if m else 1.0 for m in must],
        must=must,
        current=current,
        pool=pool,
        needed=needed,
        overlap=overlap,
        min_overlap=rng.choice([0.0, 2.0, 4.0]),
        names=[f"skill{i}" for i in range(requirements)],
    )
