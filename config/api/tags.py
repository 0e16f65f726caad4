"""The groups of the API (Swagger tags and the API root's sections), in this order.

Imported by settings (SPECTACULAR_SETTINGS["TAGS"]), so it imports nothing from Django.
"""

# Swagger UI's groups, in this order (SPECTACULAR_SETTINGS["TAGS"]); an operation's tag is
# the app its view lives in.
API_TAGS: list[dict[str, str]] = [
    {
        "name": "accounts",
        "description": "Sign up, tokens (JWT), email verification, passwords, MFA, your user.",
    },
    {"name": "profiles", "description": "Developer profiles, the skill taxonomy and talent search."},
    {"name": "projects", "description": "Projects, members, invitations, join requests, milestones, tasks."},
    {
        "name": "agents",
        "description": "Custom AI agents and agent runs (matching, team formation, planning).",
    },
    {"name": "chat", "description": "Conversations with AI assistants, project rooms and direct threads."},
]
TAG_NAMES = frozenset(tag["name"] for tag in API_TAGS)


def view_tag(view) -> str:
    """The tag of a view (class, instance or the function ``as_view()`` returned): its app."""
    view_class = getattr(view, "cls", None) or getattr(view, "view_class", None) or view
    if not isinstance(view_class, type):
        view_class = type(view_class)
    app_label = view_class.__module__.split(".")[0]
    return app_label if app_label in TAG_NAMES else "other"
