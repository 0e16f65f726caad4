"""Profiles routes under /api/v1/ (every path ends with "/"; the request guard also
serves it without). ``profiles/me/`` comes before ``profiles/<username>/`` so that "me"
always means the caller."""

from django.urls import path

from profiles.api import views

urlpatterns = [
    path("skills/", views.SkillListView.as_view(), name="skills"),
    path("profiles/", views.ProfileSearchView.as_view(), name="profiles-search"),
    path("profiles/me/", views.ProfileMeView.as_view(), name="profiles-me"),
    path("profiles/<str:username>/", views.ProfileDetailView.as_view(), name="profiles-detail"),
]
