"""`yizhan worker`: runs the background jobs and the periodic schedule (`yizhan serve` starts one)."""

from django.core.management.base import BaseCommand

from yizhan.jobs.registry import REGISTRY
from yizhan.jobs.worker import backend_kind, run_worker


class Command(BaseCommand):
    help = "后台任务进程：执行队列中的任务（数据库队列或 Redis/RQ），并按周期启动定时任务（预警提醒、问责扫描等）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-scheduler", dest="scheduler", action="store_false",
                            help="不启动定时任务（另有进程负责时）")
        parser.add_argument("--batch", action="store_true", help="执行完队列中已有的任务即退出")
        parser.add_argument("--max-tasks", type=int, default=None, metavar="N", help="执行 N 个任务后退出")
        parser.add_argument("--interval", type=float, default=1.0, metavar="S", help="队列空时每隔 S 秒查看一次")

    def handle(self, *args, **options) -> None:
        jobs = ", ".join(sorted(REGISTRY)) or "-"
        self.stdout.write(f"worker: {backend_kind()} queue; jobs: {jobs}")
        self.stdout.flush()
        run_worker(scheduler=options["scheduler"], batch=options["batch"], max_tasks=options["max_tasks"],
                   interval=options["interval"])
