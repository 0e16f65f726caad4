from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.lockout import user_unlock
from accounts.models import OneTimeCode, User


class LockedFilter(admin.SimpleListFilter):
    title = "locked"
    parameter_name = "locked"

    def lookups(self, request, model_admin):
        return [("yes", "Locked now"), ("no", "Not locked")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "yes":
            return queryset.filter(locked_until__gt=now)
        if self.value() == "no":
            return queryset.exclude(locked_until__gt=now)
        return queryset


class _ExistsFilter(admin.SimpleListFilter):
    annotation = ""

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(**{self.annotation: self.value() == "yes"})
        return queryset


class VerifiedFilter(_ExistsFilter):
    title = "email verified"
    parameter_name = "verified"
    annotation = "has_verified_email"


class MfaFilter(_ExistsFilter):
    title = "two-factor (TOTP)"
    parameter_name = "mfa"
    annotation = "has_totp"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "email",
        "is_active",
        "is_staff",
        "verified",
        "mfa",
        "failed_login_count",
        "locked_until",
    )
    list_filter = ("is_active", VerifiedFilter, "is_staff", LockedFilter, MfaFilter, "is_superuser")
    search_fields = ("username", "email", "first_name", "last_name")
    readonly_fields = ("public_id", "failed_login_count", "locked_until", "last_login", "date_joined")
    actions = ["unlock_accounts"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("DevCrew", {"fields": ("public_id", "profile_complete", "failed_login_count", "locked_until")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "password1", "password2")}),
    )

    def get_queryset(self, request):
        from allauth.account.models import EmailAddress

        return (
            super()
            .get_queryset(request)
            .annotate(
                has_verified_email=Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)),
                has_totp=Exists(
                    Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
                ),
            )
        )

    @admin.display(boolean=True, ordering="has_verified_email")
    def verified(self, user):
        return user.has_verified_email

    @admin.display(boolean=True, description="MFA", ordering="has_totp")
    def mfa(self, user):
        return user.has_totp

    @admin.action(description="Unlock selected accounts")
    def unlock_accounts(self, request, queryset):
        for user in queryset:
            user_unlock(user=user)
        self.message_user(request, f"Unlocked {len(queryset)} account(s).", messages.SUCCESS)


@admin.register(OneTimeCode)
class OneTimeCodeAdmin(admin.ModelAdmin):
    """Codes are listed for support; the hash is never shown (nor anything derived from it)."""

    list_display = ("user", "purpose", "created_at", "expires_at", "used_at", "failed_attempts")
    list_filter = ("purpose",)
    search_fields = ("user__username", "user__email")
    fields = ("user", "purpose", "created_at", "expires_at", "used_at", "failed_attempts")
    readonly_fields = fields
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
