from django.urls import path

from agents import views

app_name = "agents"

urlpatterns = [
    path("agents/", views.agent_list, name="list"),
    path("agents/new/", views.agent_create, name="create"),
    path("agents/<int:pk>/edit/", views.agent_edit, name="edit"),
    path("agents/<int:pk>/delete/", views.agent_delete, name="delete"),
]
