"""The dashboard panel: how complete your profile is and what is missing."""

from profiles import selectors


def panels(request) -> list[dict]:
    profile = selectors.profile_of(request.user)
    missing = selectors.profile_missing(profile) if profile else []
    return [
        {
            "template": "profiles/dashboard_panel.html",
            "profile": profile,
            "completeness": profile.completeness if profile else 0,
            "missing": missing[:4],
        }
    ]
