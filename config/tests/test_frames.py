"""The wire frames: one module builds them, and chat's modules no longer import each other."""

import ast
import pathlib

from django.conf import settings

from config import frames

ROOT = pathlib.Path(settings.BASE_DIR)
FRAME_TYPES = {
    "message.created",
    "message.updated",
    "message.deleted",
    "assistant.delta",
    "assistant.completed",
    "presence",
    "typing",
    "pong",
    "run.progress",
    "run.completed",
    "run.started",
}


def _sources():
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & {".venv", "tests", "benchmarks", "migrations", "var"}:
            continue
        yield path


def test_frames_of_the_protocol_are_written_only_in_config_frames():
    """A second hand-written ``{"type": "message.created", ...}`` would drift from the first."""
    hand_written = []
    for path in _sources():
        if path == ROOT / "config" / "frames.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Dict):
                continue
            for key, value in zip(node.keys, node.values, strict=True):
                is_type = isinstance(key, ast.Constant) and key.value == "type"
                if is_type and isinstance(value, ast.Constant) and value.value in FRAME_TYPES | {"error"}:
                    hand_written.append(f"{path.relative_to(ROOT)}:{node.lineno} {value.value}")
    assert hand_written == []


def test_chat_serializers_do_not_import_the_services():
    tree = ast.parse((ROOT / "chat" / "api" / "serializers.py").read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "chat.services" not in imported


def test_frame_shapes():
    assert frames.message_created({"id": 1}, client_id="") == {
        "type": "message.created",
        "message": {"id": 1},
        "client_id": None,
    }
    assert frames.error("x", "y", client_id="c") == {
        "type": "error",
        "code": "x",
        "detail": "y",
        "client_id": "c",
    }
    assert (
        frames.answer_failed(code="c", detail="d", message_id=3, message=None, retry_after=2)["retry_after"]
        == 2
    )
    assert frames.presence([{"username": "ada"}]) == {"type": "presence", "users": [{"username": "ada"}]}
