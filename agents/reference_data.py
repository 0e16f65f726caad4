"""Reference data the app needs in every database (see config.pytest_plugin)."""


def ensure() -> None:
    """Create the built-in agents if they are missing (a flushed test database)."""
    from agents.builtins import builtin_agents_sync
    from agents.models import Agent

    if not Agent.objects.filter(is_builtin=True).exists():
        builtin_agents_sync(Agent)
