"""The web's basics: production settings that pass `check --deploy`, and error pages that show no trace."""

import json
import os
import subprocess
import sys

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.urls import include, path, reverse

TEST_KEY = "only-for-this-test-5Jr2xQm8Vt1LpW9cZy4NbK7sHd3FgA6uEo0RiT"
DATA_KEY = "b25seS1mb3ItdGhpcy10ZXN0LTMyLWJ5dGVzLWxvbmc="


def boom(request):
    raise RuntimeError("boom in gaizao/ledger/views.py: secret-detail-0427")


def refused(request):
    raise PermissionDenied


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


urlpatterns = [  # the test-only URLconf: a view that fails, and everything else gaizao has
    path("test-only/boom/", login_not_required(boom)),
    path("test-only/refused/", refused),
    path("", include("gaizao.urls")),
]


# ---- production settings -----------------------------------------------------------------------------


def run(args: list[str], tmp_path, **env: str) -> subprocess.CompletedProcess:
    """A fresh interpreter with gaizao's settings read from exactly this environment."""
    clean = {name: value for name, value in os.environ.items() if not name.startswith("GAIZAO_")}
    clean |= {
        "GAIZAO_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "gaizao.settings",
        "GAIZAO_DATA_KEY": DATA_KEY,
    }
    return subprocess.run([sys.executable, *args], env=clean | env, capture_output=True, text=True, timeout=120)


def settings_under(tmp_path, **env: str) -> dict:
    names = [
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "X_FRAME_OPTIONS",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_REFERRER_POLICY",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    ]
    code = (
        f"import json; from django.conf import settings as s; print(json.dumps({{n: getattr(s, n) for n in {names}}}))"
    )
    result = run(["-c", code], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = run(
        ["-m", "gaizao.cli", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        GAIZAO_PRODUCTION="true",
        GAIZAO_SECRET_KEY=TEST_KEY,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_without_the_production_settings(tmp_path):
    """The control: the same check does catch a configuration that is not hardened."""
    result = run(
        ["-m", "gaizao.cli", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, GAIZAO_SECRET_KEY=TEST_KEY
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W012" in result.stderr


def test_production_turns_on_https_secure_cookies_and_strict_headers(tmp_path):
    production = settings_under(tmp_path, GAIZAO_PRODUCTION="true", GAIZAO_SECRET_KEY=TEST_KEY)
    assert production == {
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": None,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "X_FRAME_OPTIONS": "DENY",
        "SESSION_COOKIE_HTTPONLY": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
    }


def test_behind_a_proxy_the_forwarded_scheme_is_trusted_and_hsts_and_redirect_can_be_set(tmp_path):
    production = settings_under(
        tmp_path,
        GAIZAO_PRODUCTION="true",
        GAIZAO_SECRET_KEY=TEST_KEY,
        GAIZAO_BEHIND_PROXY="true",
        GAIZAO_HSTS_SECONDS="3600",
        GAIZAO_SSL_REDIRECT="false",
    )
    assert production["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert production["SECURE_HSTS_SECONDS"] == 3600
    assert production["SECURE_SSL_REDIRECT"] is False


def test_development_keeps_http_but_not_the_cookie_and_header_basics(tmp_path):
    development = settings_under(tmp_path)
    assert development["SECURE_HSTS_SECONDS"] == 0 and development["SECURE_SSL_REDIRECT"] is False
    assert development["SESSION_COOKIE_SECURE"] is False
    assert development["SESSION_COOKIE_HTTPONLY"] is True
    assert development["SECURE_REFERRER_POLICY"] == development["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"


@pytest.mark.parametrize(
    "env, message",
    [
        ({"GAIZAO_PRODUCTION": "true"}, "GAIZAO_SECRET_KEY must be set in production"),
        ({"GAIZAO_PRODUCTION": "true", "GAIZAO_SECRET_KEY": TEST_KEY, "GAIZAO_HSTS_SECONDS": "a year"}, "whole number"),
        ({"GAIZAO_PRODUCTION": "true", "GAIZAO_SECRET_KEY": TEST_KEY, "GAIZAO_BEHIND_PROXY": "maybe"}, "true or false"),
    ],
)
def test_a_missing_or_bad_production_setting_stops_the_start(tmp_path, env, message):
    result = run(["-c", "import gaizao.settings"], tmp_path, **env)
    assert result.returncode != 0
    assert message in result.stderr


# ---- error pages ---------------------------------------------------------------------------------------

TRACES = ("Traceback", 'File "', ".py", "RuntimeError", "boom", "secret-detail-0427", "site-packages")


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_an_exception_in_a_view_gives_the_chinese_500_page_without_a_trace():
    """No `db` fixture: the 500 path must work with the database out of reach."""
    client = Client(raise_request_exception=False)  # the real path: the handler answers, the test does not raise

    response = client.get("/test-only/boom/")

    assert response.status_code == 500
    body = response.content.decode()
    assert "系统出错" in body and "/static/gaizao/site.css" in body
    assert [trace for trace in TRACES if trace in body] == []


def test_the_500_and_400_pages_render_without_a_request_or_the_database():
    for template in ("500.html", "400.html"):
        page = render_to_string(template)
        assert 'class="top"' in page and "gaizao/site.css" in page and "返回首页" in page


@override_settings(DEBUG=False)
def test_an_unknown_address_gives_the_chinese_404_page_in_the_sites_layout(world):
    response = world.client(world.alice).get("/no-such-page/")

    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body and "艾丽" in body  # the site's header, with who is logged in
    assert "Not Found" not in body and "Page not found" not in body  # Django's own pages


@override_settings(DEBUG=False)
def test_a_record_out_of_reach_gives_the_same_404_page_and_no_exception_text(world):
    response = world.client(world.bob).get(reverse("ledger:household_detail", args=[world.house_a.pk]))

    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body
    assert "matches the given query" not in body and "Household" not in body


@override_settings(DEBUG=False)
def test_a_refusal_gives_the_chinese_403_page_with_its_reason(world):
    response = world.client(world.lee).get(reverse("ledger:import"))

    assert response.status_code == 403
    body = response.content.decode()
    assert "无权操作" in body and "您无权导入台账" in body


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_refusal_without_a_reason_gives_the_general_403_text(world):
    response = world.client(world.alice).get("/test-only/refused/")
    assert response.status_code == 403
    assert "您没有进行此操作的权限" in response.content.decode()


@override_settings(DEBUG=False)
def test_a_bad_request_gives_the_chinese_400_page():
    response = Client().get("/accounts/login/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    body = response.content.decode()
    assert "请求有误" in body
    assert "evil.example" not in body and "HTTP_HOST" not in body
