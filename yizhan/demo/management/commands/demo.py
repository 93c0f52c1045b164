"""`yizhan demo`: the demo city on localhost in one command.

Migrates the database, builds the seed city (开平市行政服务中心) when the database has no center yet,
makes the hall's demo accounts and serves Yizhan on 127.0.0.1 at once. The replay of March–October
2010 through the engine, the other demo systems and their accounts are built by `yizhan demo
--no-serve` in a process beside the server (a companion of `yizhan serve`), whose progress the
landing page shows (yizhan.ops.startup); its output goes to the same terminal. A start stopped
midway resumes the replay at the next start. `--no-serve` alone builds everything and returns.

The accounts are for a demonstration on one's own machine only: their passwords are generated on
creation, kept in DATA_DIR/demo-accounts.txt (readable by the owner only) and printed at every start.
Never run the demo on a database that holds real data.

The builder makes the present first — the hall's last eight weeks up to this start
(`yizhan.demo.present`), then every other demo system with its present (`build` and `build_present`
of each app's demo module) and all the demo accounts — so that the screens people open first are
full within minutes; then it replays 2010, and completes the cases the replay leaves open in
November 2010 (`yizhan.demo.replay_leftovers`). While it writes history the periodic schedule is
held (`yizhan.jobs.holds`): a sweep or a detection run over half-written days would record breaches
and alarms that never happened.

Serving uses the production server, exactly as `yizhan serve` (gunicorn with several workers, static
files by WhiteNoise, the background worker with its periodic schedule beside it), bound to 127.0.0.1.
Beside it, unless `--no-simulate`, `yizhan simulate` keeps the city at work (yizhan.demo.simulate)
once the present is built."""

import sys
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from yizhan.demo.accounts import DEMO_ACCOUNTS, accounts_file, all_demo_accounts, ensure_demo_accounts
from yizhan.demo.present import build_present, present_state
from yizhan.demo.queue_groups import ensure_queue_groups
from yizhan.demo.replay_leftovers import complete_leftovers
from yizhan.demo.seed_replay import (
    CENTER_CODE,
    DEFAULT_SEED,
    ReplayError,
    center_exists,
    replay,
    replay_progress,
    start_replay,
    targets_for,
    write_table,
)
from yizhan.demo.systems import systems
from yizhan.jobs import holds
from yizhan.ops import startup
from yizhan.org.models import OrgUnit


