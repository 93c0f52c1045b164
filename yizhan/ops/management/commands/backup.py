from pathlib import Path

from django.core.management.base import BaseCommand

from yizhan.ops.backup import backup


class Command(BaseCommand):
    help = "备份数据库到 FILE（PostgreSQL 用 pg_dump 自定义格式，SQLite 用在线备份），服务无需停止。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="备份文件（如 /var/backups/yizhan/2026-12-02.dump）")

    def handle(self, *args, **options) -> None:
        path = backup(options["file"])
        self.stdout.write(f"{path} ({path.stat().st_size} bytes)")
