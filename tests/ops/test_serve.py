"""`yizhan serve` as an operator runs it: separate processes (gunicorn's workers and the task worker)
on a scratch database, answered over real HTTP on 127.0.0.1. Each server is bounded in time."""

import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.ops.conftest import ROOT, free_port, wait_for

pytestmark = pytest.mark.slow
HOST = "yizhan.example.test"
# The lookup's allowance per day instead of per minute, so that no window turns while a slow machine
# sends the requests.
DAILY = "60/d"
PRODUCTION = {"YIZHAN_ALLOWED_HOSTS": HOST, "YIZHAN_SECRET_KEY": "k" * 10 + "Qz8-p1Ww9_xR4tLm3Nb7Vc2Hd6Js5Gf0Ka" * 2}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={k.replace("_", "-"): v for k, v in headers.items()})
    try:
        with OPENER.open(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class Server:
    def __init__(self, scratch, tmp_path, *args: str, command: tuple[str, ...] = ("serve",), **env: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / f"serve-{self.port}.log"
        with open(self.log, "w") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "yizhan", *command, "--port", str(self.port), *args],
                env={**scratch.env(YIZHAN_WEB_WORKERS="2", YIZHAN_WEB_THREADS="2"), **env}, cwd=ROOT, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True)

    def answering(self) -> bool:
        assert self.proc.poll() is None, self.log.read_text()
        try:
            return get(self.base + "/", Host=HOST)[0] > 0
        except OSError:
            return False

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(45)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            raise


@pytest.fixture
def serve(migrated, tmp_path):
    servers = []

    def start(*args: str, command: tuple[str, ...] = ("serve",), wait: float = 90, **env: str) -> Server:
        server = Server(migrated, tmp_path, *args, command=command, **env)
        servers.append(server)
        wait_for(server.answering, wait, "the server answers")
        return server

    yield start
    for server in servers:
        if server.proc.poll() is None:
            os.killpg(server.proc.pid, signal.SIGKILL)


def test_serve_answers_with_gunicorn_whitenoise_a_shared_rate_limit_and_scheduled_jobs(serve, migrated):
    server = serve(YIZHAN_PUBLIC_LOOKUP_RATE=DAILY)
    status, headers, body = get(server.base + "/")
    assert status == 200 and headers["Server"] == "gunicorn" and "一站" in body.decode()
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in headers  # loopback only: the demo speaks plain HTTP
    login = get(server.base + "/admin/login/")[2].decode()
    css = re.search(r'/static/admin/css/base\.[0-9a-f]{12}\.css', login)
    assert css, "hashed static names (collectstatic's manifest)"
    status, headers, body = get(server.base + css.group(0), Accept_Encoding="gzip")
    assert status == 200 and headers.get("Content-Encoding") == "gzip"
    assert "immutable" in headers["Cache-Control"]
    # One count for the one real address, shared by 2 web processes x 2 threads; the forged
    # X-Forwarded-For of each request is ignored (no proxy is trusted). A lookup without the last
    # four digits is refused (422) and still counts.
    def lookup(i: int) -> int:
        return get(server.base + "/api/public/cases/KP-20100301-00001", X_Forwarded_For=f"198.51.100.{i}")[0]

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lookup, range(72)))
    assert (codes.count(422), codes.count(429)) == (60, 12)
    status, headers, body = get(server.base + "/api/public/cases/KP-20100301-00001")
    assert status == 429 and int(headers["Retry-After"]) >= 1 and b"rate_limited" in body
    # The worker beside the web processes starts the periodic jobs of the current period.
    wait_for(lambda: migrated.query(
        "select count(*) from jobs_jobrun where job = 'hall.accountability_sweep' and status = 'succeeded'")[0][0],
        90, "the scheduled sweep ran")
    assert migrated.query("select count(*) from jobs_periodicrun where job = 'hall.warning_reminders'")[0][0] == 1
    assert server.stop() == 0


