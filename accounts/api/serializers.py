from rest_framework import serializers

from accounts.models import User
from accounts.usernames import USERNAME_MAX_LENGTH, USERNAME_MIN_LENGTH, UsernameValidator


class RegisterSerializer(serializers.Serializer):
    """Only these three fields are read; anything else sent (is_staff, …) is ignored."""

    email = serializers.EmailField(max_length=254)
    username = serializers.CharField(
        min_length=USERNAME_MIN_LENGTH, max_length=USERNAME_MAX_LENGTH, validators=[UsernameValidator()]
    )
    password = serializers.CharField(write_only=True, max_length=256, trim_whitespace=False)


class RegistrationSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    email = serializers.EmailField()
    username = serializers.CharField()
    email_verified = serializers.SerializerMethodField()

    def get_email_verified(self, obj) -> bool:
        return False


class EmailCodeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    code = serializers.RegexField(r"^\s*\d{6}\s*$", error_messages={"invalid": "Enter the 6-digit code."})


class EmailSerializer(serializers.Serializer):
    email = serializers.EmailField()


class TokenObtainSerializer(serializers.Serializer):
    schema_required_any_of = (("email",), ("username",), ("login",))

    email = serializers.CharField(required=False, max_length=254)
    username = serializers.CharField(required=False, max_length=150)
    login = serializers.CharField(required=False, max_length=254)
    password = serializers.CharField(max_length=256, trim_whitespace=False)

    def validate(self, attrs):
        login = attrs.get("email") or attrs.get("username") or attrs.get("login")
        if not login:
            raise serializers.ValidationError({"email": ["Send your email or your username."]})
        attrs["login"] = login
        return attrs


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class MfaLoginSerializer(serializers.Serializer):
    mfa_token = serializers.CharField(max_length=512)
    code = serializers.CharField(max_length=64)


class RefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=2048)


class PasswordResetSerializer(EmailCodeSerializer):
    new_password = serializers.CharField(max_length=256, trim_whitespace=False)


class PasswordChangeSerializer(serializers.Serializer):
    current_password = serializers.CharField(max_length=256, trim_whitespace=False)
    new_password = serializers.CharField(max_length=256, trim_whitespace=False)


class TotpSetupSerializer(serializers.Serializer):
    secret = serializers.CharField()
    otpauth_url = serializers.CharField()


class TotpActivateSerializer(serializers.Serializer):
    code = serializers.RegexField(r"^\s*\d{6}\s*$", error_messages={"invalid": "Enter the 6-digit code."})


class RecoveryCodesSerializer(serializers.Serializer):
    recovery_codes = serializers.ListField(child=serializers.CharField())


class PasswordSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=256, trim_whitespace=False)


class UserSerializer(serializers.ModelSerializer):
    """users/me: only the names are writable; everything else is read-only or unknown."""

    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "username",
            "first_name",
            "last_name",
            "email_verified",
            "mfa_enabled",
            "profile_complete",
            "date_joined",
        ]
        # email_verified and mfa_enabled: copies kept on the row (accounts.services.user_flags_refresh).
        read_only_fields = ["email", "email_verified", "mfa_enabled", "profile_complete", "date_joined"]
        extra_kwargs = {
            "username": {"min_length": USERNAME_MIN_LENGTH, "max_length": USERNAME_MAX_LENGTH},
        }
