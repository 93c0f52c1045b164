import json
from datetime import date, timedelta
from io import StringIO

import numpy as np
import pytest
from django.core import mail
from django.core.management import call_command

from tests.factories import at
from yizhan.errors import InvalidInput
from yizhan.jobs.sms import SMSSender
from yizhan.surveillance.counts import daily_panel, weekly_panel
from yizhan.surveillance.detection import run_detection
from yizhan.surveillance.figures import signal_figures
from yizhan.surveillance.models import AggregateCount, DetectorConfig, Disease, Duty, Incident, Signal, SignalState
from yizhan.surveillance.signals import respond

from .conftest import LONGTANG, card, report, resident_id


class MemorySender(SMSSender):
    """Keeps the messages the detection run sends, for the assertions below."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        MemorySender.outbox.append((phone, text))



def cholera(network, day: date, n: int = 0):
    return report(card(disease="A00", subtype="", name=f"病人{n}", id_number=resident_id(date(1970, 1, 1 + n)),
                            onset_date=day.isoformat(), diagnosed_at=f"{day}T08:00", reported_at=f"{day}T09:00"),
                       unit=network["V0101"])


def test_counts_by_unit_level_and_week(network):
    cholera(network, date(2024, 3, 4))
    cholera(network, date(2024, 3, 5), 1)
    d = Disease.objects.get(code="A00")
    townships = [network["T01"], network["T02"]]
    panel = daily_panel(d, townships, date(2024, 3, 4), date(2024, 3, 5))
    assert panel.tolist() == [[1, 0], [1, 0]]
    assert daily_panel(d, [network["CDC"]], date(2024, 3, 4), date(2024, 3, 5), basis="review").sum() == 0
    mondays, weeks = weekly_panel(d, townships, date(2024, 3, 4), date(2024, 3, 10))
    assert mondays == [date(2024, 3, 4)] and weeks.tolist() == [[2, 0]]


def test_single_case_alert_signals_notifies_and_opens_a_two_hour_verification(network, people, settings):
    settings.YIZHAN_SMS_BACKEND = "tests.surveillance.test_detection.MemorySender"
    MemorySender.outbox.clear()
    Duty.objects.create(unit=network["CDC"], user=people["epi"], phone="13800000000", first_day=date(2024, 1, 1),
                        last_day=date(2024, 12, 31))
    cholera(network, date(2024, 3, 4))
    run, ran, opened = run_detection(date(2024, 3, 4), at=at("2024-03-05 00:30"))
    assert ran and len(opened) == 1
    signal = opened[0]
    assert (signal.disease.code, signal.unit.code, signal.method) == ("A00", "V0101", "fixed")
    alarm = signal.alarms.get()
    assert (alarm.observed, alarm.threshold, alarm.expected) == (1, 1.0, None)
    assert signal.timer.limit_amount == 2 and signal.timer.responsible_user == people["epi"]
    assert mail.outbox[-1].to == ["epi@cdc.example.org"] and "霍乱" in mail.outbox[-1].subject
    assert MemorySender.outbox[-1][0] == "13800000000"
    # The same day again: nothing new.
    _run, ran_again, none = run_detection(date(2024, 3, 4))
    assert not ran_again and none == [] and Signal.objects.count() == 1


def test_repeat_alarms_attach_to_an_open_or_recently_excluded_signal(network, people):
    cholera(network, date(2024, 3, 4))
    run_detection(date(2024, 3, 4))
    cholera(network, date(2024, 3, 5), 1)
    run_detection(date(2024, 3, 5))
    signal = Signal.objects.get()
    assert signal.alarms.count() == 2
    with pytest.raises(InvalidInput):
        respond(signal, SignalState.EXCLUDED, actor=people["epi"], reason="")
    respond(signal, SignalState.EXCLUDED, actor=people["epi"], reason="输入错误，非霍乱", at=at("2024-03-05 10:00"))
    cholera(network, date(2024, 3, 9), 2)
    run_detection(date(2024, 3, 9))
    assert Signal.objects.count() == 1 and signal.alarms.count() == 3
    cholera(network, date(2024, 3, 20), 3)
    run_detection(date(2024, 3, 20))
    assert Signal.objects.count() == 2


def test_confirmed_outbreak_opens_an_incident(network, people):
    cholera(network, date(2024, 3, 4))
    _run, _ran, (signal,) = run_detection(date(2024, 3, 4), at=at("2024-03-05 00:30"))
    signal, incident = respond(signal, SignalState.CONFIRMED, actor=people["epi"], at=at("2024-03-05 01:00"))
    assert signal.timer.stopped_at == at("2024-03-05 01:00") and not signal.timer.overdue_at_stop
    assert isinstance(incident, Incident) and incident.signal == signal and incident.state == "event"


def seed_flu(network, last: date, outbreak: int):
    rng = np.random.default_rng(4)
    flu = Disease.objects.get(code="J11")
    first = last - timedelta(days=3 * 365 + 20)
    rows = []
    for i in range((last - first).days + 1):
        day = first + timedelta(days=i)
        value = int(rng.poisson(2)) + (outbreak if (last - day).days < 7 else 0)
        rows.append(AggregateCount(disease=flu, unit=network["V0201"], period=day.strftime("%Y%m%d"),
                                   period_type="Daily", start=day, end=day, value=value))
    AggregateCount.objects.bulk_create(rows)


def test_mpm_finds_an_injected_outbreak_per_township(network, people):
    seed_flu(network, date(2024, 3, 10), outbreak=6)
    _run, _ran, opened = run_detection(date(2024, 3, 10))
    [signal] = [s for s in opened if s.disease.code == "J11"]
    alarm = signal.alarms.get()
    assert signal.unit.code == "T02" and signal.method == "mpm" and signal.timer.limit_amount == 24
    assert alarm.observed > alarm.threshold > alarm.expected
    assert signal_figures(date(2024, 3, 1), date(2024, 3, 31))["by_method"] == {"mpm": 1}


def test_a_threshold_tuned_for_one_unit_applies_there_only(network):
    cholera_ = Disease.objects.get(code="A00")
    DetectorConfig.objects.create(disease=cholera_, level="village", unit=network["V0101"], method="fixed",
                                  params={"threshold": 2})
    cholera(network, date(2024, 3, 4))
    report(card(disease="A00", subtype="", name="丁", id_number=resident_id(date(1960, 2, 2)),
                     onset_date="2024-03-04", diagnosed_at="2024-03-04T08:00", reported_at="2024-03-04T09:00",
                     address_division=LONGTANG), unit=network["V0201"])
    run_detection(date(2024, 3, 4))
    assert list(Signal.objects.values_list("unit__code", flat=True)) == ["V0201"]


def test_signals_and_figures_commands(network, people):
    cholera(network, date(2024, 3, 4))
    call_command("surveillance", "detect", "--date", "2024-03-04", stdout=StringIO())
    signal = Signal.objects.get()
    respond(signal, SignalState.SUSPECTED, actor=people["epi"], at=signal.opened_at + timedelta(hours=1))
    out = StringIO()
    call_command("surveillance", "signals", "--json", stdout=out)
    [row] = json.loads(out.getvalue())
    assert row["disease"] == "A00" and row["state"] == "suspected" and row["observed"] == 1
    out = StringIO()
    call_command("surveillance", "figures", "--from", "2024-03-01", "--to", "2024-03-07", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["signals"] == 1 and figures["responded_share"] == 1.0
    assert figures["median_response_hours"] == 1.0 and figures["responded_within_24h_share"] == 1.0
    assert figures["suspected_share"] == 1.0 and figures["outbreak_share"] == 0.0
    assert figures["signals_per_unit_per_week"] == {"V0101": 1.0}
    out = StringIO()
    call_command("surveillance", "detect", "--date", "2024-03-04", stdout=out)
    assert "已于" in out.getvalue()
