from rest_framework.routers import SimpleRouter

from agents.api.runs import AgentRunViewSet
from agents.api.views import AgentViewSet

# A trailing slash is optional, as everywhere in the API (`agent-runs/<id>/cancel`).
router = SimpleRouter()
router.trailing_slash = "/?"  # the constructor only knows "/" or ""
router.register("agents", AgentViewSet, basename="agent")
router.register("agent-runs", AgentRunViewSet, basename="agent-run")

urlpatterns = router.urls
