import json

from django.core.management.base import CommandError
from django.utils.translation import gettext_lazy as _

from yizhan.subcommands import import_file, write_json
from yizhan.surveillance.dhis2 import ATOMIC_MODES, STRATEGIES, import_data_value_set

help = _("导入 DHIS2 dataValueSets JSON 汇总病例数，输出 DHIS2 导入摘要（JSON）")
description = _("导入 DHIS2 dataValueSets（idScheme=code：dataElement 为疾病编码，orgUnit 为机构编码，period 为 "
                "20240115、2024W03 或 202401）。输出 DHIS2 导入摘要：status、importCount、conflicts。"
                "默认 atomicMode=ALL：有任何冲突时不写入任何数据。")


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE.json", help=str(_("JSON 文件（- 表示标准输入）")))
    parser.add_argument("--dry-run", action="store_true", help=str(_("只检查和计数，不写入")))
    parser.add_argument("--import-strategy", default="CREATE_AND_UPDATE", choices=STRATEGIES)
    parser.add_argument("--atomic-mode", default="ALL", choices=ATOMIC_MODES)


def run(options: dict, stdout) -> None:
    def load(stream):
        try:
            return json.load(stream)
        except json.JSONDecodeError as exc:
            raise CommandError(_("FILE.json：不是有效的 JSON：%(e)s") % {"e": exc}) from exc

    payload = import_file(options["file"], load)
    result = import_data_value_set(payload, dry_run=options["dry_run"], strategy=options["import_strategy"],
                                   atomic_mode=options["atomic_mode"])
    write_json(stdout, result)
    if result["status"] == "ERROR":
        raise CommandError(_("导入未写入任何数据"))
