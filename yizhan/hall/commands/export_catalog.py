from pathlib import Path

from django.utils.translation import gettext_lazy as _

from yizhan.hall.catalog_csv import export_catalog

help = _("把事项目录导出为 CSV（与导入格式相同）")
description = _("把事项目录导出为 CSV，列与 import-catalog 相同，可直接再导入。不给文件名时输出到屏幕。")


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE.csv", nargs="?", default="-", help=_("输出文件（默认输出到屏幕）"))


def run(options: dict, stdout) -> None:
    if options["file"] == "-":
        export_catalog(stdout)
        return
    with Path(options["file"]).open("w", encoding="utf-8", newline="") as out:
        count = export_catalog(out)
    stdout.write(_("%(n)d 个事项 → %(f)s") % {"n": count, "f": options["file"]})
