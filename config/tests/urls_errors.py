"""A small API used only by test_errors.py to drive every kind of failure through the
real exception handler and error views."""

from django.urls import include, path
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from config.errors import Conflict


class ItemSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=5)
    size = serializers.IntegerField(min_value=1)


class TwoPerMinute(AnonRateThrottle):
    rate = "2/min"


@api_view(["POST"])
@permission_classes([AllowAny])
def create_item(request):
    serializer = ItemSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    if serializer.validated_data["name"] == "taken":
        raise Conflict("An item with this name already exists.", type="item_exists")
    return Response(serializer.validated_data, status=201)


@api_view(["GET"])
@permission_classes([IsAuthenticated])
def private(request):
    return Response({"user": request.user.username})


@api_view(["GET"])
@permission_classes([AllowAny])
@throttle_classes([TwoPerMinute])
def throttled(request):
    return Response({"ok": True})


@api_view(["GET"])
@permission_classes([AllowAny])
def broken(request):
    raise RuntimeError("secret internal detail: db password is hunter2")


urlpatterns = [
    path("api/v1/items/", create_item),
    path("api/v1/private/", private),
    path("api/v1/throttled/", throttled),
    path("api/v1/broken/", broken),
    path("", include("config.urls")),
]

handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
