"""The site's URLs plus ``bench/floor/``: the cheapest view the layout can serve that
still reads the database (one query), through the same middleware, to compare with."""

from django.http import JsonResponse
from django.urls import path

from accounts.models import User
from config.urls import urlpatterns as site_urlpatterns


def floor(request):
    return JsonResponse({"first_user": User.objects.order_by("pk").values_list("pk", flat=True).first()})


urlpatterns = [path("bench/floor/", floor), *site_urlpatterns]
