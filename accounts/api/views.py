from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import mfa, services
from accounts.api import serializers as s
from accounts.api.throttles import AuthIPThrottle
from accounts.tokens import refresh_token_names_active_user
from config.api.openapi import error_statuses
from config.errors import DomainError

ACCEPTED = {"detail": "If the address can receive mail, a message is on its way."}
Detail = inline_serializer("Detail", {"detail": serializers.CharField()})


class InvalidToken(DomainError):
    status_code = 401
    type = "token_not_valid"
    default_detail = "The token is invalid, expired or revoked."


class PublicAuthView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []  # these endpoints never act on a session or bearer
    throttle_classes = [AuthIPThrottle]

    def validated(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class RegisterView(PublicAuthView):
    throttle_scope = "auth_register"

    @extend_schema(request=s.RegisterSerializer, responses={201: s.RegistrationSerializer})
    def post(self, request):
        registration = services.user_register(**self.validated(s.RegisterSerializer))
        return Response(s.RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)


class VerifyEmailView(PublicAuthView):
    throttle_scope = "auth_verify"

    @extend_schema(request=s.EmailCodeSerializer, responses={200: Detail})
    def post(self, request):
        services.email_verify(**self.validated(s.EmailCodeSerializer))
        return Response({"detail": "Your email address is verified. You can log in."})


class ResendVerificationView(PublicAuthView):
    throttle_scope = "auth_resend"

    @extend_schema(request=s.EmailSerializer, responses={202: Detail})
    def post(self, request):
        services.verification_resend(**self.validated(s.EmailSerializer))
        return Response(ACCEPTED, status=status.HTTP_202_ACCEPTED)


class TokenObtainView(PublicAuthView):
    throttle_scope = "auth_token"

    @extend_schema(
        request=s.TokenObtainSerializer,
        responses={200: OpenApiResponse(s.TokenPairSerializer, description="or {mfa_required, mfa_token}")},
    )
    def post(self, request):
        data = self.validated(s.TokenObtainSerializer)
        result = services.login_with_password(login=data["login"], password=data["password"])
        if result.mfa_token:
            return Response({"mfa_required": True, "mfa_token": result.mfa_token})
        return Response(result.tokens)


class TokenMfaView(PublicAuthView):
    throttle_scope = "auth_mfa"

    @extend_schema(request=s.MfaLoginSerializer, responses={200: s.TokenPairSerializer})
    def post(self, request):
        return Response(services.login_with_mfa(**self.validated(s.MfaLoginSerializer)))


class TokenRefreshView(PublicAuthView):
    """Rotation: the refresh token sent is blacklisted, a new pair comes back."""

    throttle_scope = "auth_refresh"

    @extend_schema(request=s.RefreshSerializer, responses={200: s.TokenPairSerializer})
    def post(self, request):
        data = self.validated(s.RefreshSerializer)
        if not refresh_token_names_active_user(data["refresh"]):
            raise InvalidToken()
        serializer = TokenRefreshSerializer(data=data)
        try:
            serializer.is_valid(raise_exception=True)
        except TokenError as exc:
            raise InvalidToken() from exc
        except serializers.ValidationError as exc:
            raise InvalidToken() from exc
        return Response(serializer.validated_data)


class LogoutView(PublicAuthView):
    throttle_scope = "auth_refresh"

    @extend_schema(request=s.RefreshSerializer, responses={204: None})
    def post(self, request):
        try:
            RefreshToken(self.validated(s.RefreshSerializer)["refresh"]).blacklist()
        except TokenError as exc:
            raise InvalidToken() from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordForgotView(PublicAuthView):
    throttle_scope = "auth_forgot"

    @extend_schema(request=s.EmailSerializer, responses={202: Detail})
    def post(self, request):
        services.password_forgot(**self.validated(s.EmailSerializer))
        return Response(ACCEPTED, status=status.HTTP_202_ACCEPTED)


class PasswordResetView(PublicAuthView):
    throttle_scope = "auth_reset"

    @extend_schema(request=s.PasswordResetSerializer, responses={200: Detail})
    def post(self, request):
        services.password_reset(**self.validated(s.PasswordResetSerializer))
        return Response({"detail": "Your password is changed. Log in with the new one."})


class PasswordChangeView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [AuthIPThrottle]
    throttle_scope = "auth_password_change"

    @extend_schema(request=s.PasswordChangeSerializer, responses={200: s.TokenPairSerializer})
    def post(self, request):
        serializer = s.PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(services.password_change(user=request.user, **serializer.validated_data))


class TotpView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [AuthIPThrottle]
    throttle_scope = "auth_mfa"

    @extend_schema(responses={200: s.TotpSetupSerializer})
    @error_statuses(409)  # already on
    def get(self, request):
        return Response(mfa.totp_setup_begin(user=request.user))

    @extend_schema(request=s.TotpActivateSerializer, responses={201: s.RecoveryCodesSerializer})
    @error_statuses(409)  # already on, or the setup expired
    def post(self, request):
        serializer = s.TotpActivateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        codes = mfa.totp_activate(user=request.user, code=serializer.validated_data["code"])
        return Response({"recovery_codes": codes}, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.PasswordSerializer, responses={204: None})
    def delete(self, request):
        serializer = s.PasswordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.mfa_disable(user=request.user, password=serializer.validated_data["password"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: s.UserSerializer})
    def get(self, request):
        return Response(s.UserSerializer(request.user).data)

    @extend_schema(request=s.UserSerializer, responses={200: s.UserSerializer})
    def patch(self, request):
        serializer = s.UserSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.user_update(user=request.user, **serializer.validated_data)
        return Response(s.UserSerializer(request.user).data)
