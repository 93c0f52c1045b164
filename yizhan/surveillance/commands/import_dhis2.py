import json

from django.core.management.base import CommandError
from django.utils.translation import gettext_lazy as _

from yizhan.csvrows import read_text
from yizhan.subcommands import import_file, write_json
from yizhan.surveillance.dhis2 import ATOMIC_MODES, STRATEGIES, import_data_value_set, read_csv
from yizhan.surveillance.dhis2.webmessage import web_message

help = _("导入 DHIS2 dataValueSets（JSON 或 CSV）汇总病例数，输出 DHIS2 的 WebMessage 与导入摘要（JSON）")
description = _("导入 DHIS2 dataValueSets（idScheme=code：dataElement 为疾病编码，orgUnit 为机构编码，period 为 "
                "DHIS2 的任一期间格式，如 20240115、2024W3、202401、2024Q1；categoryOptionCombo、attributeOptionCombo 为"
                "管理后台“DHIS2 选项组合”的编码）。文件名以 .csv 结尾的按 DHIS2 的 CSV 列顺序读取。输出 DHIS2 的 WebMessage："
                "httpStatusCode、status、response（importCount、conflicts）。默认 atomicMode=ALL：有任何冲突时不写入任何数据。")


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE.json", help=str(_("JSON 或 CSV 文件（- 表示标准输入，按 JSON 读取）")))
    parser.add_argument("--dry-run", action="store_true", help=str(_("只检查和计数，不写入")))
    parser.add_argument("--import-strategy", default="CREATE_AND_UPDATE", choices=STRATEGIES)
    parser.add_argument("--atomic-mode", default="ALL", choices=ATOMIC_MODES)


def run(options: dict, stdout) -> None:
    def load(stream):
        if options["file"].lower().endswith(".csv"):
            return read_csv(read_text(stream))
        try:
            return json.load(stream)
        except json.JSONDecodeError as exc:
            raise CommandError(_("FILE.json：不是有效的 JSON：%(e)s") % {"e": exc}) from exc

    payload = import_file(options["file"], load)
    result = web_message(import_data_value_set(payload, dry_run=options["dry_run"],
                                               strategy=options["import_strategy"], atomic_mode=options["atomic_mode"]))
    write_json(stdout, result)
    if result["status"] == "ERROR":
        raise CommandError(_("导入未写入任何数据"))
