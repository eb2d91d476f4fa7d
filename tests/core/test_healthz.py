"""GET /healthz: database, broker round trip to a real worker, ffmpeg."""

import pytest


def test_healthz_is_ok_with_a_running_worker(client, celery_worker):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "broker": True,
        "ffmpeg": True,
    }
    assert "pong" in body["checks"]["broker"]["detail"]


@pytest.mark.django_db(transaction=True)
def test_healthz_fails_when_no_worker_answers(client, settings):
    settings.HEALTHCHECK_TIMEOUT_SECONDS = 1.0

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["broker"]["ok"] is False
    assert "no worker answered" in body["checks"]["broker"]["detail"]
    assert body["checks"]["database"]["ok"] is True


def test_healthz_fails_without_ffmpeg(client, settings, celery_worker):
    settings.FFMPEG_BINARY = "ffmpeg-that-is-not-installed"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["ffmpeg"] == {
        "ok": False,
        "detail": "ffmpeg-that-is-not-installed not found on PATH",
        "seconds": pytest.approx(0, abs=1),
    }


def test_healthz_needs_no_login(client, settings, db):
    settings.HEALTHCHECK_TIMEOUT_SECONDS = 0.2
    response = client.get("/healthz")
    assert response.status_code in (200, 503)
    assert response["Content-Type"] == "application/json"
