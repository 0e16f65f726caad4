from django.shortcuts import redirect

SETUP_SKIPPED_SESSION_KEY = "profiles_setup_skipped"


class ProfileSetupRedirectMiddleware:
    """Send signed-in users whose profile is incomplete from the dashboard (``/`` only) to
    the profile wizard, until the profile is complete or they chose “Skip for now” in this
    session. Staff are never redirected (the admin account needs no developer profile)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.path == "/"
            and request.method == "GET"
            and user is not None
            and user.is_authenticated
            and not user.profile_complete
            and not user.is_staff
            and not request.session.get(SETUP_SKIPPED_SESSION_KEY)
        ):
            return redirect("profiles:setup")
        return self.get_response(request)
