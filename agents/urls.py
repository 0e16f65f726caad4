from django.urls import path

from agents import views
from agents.runs import views as run_views

app_name = "agents"

urlpatterns = [
    path("agents/", views.agent_list, name="list"),
    path("agents/new/", views.agent_create, name="create"),
    path("agents/<int:pk>/edit/", views.agent_edit, name="edit"),
    path("agents/<int:pk>/delete/", views.agent_delete, name="delete"),
    path("agents/runs/", run_views.run_list, name="run-list"),
    path("agents/runs/start/", run_views.run_start, name="run-start"),
    path("agents/runs/<int:pk>/", run_views.run_detail, name="run-detail"),
    path("agents/runs/<int:pk>/cancel/", run_views.run_cancel, name="run-cancel"),
    path("agents/runs/<int:pk>/apply/", run_views.run_apply, name="run-apply"),
]
