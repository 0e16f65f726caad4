"""The public projects section of a public profile (/u/<username>/)."""

from projects.selectors import projects_public_for_user


def panels(request, user) -> list[dict]:
    return [{"template": "projects/profile_panel.html", "projects": projects_public_for_user(user)}]
