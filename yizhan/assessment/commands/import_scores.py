from django.utils.translation import gettext_lazy as _l

from yizhan.assessment.commands._common import round_of
from yizhan.assessment.scores_csv import import_scores
from yizhan.subcommands import FILE_ARGUMENT_HELP, import_file

help = _l("从 CSV 导入一个考核轮次的得分")
description = _l("表头：unit_code,indicator_code,score[,evidence_note,evidence_ref]。得分不能超过指标满分，扣分须写明考核记录。"
                 "任何一行有错时列出所有出错的行号和字段，不写入任何数据。")


def add_arguments(parser) -> None:
    parser.add_argument("round", metavar="ROUND", help=_l("考核轮次编码"))
    parser.add_argument("file", metavar="FILE.csv", help=FILE_ARGUMENT_HELP)


def run(options: dict, stdout) -> None:
    found = round_of(options["round"])
    stdout.write(str(import_file(options["file"], lambda stream: import_scores(found, stream))))
