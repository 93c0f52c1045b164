"""`yizhan simulate`: the demo city at work (yizhan.demo.simulate). `yizhan demo` starts it beside the
server (unless --no-simulate) with --wait-for-present: it begins once the present is built. Stops on
Ctrl-C or SIGTERM after the action under way, and prints what it did."""

import json
import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from yizhan.calendar.workdays import local_tz
from yizhan.demo.present import present_state
from yizhan.demo.simulate import Simulator


class Command(BaseCommand):
    help = ("模拟城市的日常工作：按种子材料的日均办件量在工作时间里取号叫号、咨询、收件受理、审查办结、评价、投诉，"
            "诊所报告传染病卡、疾控审核和核实信号（都经由相同的服务函数）；工作时间外只有延时服务预约。"
            "--speed N 把节奏加快 N 倍；--until 到该时刻停止；Ctrl-C 或 SIGTERM 在当前动作完成后停止。")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--speed", type=float, default=1.0, metavar="N", help="节奏倍数，默认 1（真实节奏）")
        parser.add_argument("--until", default=None, metavar="TIME",
                            help="停止的时刻（如 2026-12-07T18:00，本地时间），默认一直运行")
        parser.add_argument("--seed", type=int, default=None, metavar="N", help="随机种子")
        parser.add_argument("--around-the-clock", action="store_true",
                            help="任何时刻都按工作时间办事（基准测试的负载）")
        parser.add_argument("--wait-for-present", action="store_true",
                            help="等演示城市的当前数据建好后再开始（yizhan demo 用）")

    def handle(self, *args, **options) -> None:
        if options["speed"] <= 0:
            raise CommandError(_("--speed 须大于 0"))
        until = None
        if options["until"]:
            until = parse_datetime(options["until"])
            if until is None:
                raise CommandError(_("--until 不是有效的时刻：%(v)s") % {"v": options["until"]})
            if timezone.is_naive(until):
                until = until.replace(tzinfo=local_tz())
        simulator = None
        stopping = False

        def stop(signum, frame) -> None:
            nonlocal stopping
            stopping = True
            if simulator is not None:
                simulator.stop()

        for s in (signal.SIGINT, signal.SIGTERM):
            signal.signal(s, stop)
        while options["wait_for_present"] and present_state() != "finished" and not stopping:
            time.sleep(2)
        if stopping:
            return
        simulator = Simulator(speed=options["speed"], seed=options["seed"],
                              around_the_clock=options["around_the_clock"])
        self.stdout.write(_("模拟开始（节奏 ×%(s)s）。") % {"s": options["speed"]})
        self.stdout.flush()
        stats = simulator.run(until=until)
        self.stdout.write(json.dumps(stats.as_dict(), ensure_ascii=False))
