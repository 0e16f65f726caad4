"""Profiles routes under /api/v1/ (every path ends with "/"; the request guard also
serves it without). ``profiles/me/`` comes before ``profiles/<username>/`` so that "me"
always means the caller."""

from django.urls import path

from profiles.api import portfolio_views, views

urlpatterns = [
    path("skills/", views.SkillListView.as_view(), name="skills"),
    path("profiles/", views.ProfileSearchView.as_view(), name="profiles-search"),
    path("profiles/me/", views.ProfileMeView.as_view(), name="profiles-me"),
    path("profiles/me/experiences/", portfolio_views.MyExperienceListView.as_view(), name="my-experiences"),
    path(
        "profiles/me/experiences/<int:pk>/",
        portfolio_views.MyExperienceDetailView.as_view(),
        name="my-experience",
    ),
    path("profiles/me/case-studies/", portfolio_views.MyCaseStudyListView.as_view(), name="my-case-studies"),
    path(
        "profiles/me/case-studies/<int:pk>/",
        portfolio_views.MyCaseStudyDetailView.as_view(),
        name="my-case-study",
    ),
    path(
        "profiles/me/case-studies/<int:pk>/images/",
        portfolio_views.MyCaseStudyImageListView.as_view(),
        name="my-case-study-images",
    ),
    path(
        "profiles/me/case-studies/<int:case_study_pk>/images/<int:pk>/",
        portfolio_views.MyCaseStudyImageDetailView.as_view(),
        name="my-case-study-image",
    ),
    path("profiles/me/avatar/", portfolio_views.MyAvatarView.as_view(), name="my-avatar"),
    path("profiles/<str:username>/", views.ProfileDetailView.as_view(), name="profiles-detail"),
    path(
        "profiles/<str:username>/experiences/",
        portfolio_views.ProfileExperienceListView.as_view(),
        name="profile-experiences",
    ),
    path(
        "profiles/<str:username>/case-studies/",
        portfolio_views.ProfileCaseStudyListView.as_view(),
        name="profile-case-studies",
    ),
    path(
        "profiles/<str:username>/case-studies/<int:pk>/",
        portfolio_views.ProfileCaseStudyDetailView.as_view(),
        name="profile-case-study",
    ),
]
