from django.utils.translation import gettext_lazy as _

from yizhan.subcommands import write_json
from yizhan.surveillance.catalog import catalog_rows

help = _("列出法定传染病目录（编码、中英文名称、类别、报告时限、默认预警方法）")


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true", help=str(_("输出 JSON")))


def run(options: dict, stdout) -> None:
    rows = catalog_rows()
    if options["json"]:
        write_json(stdout, rows)
        return
    for r in rows:
        stdout.write(f"{r['code']:<9} {r['name']}\t{r['name_en']}\t{r['class_label']}\t{r['report_hours']}h\t"
                     f"{r['default_method']}")
