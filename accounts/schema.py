"""OpenAPI description of our bearer authentication (drf-spectacular extension)."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class DevCrewJWTScheme(SimpleJWTScheme):
    target_class = "accounts.authentication.DevCrewJWTAuthentication"
    name = "jwtAuth"
