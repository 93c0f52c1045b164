"""The surveillance demo's accounts: an epidemiologist at the city CDC (dashboard, review queue,
signals), the reporting doctor of a village clinic and the township health center that enters
cards for its clinics (代报). The network and its data are built by `yizhan.demo.surveillance`,
which `yizhan demo` runs before the systems here; `build` has nothing left to do."""

from collections.abc import Callable

from django.utils.translation import gettext

from yizhan.demo.surveillance import CDC_CODE, TOWNSHIPS, exists, township_code
from yizhan.org.models import Role
from yizhan.surveillance.models import CaseCard, Incident, Signal, SignalState

CHIKAN = township_code(TOWNSHIPS.index("赤坎"))
ACCOUNTS = (
    ("epidemiologist", Role.EPIDEMIOLOGIST, CDC_CODE, "开平市疾控中心 流调人员"),
    ("clinic", Role.REPORTER, f"{CHIKAN}-V1", "赤坎镇中心村卫生站 报告医生"),
    ("township", Role.REPORTER, CHIKAN, "赤坎镇卫生院 报告医生（代报）"),
)


def build(progress: Callable[[str], None] = lambda _line: None) -> dict[str, int]:
    return {}


def report(write: Callable[[str], None]) -> None:
    """The network's figures as the database holds them."""
    if not exists():
        return
    write(gettext("疫情监测：报告卡 %(c)d 张，预警信号 %(s)d 个（待核实 %(o)d），突发事件 %(i)d 起") % {
        "c": CaseCard.objects.count(), "s": Signal.objects.count(),
        "o": Signal.objects.filter(state=SignalState.OPEN).count(), "i": Incident.objects.count()})
