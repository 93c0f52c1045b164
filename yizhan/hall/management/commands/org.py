"""`yizhan org import-staff FILE.csv`: staff and their roles from a file.

The command sits in the hall app because the hall keeps each person's badge number
(`hall.StaffProfile`); the organisation app itself imports nothing of the others."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _

from yizhan.errors import RuleError
from yizhan.hall.commands import FILE_ARGUMENT_HELP, import_file
from yizhan.hall.staff_csv import import_staff

IMPORT_STAFF_HELP = _(
    "从 CSV 导入工作人员及其角色。表头：username,name,role,unit_code,badge_no,phone,email；同一人有多个角色时"
    "写多行。按用户名新增或更新，角色只增不减。任何一行有错时列出所有出错的行号和字段，不写入任何数据。"
)


class Command(BaseCommand):
    help = _("组织机构与人员：导入工作人员（import-staff）。")

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = str(type(self).help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser) -> None:
        subparsers = parser.add_subparsers(dest="subcommand", metavar="SUB-COMMAND", required=True)
        sub = subparsers.add_parser("import-staff", help=str(IMPORT_STAFF_HELP), description=str(IMPORT_STAFF_HELP))
        sub.add_argument("file", metavar="FILE.csv", help=str(FILE_ARGUMENT_HELP))

    def handle(self, *args, **options) -> None:
        try:
            result = import_file(options["file"], import_staff)
        except RuleError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(result))
