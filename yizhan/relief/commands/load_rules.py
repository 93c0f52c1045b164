from django.utils.translation import gettext_lazy as _

from yizhan.relief.rules import load_rules
from yizhan.subcommands import import_file

help = _("载入一个版本的基金管理办法（JSON：fund,version,title,effective_from,illnesses,materials,上限）")


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE", help=str(_("JSON 文件（- 表示标准输入）")))


def run(options: dict, stdout) -> None:
    rules = import_file(options["file"], lambda stream: load_rules(stream, actor_label="relief load-rules"))
    stdout.write(_("已载入 %(t)s（%(v)s），自 %(d)s 起施行") % {
        "t": rules.title, "v": rules.version, "d": rules.effective_from.isoformat()})
