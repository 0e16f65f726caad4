"""A test's ear on a project's channel-layer group (what the project socket joins)."""

import asyncio

import pytest
from channels.layers import get_channel_layer

from projects.live import project_group


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    """channels-redis binds to the event loop; every async test gets its own layer."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


class Listener:
    """A channel in a project's group, as the project socket has."""

    def __init__(self, project_id: int):
        self.layer = get_channel_layer()
        self.group = project_group(project_id)
        self.channel = ""

    async def __aenter__(self):
        self.channel = await self.layer.new_channel()
        await self.layer.group_add(self.group, self.channel)
        return self

    async def __aexit__(self, *exc):
        await self.layer.group_discard(self.group, self.channel)

    async def frame(self, within: float = 5.0) -> dict:
        event = await asyncio.wait_for(self.layer.receive(self.channel), within)
        assert event["type"] == "project.event"
        return event["frame"]

    async def nothing(self, within: float = 0.5) -> None:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(self.layer.receive(self.channel), within)
