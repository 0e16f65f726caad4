from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class AuthIPThrottle(SimpleRateThrottle):
    """Per client IP, whoever is logged in: login, codes and password endpoints are
    targets for guessing and for burning CPU on password hashing. The scope (and its
    rate in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]) comes from the view's
    ``throttle_scope``."""

    def __init__(self):
        pass  # the rate depends on the view; resolved in allow_request

    def allow_request(self, request, view):
        self.scope = getattr(view, "throttle_scope", None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]  # read now: settings may change

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
