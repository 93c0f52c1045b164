import time

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from yizhan.errors import InvalidInput
from yizhan.hall.case_import import import_cases
from yizhan.hall.commands import FILE_ARGUMENT_HELP, import_file

help = "从 CSV 导入历史办件（经同一办件引擎重放，计时、审计和统计与现场办理一致）"
description = (
    "从原系统的 CSV 导入办件。表头：case_no,matter_code,window_code,received_at,accepted_at,completed_at,outcome，"
    "可选 green_channel（0/1）、applicant_id（居民身份证号码或统一社会信用代码）、reason、legal_basis。"
    "时间为 ISO 8601 本地时间，未到该环节的留空。outcome：approved、refused、refused_to_accept、withdrawn，"
    "在办的留空；不予受理和撤回的时间填在 completed_at。每件办件按记录的时间经办件引擎重放（受理、审查、决定、"
    "办结），产生与现场办理相同的计时、问责记录和统计数字。文件中有否办时须用 --handler 和 --reviewer 指定"
    "登记人和把关人（部门负责人或大厅督查）。先检查全部行，任何一行有错则列出所有出错的行号和字段，不写入任何数据。"
    "写入分批进行，每批一个事务；中断后再次运行同一命令，会跳过已导入的办件并完成其余部分。"
)


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE.csv", help=FILE_ARGUMENT_HELP)
    parser.add_argument("--handler", metavar="USERNAME", help="登记否办的工作人员（文件中有否办时必填）")
    parser.add_argument("--reviewer", metavar="USERNAME",
                        help="确认否办的部门负责人或大厅督查，须与登记人不同（文件中有否办时必填）")


def _user(options: dict, name: str):
    username = options.get(name)
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("--%(option)s：用户不存在或已停用：%(v)s") % {"option": name, "v": username})
    return user


def run(options: dict, stdout) -> None:
    handler, reviewer = _user(options, "handler"), _user(options, "reviewer")
    started = time.perf_counter()
    try:
        result = import_file(options["file"], lambda stream: import_cases(stream, handler=handler, reviewer=reviewer))
    except InvalidInput as exc:
        if exc.field in ("handler", "reviewer"):
            raise CommandError(f"--{exc.field}：{exc.message}") from exc
        raise
    elapsed = time.perf_counter() - started
    stdout.write(str(result))
    if result.created and elapsed > 0:
        stdout.write(_("用时 %(s).1f 秒，每秒 %(r).0f 件") % {"s": elapsed, "r": result.created / elapsed})
