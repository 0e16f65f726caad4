"""The viewer's own: open invitations across projects, and notifications."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework.fields import IntegerField
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from projects import selectors
from projects.api import serializers as s
from projects.models import (
    Invitation,
    Notification,
)
from projects.services.notifications import notifications_mark_read

# --- the viewer's own: invitations and notifications ---------------------------------------


class MyInvitationsView(ListAPIView):
    """Open invitations addressed to me, across projects (accept or decline them through
    ``projects/<slug>/invitations/<id>/accept|decline``)."""

    serializer_class = s.MyInvitationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Invitation.objects.none()
        return selectors.invitations_open_for_user(self.request.user)


class NotificationListView(ListAPIView):
    """My notifications, newest first; ``?unread=true`` for the unread ones only. The body
    also carries ``unread_count``."""

    serializer_class = s.NotificationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        queryset = selectors.notifications_for(self.request.user)
        query = s.NotificationQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        if query.validated_data.get("unread"):
            queryset = queryset.filter(read_at__isnull=True)
        return queryset

    @extend_schema(parameters=[s.NotificationQuerySerializer])
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data["unread_count"] = selectors.notifications_unread_count(request.user)
        return response


class NotificationsReadView(APIView):
    """Mark my notifications read: the given ``ids``, or all of them."""

    @extend_schema(
        request=s.NotificationsReadSerializer,
        responses={
            200: inline_serializer(
                "NotificationsRead", {"marked": IntegerField(), "unread_count": IntegerField()}
            )
        },
    )
    def post(self, request):
        data = s.NotificationsReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = notifications_mark_read(user=request.user, ids=data.validated_data.get("ids"))
        return Response(
            {"marked": marked, "unread_count": selectors.notifications_unread_count(request.user)}
        )
