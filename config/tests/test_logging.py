import json
import logging
import logging.config

from config.logging import RequestIdFilter, logging_config


def test_every_response_carries_a_request_id(client, db):
    first = client.get("/health/live")["X-Request-ID"]
    second = client.get("/health/live")["X-Request-ID"]
    assert first and second and first != second


def test_a_safe_incoming_request_id_is_kept_and_a_hostile_one_replaced(client, db):
    assert (
        client.get("/health/live", HTTP_X_REQUEST_ID="abc-123-def-456")["X-Request-ID"] == "abc-123-def-456"
    )
    assert client.get("/health/live", HTTP_X_REQUEST_ID="bad\nheader injection")["X-Request-ID"] != "bad"


def test_log_lines_written_during_a_request_carry_its_id(client, db, caplog):
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/no-such-page/")
    ids = {record.request_id for record in caplog.records if record.name == "django.request"}
    assert ids == {response["X-Request-ID"]}


def test_production_logs_are_json_lines(capsys):
    config = logging_config(level="INFO", json=True)
    logging.config.dictConfig(config)
    try:
        logging.getLogger("devcrew.test").info("hello %s", "world")
        line = capsys.readouterr().err.strip().splitlines()[-1]
        record = json.loads(line)
        assert record["message"] == "hello world"
        assert record["level"] == "INFO"
        assert "request_id" in record
    finally:
        from django.conf import settings

        logging.config.dictConfig(settings.LOGGING)
