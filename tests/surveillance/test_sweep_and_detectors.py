"""Accountability for the surveillance clocks (the sweep command and its scheduled job) and the one
detector setting per disease and level (or unit), refused with the field named on both databases."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import at
from yizhan.audit.models import AuditEvent
from yizhan.clock.models import AccountabilityRecord
from yizhan.errors import InvalidInput
from yizhan.jobs.registry import REGISTRY
from yizhan.surveillance.accountability import sweep
from yizhan.surveillance.detection import run_detection
from yizhan.surveillance.models import DetectorConfig, Disease, Signal, SignalState
from yizhan.surveillance.signals import respond

from .conftest import card, report


def single_case_signal(network) -> Signal:
    report(card(disease="A00", subtype="", onset_date="2024-03-04", diagnosed_at="2024-03-04T08:00",
                     reported_at="2024-03-04T09:00"), unit=network["V0101"])
    _run, _ran, (signal,) = run_detection(date(2024, 3, 4), at=at("2024-03-04 23:00"))
    return signal


def test_an_overdue_verification_gets_one_accountability_record_naming_who_was_responsible(network, people):
    signal = single_case_signal(network)  # two hours to verify: due at 01:00
    assert sweep(at("2024-03-05 00:59"), purposes=("verification",)) == {"verification": 0}
    assert sweep(at("2024-03-05 01:01"), purposes=("verification",)) == {"verification": 1}
    assert sweep(at("2024-03-05 02:00"), purposes=("verification",)) == {"verification": 0}
    rec = AccountabilityRecord.objects.get(subject_id=str(signal.pk))
    assert rec.responsible_unit.code == "CDC" and rec.responsible_user == people["epi"]
    event = AuditEvent.objects.get(action="surveillance.signal.verification_overdue")
    assert event.changes["record"] == rec.pk


def test_a_verification_in_time_is_not_swept_but_a_late_one_is(network, people):
    signal = single_case_signal(network)
    respond(signal, SignalState.EXCLUDED, actor=people["epi"], reason="误报", at=at("2024-03-05 00:30"))
    assert sweep(at("2024-03-06 00:00"))["verification"] == 0
    late = single_case_signal_later(network)
    respond(late, SignalState.SUSPECTED, actor=people["epi"], at=at("2024-03-21 06:00"))
    assert sweep(at("2024-03-22 00:00"))["verification"] == 1


def single_case_signal_later(network) -> Signal:
    report(card(disease="A00", subtype="", name="李四", id_number="", no_id_number=True, birth_date="1990-01-01",
                     onset_date="2024-03-20", diagnosed_at="2024-03-20T08:00", reported_at="2024-03-20T09:00"),
                unit=network["V0101"])
    _run, _ran, (signal,) = run_detection(date(2024, 3, 20), at=at("2024-03-21 00:30"))
    return signal


def test_the_sweep_command_covers_reviews_and_verifications(network):
    single_case_signal(network)
    out = StringIO()
    call_command("surveillance", "sweep", stdout=out)
    text = out.getvalue()
    assert "报告卡审核：新建问责记录 1 条" in text and "信号核实：新建问责记录 1 条" in text
    assert AccountabilityRecord.objects.count() == 2


def test_the_sweep_is_a_scheduled_job():
    job = REGISTRY["surveillance.accountability_sweep"]
    assert job.every is not None and job.every.total_seconds() == 30 * 60


def test_a_second_detector_for_the_same_disease_and_level_is_refused(network):
    cholera = Disease.objects.get(code="A00")
    assert DetectorConfig.objects.filter(disease=cholera, level="village", unit=None).count() == 1
    with pytest.raises(InvalidInput) as err:
        DetectorConfig.objects.create(disease=cholera, level="village", method="fixed", params={"threshold": 2})
    assert (err.value.field, err.value.rule) == ("level", "unique") and "霍乱" in err.value.message
    DetectorConfig.objects.create(disease=cholera, level="village", unit=network["V0101"], method="fixed",
                                  params={"threshold": 2})
    with pytest.raises(InvalidInput) as err:
        DetectorConfig.objects.create(disease=cholera, level="village", unit=network["V0101"], method="fixed")
    assert (err.value.field, err.value.rule) == ("unit", "unique") and "赤坎镇红星村卫生站" in err.value.message
    assert DetectorConfig.objects.filter(disease=cholera).count() == 2
    # Changing an existing setting is still allowed.
    config = DetectorConfig.objects.get(disease=cholera, level="village", unit=None)
    config.params = {"threshold": 3}
    config.save()


def test_the_database_itself_refuses_a_second_level_setting(network):
    from django.db import IntegrityError, transaction

    cholera = Disease.objects.get(code="A00")
    with pytest.raises(IntegrityError), transaction.atomic():
        DetectorConfig.objects.bulk_create([DetectorConfig(disease=cholera, level="village", method="fixed")])
