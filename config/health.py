"""Liveness and readiness probes.

``/health/live`` answers 200 while the process serves requests and touches nothing else.
``/health/ready`` runs django-health-check's database and cache checks plus a broker
check, concurrently, each with a short timeout: 200 when all answer, 503 naming the
failing component otherwise, e.g.
``{"status": "unavailable", "components": {"database": "ok", "cache": "ok",
"broker": "unavailable: ..."}}``.
"""

import asyncio
import dataclasses
import datetime

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class Broker(HealthCheck):
    """Opens (and closes) a connection to the Celery broker."""

    timeout: datetime.timedelta = dataclasses.field(default=datetime.timedelta(seconds=3), repr=False)

    def run(self) -> None:
        from config.celery import app

        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=self.timeout.total_seconds())
        except Exception as exc:  # kombu raises transport-specific errors
            raise ServiceUnavailable(f"cannot reach the broker ({type(exc).__name__})") from exc


COMPONENTS = {Database: "database", Cache: "cache", Broker: "broker"}


class ReadinessView(HealthCheckView):
    checks = (Database, Cache, Broker)

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            self.results = await asyncio.gather(*(check.get_result(executor) for check in self.get_checks()))
        components = {
            COMPONENTS[type(result.check)]: "ok" if result.error is None else f"unavailable: {result.error}"
            for result in self.results
        }
        healthy = all(value == "ok" for value in components.values())
        return JsonResponse(
            {"status": "ok" if healthy else "unavailable", "components": components},
            status=200 if healthy else 503,
        )


@never_cache
def live(request):
    return JsonResponse({"status": "ok"})


ready = ReadinessView.as_view()
