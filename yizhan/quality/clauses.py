"""The clauses of the standard the CDC's laboratory quality system follows: GB/T 27025-2008
(ISO/IEC 17025:2005), sections 4 (management) and 5 (technical). A finding names a clause or one of
its sub-clauses ("4.13" or "4.13.2.1"); figures group findings by the main clause."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from yizhan.errors import InvalidInput

STANDARD = "GB/T 27025-2008"
CLAUSES = {
    "4.1": _l("组织"), "4.2": _l("管理体系"), "4.3": _l("文件控制"), "4.4": _l("要求、标书和合同的评审"),
    "4.5": _l("检测和校准的分包"), "4.6": _l("服务和供应品的采购"), "4.7": _l("服务客户"), "4.8": _l("投诉"),
    "4.9": _l("不符合检测和/或校准工作的控制"), "4.10": _l("改进"), "4.11": _l("纠正措施"), "4.12": _l("预防措施"),
    "4.13": _l("记录的控制"), "4.14": _l("内部审核"), "4.15": _l("管理评审"),
    "5.1": _l("技术要求总则"), "5.2": _l("人员"), "5.3": _l("设施和环境条件"), "5.4": _l("检测和校准方法及方法的确认"),
    "5.5": _l("设备"), "5.6": _l("测量溯源性"), "5.7": _l("抽样"), "5.8": _l("检测和校准物品的处置"),
    "5.9": _l("检测和校准结果质量的保证"), "5.10": _l("结果报告"),
}
_CLAUSE = re.compile(r"[45]\.[0-9]{1,2}(\.[0-9]{1,2}){0,2}")


def main_clause(clause: str) -> str:
    return ".".join(clause.split(".")[:2])


def check_clause(value: str, *, field: str = "clause") -> str:
    """`value` as a clause of the standard, or InvalidInput naming `field`."""
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("条款不能为空"), field=field, rule="required")
    if not _CLAUSE.fullmatch(value) or main_clause(value) not in CLAUSES:
        raise InvalidInput(_("%(std)s 没有条款 %(v)s（如 4.13 或 5.5.2）") % {"std": STANDARD, "v": value[:20]},
                           field=field, rule="unknown_clause")
    return value
