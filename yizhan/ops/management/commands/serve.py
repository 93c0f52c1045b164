"""`yizhan serve`: Yizhan under its production server, with the background worker beside it.

The web side is gunicorn (pinned): a pre-fork server in pure Python, so it installs from PyPI on any
machine without a compiler, restarts a worker that dies or hangs, and believes X-Forwarded-Proto
only from the proxies in YIZHAN_TRUSTED_PROXIES (its forwarded_allow_ips), the same list Django uses
for the client address. Yizhan's requests wait on the database, not the CPU, so a faster server core
(granian) would gain little here. Static files are served by WhiteNoise from STATIC_ROOT.

This command supervises two child processes, gunicorn and `yizhan worker`; when either ends, it stops
the other and exits, so that systemd (or whoever started it) sees the failure and restarts both.
A caller may add one-off companions (`yizhan demo` builds its city in one): they run beside the
server, may end at any time without stopping it, and are stopped with it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

STOP_SECONDS = 30


def default_workers() -> int:
    """Web worker processes: YIZHAN_WEB_WORKERS, else two per CPU plus one, at most 8."""
    if value := os.environ.get("YIZHAN_WEB_WORKERS"):
        return int(value)
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def gunicorn_command(bind: str, workers: int, threads: int, timeout: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "yizhan.wsgi:application",
        "--bind", bind, "--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads),
        "--timeout", str(timeout), "--graceful-timeout", str(STOP_SECONDS - 5),
        # A worker is replaced now and then, so that slow leaks never build up.
        "--max-requests", "5000", "--max-requests-jitter", "500",
        "--forwarded-allow-ips", ",".join(settings.YIZHAN_TRUSTED_PROXIES),
        "--access-logfile", "-", "--no-control-socket",
    ]


def unapplied_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    return [f"{m.app_label}.{m.name}" for m, _back in executor.migration_plan(executor.loader.graph.leaf_nodes())]


def ensure_static() -> None:
    """collectstatic when STATIC_ROOT has no manifest yet (scripts/setup normally did it)."""
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)


class Command(BaseCommand):
    help = "以生产服务器（gunicorn，多个工作进程，WhiteNoise 提供静态文件）提供服务，并同时启动后台任务进程。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("YIZHAN_PORT", "8000")),
                            help="端口，默认 8000（或 YIZHAN_PORT）")
        parser.add_argument("--host", default=os.environ.get("YIZHAN_BIND_HOST", "127.0.0.1"),
                            help="监听地址，默认 127.0.0.1（在 nginx 之后时保持不变）")
        parser.add_argument("--workers", type=int, default=None, help="Web 工作进程数（默认每个 CPU 两个再加一，最多 8）")
        parser.add_argument("--threads", type=int, default=int(os.environ.get("YIZHAN_WEB_THREADS", "4")),
                            help="每个 Web 工作进程的线程数，默认 4")
        parser.add_argument("--timeout", type=int, default=120, help="一个请求最长的秒数，超过则重启该工作进程")
        parser.add_argument("--no-worker", dest="worker", action="store_false",
                            help="不启动后台任务进程（它在别处运行时）")
        parser.add_argument("--no-scheduler", dest="scheduler", action="store_false",
                            help="后台任务进程不启动定时任务")

    # Not on the command line: processes that other commands run beside the server (name → argv).
    stealth_options = ("companions",)

    def handle(self, *args, **options) -> None:
        port = options["port"]
        if not 0 < port < 65536:
            raise CommandError(_("--port 须在 1–65535 之间：%(p)s") % {"p": port})
        workers = options["workers"] or default_workers()
        if workers < 1 or options["threads"] < 1:
            raise CommandError(_("--workers 和 --threads 至少为 1"))
        if pending := unapplied_migrations():
            raise CommandError(_("数据库尚未升级（%(n)d 个迁移未执行），请先运行 yizhan migrate") % {"n": len(pending)})
        ensure_static()
        host = options["host"]
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        children = {"web": gunicorn_command(bind, workers, options["threads"], options["timeout"])}
        if options["worker"]:
            children["worker"] = [sys.executable, "-m", "yizhan", "worker"] + (
                [] if options["scheduler"] else ["--no-scheduler"])
        connection.close()  # the children open their own
        self.stdout.write(_("gunicorn 在 http://%(b)s/ 提供服务（%(w)d 个工作进程 × %(t)d 线程）%(j)s") % {
            "b": bind, "w": workers, "t": options["threads"],
            "j": _("，后台任务进程已启动") if options["worker"] else ""})
        self.stdout.flush()
        code = supervise(children, options.get("companions") or {})
        if code:
            sys.exit(code)


def supervise(commands: dict[str, list[str]], companions: dict[str, list[str]] | None = None) -> int:
    """Run the commands; when one ends (or on SIGTERM/SIGINT), stop the others. Returns the exit code:
    0 after a requested stop, else that of the child that ended first. Companions run beside them;
    one that ends is let go (a failure is reported), those still running are stopped with the rest."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "yizhan.settings")}
    procs = {name: subprocess.Popen(cmd, env=env) for name, cmd in commands.items()}
    extra = {name: subprocess.Popen(cmd, env=env) for name, cmd in (companions or {}).items()}
    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        ended = None
        while not stopping and ended is None:
            ended = next((name for name, p in procs.items() if p.poll() is not None), None)
            for name, p in list(extra.items()):
                if p.poll() is not None:
                    if p.returncode:
                        sys.stderr.write(f"yizhan serve: {name} exited with {p.returncode}; still serving\n")
                    del extra[name]
            time.sleep(0.2)
        everyone = [*procs.values(), *extra.values()]
        for p in everyone:
            if p.poll() is None:
                p.terminate()
        deadline = time.monotonic() + STOP_SECONDS
        for p in everyone:
            try:
                p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if stopping:
            return 0
        sys.stderr.write(f"yizhan serve: {ended} exited with {procs[ended].returncode}; stopping\n")
        return procs[ended].returncode or 1
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
