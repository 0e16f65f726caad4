from django.urls import path

from profiles import portfolio_pages, views

app_name = "profiles"

urlpatterns = [
    path("profile/setup/", views.wizard_start, name="setup"),
    path("profile/setup/skip/", views.wizard_skip, name="setup-skip"),
    path("profile/setup/<slug:step>/", views.wizard_step, name="setup-step"),
    path("profile/experience/", portfolio_pages.experiences_edit, name="experiences-edit"),
    path("profile/experience/new/", portfolio_pages.experience_form, name="experience-new"),
    path("profile/experience/<int:pk>/", portfolio_pages.experience_form, name="experience-edit"),
    path("profile/experience/<int:pk>/delete/", portfolio_pages.experience_delete, name="experience-delete"),
    path("profile/case-studies/", portfolio_pages.case_studies_edit, name="case-studies-edit"),
    path("profile/case-studies/new/", portfolio_pages.case_study_form, name="case-study-new"),
    path("profile/case-studies/<int:pk>/", portfolio_pages.case_study_form, name="case-study-edit"),
    path(
        "profile/case-studies/<int:pk>/delete/", portfolio_pages.case_study_delete, name="case-study-delete"
    ),
    path("profile/case-studies/<int:pk>/move/", portfolio_pages.case_study_move, name="case-study-move"),
    path(
        "profile/case-studies/<int:pk>/images/",
        portfolio_pages.case_study_image_add,
        name="case-study-image-add",
    ),
    path(
        "profile/case-studies/<int:pk>/images/<int:image_pk>/delete/",
        portfolio_pages.case_study_image_delete,
        name="case-study-image-delete",
    ),
    path("profile/picture/", portfolio_pages.avatar_edit, name="avatar"),
    path("profile/picture/remove/", portfolio_pages.avatar_remove, name="avatar-remove"),
    path("u/<str:username>/", views.profile_detail, name="detail"),
    path("u/<str:username>/case-studies/<int:pk>/", portfolio_pages.case_study_detail, name="case-study"),
    path("people/", views.people, name="people"),
]
