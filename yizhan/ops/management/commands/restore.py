from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yizhan.errors import RuleError
from yizhan.ops.backup import restore


class Command(BaseCommand):
    help = "用备份文件 FILE 替换当前数据库的全部内容（先停止 yizhan serve 和 yizhan worker；之后运行 yizhan migrate）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="yizhan backup 写出的备份文件")
        parser.add_argument("--yes", action="store_true", help="确认替换（否则不做任何事）")

    def handle(self, *args, **options) -> None:
        if not options["yes"]:
            raise CommandError(_("恢复会替换数据库中的全部数据：请加 --yes 确认"))
        try:
            restore(options["file"])
        except RuleError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored from {options['file']}")
