from django.urls import path

from profiles import views

app_name = "profiles"

urlpatterns = [
    path("profile/setup/", views.wizard_start, name="setup"),
    path("profile/setup/skip/", views.wizard_skip, name="setup-skip"),
    path("profile/setup/<slug:step>/", views.wizard_step, name="setup-step"),
    path("u/<str:username>/", views.profile_detail, name="detail"),
    path("people/", views.people, name="people"),
]
