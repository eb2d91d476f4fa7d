"""Settings per environment: production refuses to start without a secret and passes
`check --deploy`; the site speaks Chinese by default; security headers are sent."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "ALLOWED_HOSTS": "mooc.example.org",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    dropped = ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", **PRODUCTION_ENV)

    assert result.returncode != 0
    assert "SECRET_KEY is missing" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _manage("check", SECRET_KEY="short", **PRODUCTION_ENV)

    assert result.returncode != 0
    assert "shorter than 50 characters" in result.stderr


def test_production_passes_check_deploy_without_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="k" * 20 + "x9!Q" * 15,
        **PRODUCTION_ENV,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
def test_pages_are_chinese_even_when_the_browser_prefers_english(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.status_code == 200
    assert "登录" in response.text
    assert response["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_the_language_switch_turns_pages_english(client):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=True
    )

    assert response.status_code == 200
    assert "Log in" in response.text
    assert "登录" not in response.text


@pytest.mark.django_db
def test_api_clients_get_the_language_they_ask_for(client):
    chinese = client.post("/api/v1/auth/token/", {"username": "x", "password": "y"})
    english = client.post(
        "/api/v1/auth/token/", {"username": "x", "password": "y"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert chinese.json()["detail"] == "用户名或密码错误。"
    assert english.json()["detail"] == "Wrong username or password."


@pytest.mark.django_db
def test_pages_send_security_headers(client):
    response = client.get("/accounts/login/")

    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'self'" in csp
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_pages_need_a_login(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/")