def test_behind_a_trusted_proxy_https_is_enforced_and_addresses_are_the_clients(serve):
    server = serve("--no-worker", YIZHAN_TRUSTED_PROXIES="127.0.0.1", YIZHAN_PUBLIC_LOOKUP_RATE=DAILY, **PRODUCTION)
    status, headers, _body = get(server.base + "/", Host=HOST)
    assert status == 301 and headers["Location"] == f"https://{HOST}/"
    status, headers, _body = get(server.base + "/", Host=HOST, X_Forwarded_Proto="https")
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "Secure" in headers["Set-Cookie"] and "HttpOnly" not in headers["Set-Cookie"].split(";")[0]
    url = server.base + "/api/public/cases/KP-20100301-00001"
    proxied = {"Host": HOST, "X_Forwarded_Proto": "https"}
    codes = [get(url, X_Forwarded_For="203.0.113.5", **proxied)[0] for _ in range(61)]
    assert codes.count(422) == 60 and codes[-1] == 429
    # Another client behind the same proxy has its own allowance; a forged left-hand entry changes nothing.
    assert get(url, X_Forwarded_For="203.0.113.6", **proxied)[0] == 422
    assert get(url, X_Forwarded_For="10.9.9.9, 203.0.113.5", **proxied)[0] == 429
    assert server.stop() == 0


@pytest.mark.once_on_sqlite  # the demo as README serves it
def test_the_demo_serves_at_once_and_builds_its_city_beside_the_server(serve, migrated):
    server = serve("--scale", "0.02", command=("demo",), wait=240)
    status, headers, body = get(server.base + "/")
    assert status == 200 and headers["Server"] == "gunicorn"
    # The first page answers while the city is still being built, and says so.
    assert 'id="startup-progress"' in body.decode()
    assert "clerk" in server.log.read_text()  # the hall's accounts are printed before serving
    wait_for(lambda: "演示城市已建成" in server.log.read_text(), 600, "the demo city was built")
    status, _headers, body = get(server.base + "/")
    assert status == 200 and 'id="startup-progress"' not in body.decode()
    assert migrated.query("select count(*) from audit_auditevent where action = 'demo.replay.finished'")[0][0] == 1
    assert migrated.query("select count(*) from hall_case")[0][0] > 0
    # The other systems' accounts come with the build; the server goes on serving after it.
    assert migrated.query("select count(*) from auth_user where username = 'epidemiologist'")[0][0] == 1
    assert get(server.base + "/")[0] == 200
    wait_for(lambda: "worker: database queue" in server.log.read_text(), 60, "the worker started")
    # Its clock stands in 2010: the worker runs queued jobs but starts no periodic sweep at today's date.
    assert migrated.query("select count(*) from jobs_periodicrun")[0][0] == 0
    assert server.stop() == 0


def test_serve_refuses_a_database_that_is_not_migrated(scratch):
    done = scratch.yizhan("serve", "--port", str(free_port()), timeout=120)
    assert done.returncode != 0 and "yizhan migrate" in done.stderr


def deploy_check(scratch, **env: str) -> set[str]:
    done = scratch.yizhan("check", "--deploy", timeout=120, **env)
    return set(re.findall(r"\(([\w.]+\.[EWI]\d+)\)", done.stdout + done.stderr))


def test_check_deploy_is_clean_for_a_real_host_with_debug_off(scratch):
    envs = {"production": PRODUCTION, "debug": {"YIZHAN_DEBUG": "1", **PRODUCTION}, "loopback": {}}
    with ThreadPoolExecutor(3) as pool:
        found = dict(zip(envs, pool.map(lambda env: deploy_check(scratch, **env), envs.values()), strict=True))
    # The calendar's notice that next year's State Council schedule is not published yet is data, not
    # configuration; it is the only message allowed.
    assert found["production"] <= {"yizhan.calendar.W001"}
    assert "security.W018" in found["debug"]
    # Loopback only (the demo): plain HTTP, and check says so.
    assert {"security.W004", "security.W008", "security.W012", "security.W016"} <= found["loopback"]
