"""The demo's surveillance network: built through the services, with signals, open verification
items, the seed's three incidents and figures to show."""

from datetime import date

from django.contrib.auth import get_user_model

from yizhan.org.models import OrgUnit, StaffRole
from yizhan.surveillance import demo
from yizhan.surveillance.figures import signal_figures
from yizhan.surveillance.incidents import seven_one_seven
from yizhan.surveillance.models import Alarm, CardState, CaseCard, Incident, SentinelResult, Signal, SignalState
from yizhan.surveillance.quality import quality
from yizhan.surveillance.sentinel import prevalence_table


def test_the_demo_network_shows_signals_incidents_and_figures(db):
    made = demo.build()
    assert made["units"] == 1 + 14 + 14 * 3
    assert demo.build() == {}  # a second start builds nothing
    cdc = OrgUnit.objects.get(code=demo.CDC_CODE)
    assert cdc.children.count() == 14
    # The injected outbreaks are found where they were put.
    chikan = OrgUnit.objects.get(name="赤坎镇卫生院")
    assert Alarm.objects.filter(signal__disease__code="A09", signal__unit=chikan, day__range=(date(2010, 5, 12),
                                date(2010, 5, 20)), observed__gte=15).exists()
    outbreak_signal = Alarm.objects.filter(signal__disease__code="A09", signal__unit=chikan,
                                           day=date(2010, 5, 14)).get().signal
    assert outbreak_signal.state == SignalState.SUSPECTED
    assert Signal.objects.filter(state=SignalState.OPEN).exists()
    assert Signal.objects.filter(state=SignalState.EXCLUDED).exclude(reason="").exists()
    titles = set(Incident.objects.values_list("title", flat=True))
    assert {"潭江赤坎段水污染事件", "三埠某酒家食物中毒事件", "长沙某饭店食物中毒事件"} == titles
    river = Incident.objects.get(kind="water_pollution")
    assert any(s.exceeds for s in river.samples.all()) and not river.samples.order_by("-taken_at").first().exceeds
    assert river.cases.exists() and seven_one_seven(river)["notification"]["met"]
    assert CaseCard.objects.filter(state=CardState.DELETED).exclude(kept_card=None).count() == 1
    assert CaseCard.objects.exclude(entered_by_unit=None).exists()
    q = quality(cdc, date(2010, 1, 1), date(2010, 12, 31))
    assert q.cards == made["cards"] and 0 < q.timely_report_rate < 1 and q.duplicates_deleted == 1
    figures = signal_figures(date(2010, 5, 1), date(2010, 9, 30))
    assert figures["signals"] == made["signals"] and 0 < figures["responded_share"] < 1
    assert SentinelResult.objects.count() == 16
    assert {r["group"] for r in prevalence_table()} == {"drug_users", "sex_workers", "pregnant", "other"}
    # Its demo accounts (made by `yizhan demo` after every system is built): each unit is in the
    # network, and each person sees it from there.
    people = {}
    for username, role, code, label in demo.ACCOUNTS:
        people[username] = get_user_model().objects.create_user(username, first_name=label)
        StaffRole.objects.create(user=people[username], role=role, unit=OrgUnit.objects.get(code=code))
    assert Signal.objects.restrict(people["epidemiologist"]).count() == made["signals"]
    # The clinic sees its own cards and those of patients living in its village, whoever reported them.
    seen = CaseCard.objects.restrict(people["clinic"]).select_related("reporting_unit", "residence_unit")
    assert seen and all("赤坎镇中心村卫生站" in (c.reporting_unit.name, c.residence_unit.name) for c in seen)
    assert CaseCard.objects.restrict(people["township"]).filter(entered_by_unit__name="赤坎镇卫生院").exists()
    lines = []
    demo.report(lines.append)
    assert lines == [f"疫情监测：报告卡 {CaseCard.objects.count()} 张，预警信号 {made['signals']} 个"
                     f"（待核实 {Signal.objects.filter(state='open').count()}），突发事件 3 起"]