class Command(BaseCommand):
    help = (
        "演示：迁移数据库；若还没有行政服务中心，建立开平市行政服务中心；建立演示账号（密码随机生成并显示，仅供本机演示），"
        "立即在 http://127.0.0.1:PORT/ 提供服务，同时在后台重放 2010 年 3–10 月并建立其他演示系统（进度见首页）。"
        "--no-serve：在前台建立全部演示数据后退出。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="端口，默认 8000")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据和账号，不启动服务")
        parser.add_argument("--scale", type=float, default=None, metavar="F",
                            help="重放的工作量比例（0 < F <= 1），默认完整重放")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="N", help="重放生成器的随机种子")
        parser.add_argument("--no-simulate", dest="simulate", action="store_false",
                            help="不在服务旁运行 yizhan simulate（城市不再自己办事）")

    def handle(self, *args, **options) -> None:
        port = options["port"]
        if not 0 < port < 65536:
            raise CommandError(_("--port 须在 1–65535 之间：%(p)s") % {"p": port})
        scale = options["scale"] if options["scale"] is not None else 1.0
        try:
            targets_for(scale)  # refused here, before anything is served or built
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("迁移数据库……"))
        call_command("migrate", interactive=False, verbosity=0)
        if options["no_serve"]:
            self.build(scale, options["seed"])
            return
        self.prepare(scale, options["seed"])
        companions = {"demo-build": [sys.executable, "-m", "yizhan", "demo", "--no-serve", "--scale", repr(scale),
                                     "--seed", str(options["seed"])]}
        if options["simulate"]:
            companions["simulate"] = [sys.executable, "-m", "yizhan", "simulate", "--wait-for-present"]
        self.stdout.write(_("在 http://127.0.0.1:%(p)d/ 提供服务（管理后台 /admin/），按 Ctrl-C 停止。") % {"p": port})
        call_command("serve", port=port, host="127.0.0.1", companions=companions)

    def prepare(self, scale: float, seed: int) -> None:
        """What serving needs first: the center, its queue groups and the hall's accounts (seconds). The
        replay is only marked as started here; the builder beside the server records it."""
        replayed = replay_progress()
        if present_state() != "finished" or replayed is None or not replayed.finished:
            # Held before the worker starts, so that its first tick already waits for the build.
            holds.take(holds.BUILD_REASON)
        if start_replay(scale=scale, seed=seed):
            startup.report(startup.StartupProgress(startup.PRESENT))
            self.stdout.write(_("已建立开平市行政服务中心；2010 年 3–10 月的办件在后台重放（比例 %(s)s），进度见首页。") % {
                "s": scale})
        ensure_queue_groups(OrgUnit.objects.get(code=CENTER_CODE))
        self.write_accounts(ensure_demo_accounts(DEMO_ACCOUNTS))
        self.stdout.write(_("其他演示系统的账号在后台建立完成后列出。"))

    def build(self, scale: float, seed: int) -> None:
        """Everything: the present, the other demo systems with theirs, all accounts, then the replay (or
        the rest of one that stopped) and its leftovers, with the periodic schedule held meanwhile."""
        lease = holds.take(holds.BUILD_REASON)
        # The mails that history sends (the present's signals to the duty epidemiologist, reminders)
        # go to files in DATA_DIR/demo-mail/ when no mail host is set, not to the terminal.
        mail = {} if settings.EMAIL_HOST else {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(Path(settings.DATA_DIR) / "demo-mail")}
        try:
            with override_settings(**mail):
                self.build_held(scale, seed, lease)
        finally:
            holds.release_all(holds.BUILD_REASON)

    def build_held(self, scale: float, seed: int, lease: holds.Lease) -> None:
        self._lease = lease
        start_replay(scale=scale, seed=seed)
        center = OrgUnit.objects.get(code=CENTER_CODE)
        ensure_queue_groups(center)
        if replay_progress() is not None and replay_progress().finished:
            complete_leftovers()  # a city built before the present existed: its 2010 leftovers first
        now = timezone.now()
        if present_state() == "none":
            self.stdout.write(_("建立大厅最近八周至今的当前数据（比例 %(s)s）……") % {"s": scale})
            result = build_present(now, scale=scale, progress=self._progress, on_day=self._present_day)
            self.stdout.write(_("当前数据：%(n)d 件办件、%(e)d 个事件，问责记录 %(a)d 条。") % {
                "n": result.cases, "e": result.events, "a": result.accountability})
        startup.report(startup.StartupProgress(startup.SYSTEMS))
        for system in systems():
            system.build(self._progress)
            if hasattr(system, "build_present"):
                system.build_present(now, self._progress)
            system.report(self._progress)
            lease.renew()
        self.write_accounts(ensure_demo_accounts(all_demo_accounts()))
        startup.report(startup.StartupProgress(startup.REPLAY))
        self.replay_2010(scale, seed)
        startup.report(startup.StartupProgress(startup.FINISHED))
        self.stdout.write(_("演示城市已建成。"))

    def replay_2010(self, scale: float, seed: int) -> None:
        unfinished = replay_progress()
        if unfinished is not None and unfinished.finished:
            unfinished = None
        if center_exists() and unfinished is None:
            self.stdout.write(_("数据库中已有行政服务中心，跳过重放。"))
        else:
            if unfinished is not None and unfinished.last_day is not None:
                # An earlier start was stopped mid-replay: finish it before reporting the city built.
                self.stdout.write(_("上次启动时重放未完成（已完成至 %(d)s），继续重放……") % {"d": unfinished.last_day})
            else:
                self.stdout.write(_("建立演示城市并重放 2010 年 3–10 月（比例 %(s)s）……") % {"s": scale})
            try:
                result = replay(scale=scale, seed=seed, progress=self._progress, resume=unfinished is not None,
                                on_day=self._replayed)
            except ReplayError as exc:
                raise CommandError(str(exc)) from exc
            write_table(self.stdout, result.figures, result.plan)
            self.stdout.write(_("重放用时 %(s).0f 秒，写入审计事件 %(a)d 条。") % {
                "s": result.seconds, "a": result.audit_events})
        closed = complete_leftovers()
        if closed:
            self.stdout.write(_("2010 年 10 月底仍在办理的 %(n)d 件已于 11 月按承诺时限办结。") % {"n": closed})

    def write_accounts(self, accounts: list[tuple[str, str, str, bool]]) -> None:
        self.stdout.write(_("演示账号（仅供本机演示，切勿用于真实数据；密码保存在 %(f)s）：") % {"f": accounts_file()})
        for username, password, label, created in accounts:
            mark = _("新建") if created else _("已有")
            self.stdout.write(f"  {username:<11} {password:<16} {label}（{mark}）")
        self.stdout.flush()

    def _replayed(self, day: date, done: int, planned: int) -> None:
        startup.report(startup.StartupProgress(startup.REPLAY, done=done, total=planned, day=day.isoformat()))
        self._lease.renew()

    def _present_day(self, day: date, done: int, planned: int) -> None:
        startup.report(startup.StartupProgress(startup.PRESENT, done=done, total=planned, day=day.isoformat()))
        self._lease.renew()

    def _progress(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
