"""Accounts routes under /api/v1/ (every path ends with "/"; the request guard also
serves it without)."""

from django.urls import path

from accounts.api import views

urlpatterns = [
    path("auth/register/", views.RegisterView.as_view(), name="auth-register"),
    path("auth/verify-email/", views.VerifyEmailView.as_view(), name="auth-verify-email"),
    path("auth/verify-email/resend/", views.ResendVerificationView.as_view(), name="auth-verify-resend"),
    path("auth/token/", views.TokenObtainView.as_view(), name="auth-token"),
    path("auth/token/mfa/", views.TokenMfaView.as_view(), name="auth-token-mfa"),
    path("auth/token/refresh/", views.TokenRefreshView.as_view(), name="auth-token-refresh"),
    path("auth/logout/", views.LogoutView.as_view(), name="auth-logout"),
    path("auth/password/forgot/", views.PasswordForgotView.as_view(), name="auth-password-forgot"),
    path("auth/password/reset/", views.PasswordResetView.as_view(), name="auth-password-reset"),
    path("auth/password/change/", views.PasswordChangeView.as_view(), name="auth-password-change"),
    path("auth/mfa/totp/", views.TotpView.as_view(), name="auth-mfa-totp"),
    path("users/me/", views.MeView.as_view(), name="users-me"),
]
