from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self):
        from django.contrib import admin

        from accounts import (
            schema,  # noqa: F401 - registers the OpenAPI auth extension
            signals,  # noqa: F401 - connects the lockout receivers
        )
        from accounts.admin_site import LockoutAdminAuthenticationForm

        admin.site.login_form = LockoutAdminAuthenticationForm
