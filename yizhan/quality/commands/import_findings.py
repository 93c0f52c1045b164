from django.utils.translation import gettext_lazy as _l

from yizhan.quality.commands._common import plan_of
from yizhan.quality.findings_csv import import_findings
from yizhan.subcommands import FILE_ARGUMENT_HELP, import_file

help = _l("从 CSV 导入一个审核计划的审核发现")
description = _l("表头：department_code,kind,clause,description；kind 为 nonconformity 或 observation，clause 为标准条款。"
                 "任何一行有错时列出所有出错的行号和字段，不写入任何数据。")


def add_arguments(parser) -> None:
    parser.add_argument("plan", metavar="PLAN", help=_l("审核计划编码"))
    parser.add_argument("file", metavar="FILE.csv", help=FILE_ARGUMENT_HELP)


def run(options: dict, stdout) -> None:
    plan = plan_of(options["plan"])
    stdout.write(str(import_file(options["file"], lambda stream: import_findings(plan, stream))))
