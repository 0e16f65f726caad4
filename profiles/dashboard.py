"""The dashboard panel: how complete your profile is and which required part is missing
(optional parts never make the dashboard nag)."""

from profiles import selectors


def panels(request) -> list[dict]:
    profile = selectors.profile_of(request.user)
    missing = [part for part in selectors.profile_missing(profile) if part.required] if profile else []
    return [
        {
            "template": "profiles/dashboard_panel.html",
            "profile": profile,
            "completeness": profile.completeness if profile else 0,
            "missing": missing[:4],
        }
    ]
