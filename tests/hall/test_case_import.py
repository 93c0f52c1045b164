"""`yizhan hall import-cases`: legacy cases replayed through the engine, or nothing written at all."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import VALID_ID, HallWorld, at
from yizhan.audit.models import AuditEvent
from yizhan.clock.models import AccountabilityRecord, Timer
from yizhan.demo import fake
from yizhan.errors import ImportFailed, InvalidInput
from yizhan.hall.case_import import import_cases
from yizhan.hall.models import Case, CaseState, Outcome
from yizhan.hall.stats import hall_figures

HEADER = "case_no,matter_code,window_code,received_at,accepted_at,completed_at,outcome,green_channel,applicant_id\n"
PERSON = VALID_ID
COMPANY = fake.uscc("440783", "MA4UABCD1")
NOW = at("2011-01-01 00:00")

# The same history, once as a legacy file and once done live: (case_no suffix, matter, received,
# accepted, completed, outcome, green).
HISTORY = [
    ("01", "SPOT", "2010-03-01 09:00", "2010-03-01 09:00", "2010-03-01 09:20", "approved", False),
    ("02", "PROM", "2010-03-01 09:00", "2010-03-02 10:00", "2010-03-10 15:00", "approved", False),
    ("03", "PROM", "2010-03-01 09:00", "2010-03-01 09:00", "2010-04-06 15:00", "approved", False),  # past statutory
    ("04", "PROM", "2010-03-03 09:00", "2010-03-03 09:00", "2010-03-08 11:00", "approved", True),
    ("05", "PROM", "2010-03-04 09:00", "2010-03-04 09:30", "2010-03-12 16:00", "refused", False),
    ("06", "PROM", "2010-03-05 09:00", "", "2010-03-05 11:00", "refused_to_accept", False),
    ("07", "PROM", "2010-03-08 09:00", "2010-03-08 09:00", "2010-03-09 09:00", "withdrawn", False),
    ("08", "PROM", "2010-03-09 09:00", "2010-03-09 09:00", "", "", False),  # open, overdue by 31 March
    ("09", "PROM", "2010-03-30 09:00", "", "", "", False),  # received only
    ("10", "SPOT", "2010-03-31 23:50", "2010-03-31 23:55", "2010-04-01 00:05", "approved", False),
]


@pytest.fixture
def world(db, django_user_model) -> HallWorld:
    return HallWorld(django_user_model)


def csv_text(rows: list[str], header: str = HEADER) -> io.StringIO:
    return io.StringIO(header + "".join(r + "\n" for r in rows))


def history_file(window: str, prefix: str) -> io.StringIO:
    return csv_text([
        f"{prefix}{no},{matter},{window},{rec.replace(' ', 'T')},{acc.replace(' ', 'T')},{done.replace(' ', 'T')},"
        f"{outcome},{int(green)},{PERSON if no == '02' else ''}"
        for no, matter, rec, acc, done, outcome, green in HISTORY
    ])


def live_history(world: HallWorld, window, prefix: str) -> None:
    for no, matter, rec, acc, done, outcome, green in HISTORY:
        world.case({"SPOT": world.spot, "PROM": world.prom}[matter], window, received=rec, accepted=acc or None,
                   completed=done or None, outcome=outcome or "approved", green=green, case_no=f"{prefix}{no}")


def story(case_no: str) -> list[tuple]:
    """What the engine recorded about a case: its audit actions with their times, and its timers."""
    case = Case.objects.get(case_no=case_no)
    events = [(e.action, e.at) for e in AuditEvent.objects.filter(object_type="hall.case", object_id=str(case.pk))]
    timers = [(tm.purpose, tm.limit_amount, tm.started_at, tm.deadline, tm.stopped_at)
              for tm in (case.notice_timer, case.promised_timer, case.statutory_timer) if tm is not None]
    return [case.state, case.outcome, case.received_at, case.accepted_at, case.completed_at, case.closed_at,
            case.green_channel, events, timers]


def test_imported_cases_give_the_same_records_and_figures_as_live_ones(world):
    live_history(world, world.w11, "L-")
    result = import_cases(history_file("W12", "I-"), handler=world.clerk, reviewer=world.supervisor, now=NOW)
    assert result.created == len(HISTORY)
    for no, *_rest in HISTORY:
        assert story(f"I-{no}") == story(f"L-{no}"), no
    for first, last in ((date(2010, 3, 1), date(2010, 3, 31)), (date(2010, 4, 1), date(2010, 4, 30))):
        live = hall_figures(first, last, world.w11, now=NOW).as_dict()
        imported = hall_figures(first, last, world.w12, now=NOW).as_dict()
        assert live.pop("unit") == "W11" and imported.pop("unit") == "W12"
        assert imported == live
    march = hall_figures(date(2010, 3, 1), date(2010, 3, 31), world.w12, now=NOW)
    # 01 02 03 04 05 07 08 10 accepted (07 withdrawn later still counts; refused-to-accept 06 was never
    # accepted). Open at the end of March past their promised deadline: 03, 08, and 10 (on-the-spot, due
    # at midnight, done at 00:05).
    assert (march.accepted, march.completed, march.on_the_spot, march.overdue_open) == (8, 4, 1, 3)
    assert (march.withdrawn, march.refused_to_accept) == (1, 1)
    assert AccountabilityRecord.objects.filter(responsible_unit=world.w12).count() == 1


def test_imported_cases_carry_their_states_timers_and_import_label(world):
    import_cases(history_file("W12", "I-"), handler=world.clerk, reviewer=world.supervisor, now=NOW)
    states = dict(Case.objects.values_list("case_no", "state"))
    assert states == {
        "I-01": CaseState.COMPLETED, "I-02": CaseState.COMPLETED, "I-03": CaseState.COMPLETED,
        "I-04": CaseState.COMPLETED, "I-05": CaseState.COMPLETED, "I-06": CaseState.REFUSED_TO_ACCEPT,
        "I-07": CaseState.WITHDRAWN, "I-08": CaseState.ACCEPTED, "I-09": CaseState.SUBMITTED,
        "I-10": CaseState.COMPLETED,
    }
    assert Case.objects.get(case_no="I-05").outcome == Outcome.REFUSED
    green = Case.objects.get(case_no="I-04")
    assert green.green_channel and green.promised_timer.limit_amount == 3
    assert green.promised_timer.deadline == at("2010-03-08 23:59:59.999999")
    assert Case.objects.get(case_no="I-02").applicant_id == PERSON
    labels = set(AuditEvent.objects.filter(action__in=["hall.case.received", "hall.case.accepted",
                                                        "hall.case.completed"]).values_list("actor_label", flat=True))
    assert labels == {"import"}
    assert Timer.objects.filter(subject_type="hall.case", purpose="statutory").count() == 8


def test_every_broken_row_is_reported_with_line_and_field_and_nothing_is_written(world):
    world.case(world.prom, world.w11, received="2010-03-01 09:00", case_no="OLD-1")
    cases, events = Case.objects.count(), AuditEvent.objects.count()
    rows = [
        "A1,PROM,W11,2010-03-01T09:00,2010-03-01T09:10,2010-03-05T10:00,approved,0,",      # 2 fine
        "A2,NOPE,W11,2010-03-01T09:00,,,,0,",                                               # 3 matter
        "A3,PROM,W99,2010-03-01T09:00,,,,0,",                                               # 4 window
        "A4,PROM,W21,2010-03-01T09:00,,,,0,",                                               # 5 not accepted there
        "A5,PROM,W11,2010-03-02T09:00,2010-03-01T09:00,,,0,",                               # 6 accepted < received
        "A6,PROM,W11,2010-03-01T09:00,,2010-03-05T10:00,approved,0,",                       # 7 completed, not accepted
        "A7,PROM,W11,2010-03-01T09:00,2010-03-01T09:10,2010-03-05T10:00,,0,",               # 8 open with completion
        "A1,PROM,W11,2010-03-01T09:00,,,,0,",                                               # 9 duplicate in file
        "OLD-1,PROM,W11,2010-03-01T09:00,,,,0,",                                            # 10 duplicate in DB
        f"A8,PROM,W11,2010-03-01T09:00,,,,0,{PERSON[:-1]}{'0' if PERSON[-1] != '0' else '1'}",  # 11 check digit
        "A9,PROM,W11,2010-03-01 9h,,,,0,",                                                  # 12 bad timestamp
        "A10,SPOT,W11,2010-03-01T09:00,,,,1,",                                              # 13 no green channel
        "A11,PROM,W11,2010-03-01T09:00,,,done,0,",                                          # 14 outcome
        "A12,PROM,W11,2010-03-01T09:00,2010-03-01T10:00,2010-03-01T09:30,approved,0,",      # 15 completed < accepted
        "A13,PROM,W11,2010-03-01T09:00,2010-03-01T10:00,2010-03-01T11:00,refused_to_accept,0,",  # 16 accepted
        "A14,PROM,W11,2010-03-01T09:00,,,withdrawn,0,",                                     # 17 no withdrawal time
        "A15,PROM,W11,,,,,2,",                                                              # 18 received, green
    ]
    with pytest.raises(ImportFailed) as caught:
        import_cases(csv_text(rows), now=NOW)
    found = {(e.line, e.field) for e in caught.value.errors}
    assert found == {
        (3, "matter_code"), (4, "window_code"), (5, "window_code"), (6, "accepted_at"), (7, "accepted_at"),
        (8, "completed_at"), (9, "case_no"), (10, "case_no"), (11, "applicant_id"), (12, "received_at"),
        (13, "green_channel"), (14, "outcome"), (15, "completed_at"), (16, "accepted_at"), (17, "completed_at"),
        (18, "received_at"), (18, "green_channel"),
    }
    message = str(caught.value)
    assert "第 3 行，字段 matter_code" in message and "NOPE" in message
    assert (Case.objects.count(), AuditEvent.objects.count()) == (cases, events)


def test_header_must_name_the_required_columns(world):
    with pytest.raises(ImportFailed) as caught:
        import_cases(io.StringIO("case_no,matter_code,window\nX,PROM,W11\n"), now=NOW)
    assert {(e.line, e.field) for e in caught.value.errors} >= {(1, "window_code"), (1, "window"), (1, "outcome")}


def test_refusals_need_a_registering_person_and_an_entitled_second_person(world, django_user_model):
    rows = ["R1,PROM,W11,2010-03-04T09:00,2010-03-04T09:30,2010-03-12T16:00,refused,0,"]
    with pytest.raises(InvalidInput) as caught:
        import_cases(csv_text(rows), now=NOW)
    assert caught.value.field == "handler"
    with pytest.raises(InvalidInput) as caught:
        import_cases(csv_text(rows), handler=world.clerk, reviewer=world.clerk, now=NOW)
    assert caught.value.rule == "second_person"
    outsider = django_user_model.objects.create_user("outsider", password="pw-out-12345")
    with pytest.raises(ImportFailed) as caught:
        import_cases(csv_text(rows), handler=world.clerk, reviewer=outsider, now=NOW)
    assert [(e.line, e.field) for e in caught.value.errors] == [(2, "outcome")]
    assert not Case.objects.exists()


def test_organisation_applicants_and_offsets_are_accepted(world):
    rows = [f"C1,PROM,W11,2010-03-01T01:00:00+00:00,,,,0,{COMPANY.lower()}"]
    import_cases(csv_text(rows), now=NOW)
    case = Case.objects.get()
    assert (case.applicant_kind, case.applicant_id) == ("organisation", COMPANY)
    assert case.received_at == at("2010-03-01 09:00")


def test_the_command_reports_broken_rows_and_writes_nothing(world, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text(HEADER + "B1,PROM,W11,2010-03-01T09:00,,2010-03-02T09:00,approved,0,\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("hall", "import-cases", str(path))
    assert "第 2 行，字段 accepted_at" in str(caught.value)
    assert not Case.objects.exists()


def test_the_command_imports_and_reports_counts(world, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text(history_file("W12", "I-").getvalue(), encoding="utf-8-sig")
    out = io.StringIO()
    call_command("hall", "import-cases", str(path), "--handler", "clerk", "--reviewer", "supervisor", stdout=out)
    assert "导入办件 10 件" in out.getvalue()
    assert Case.objects.filter(case_no__startswith="I-").count() == 10
    with pytest.raises(CommandError) as caught:
        call_command("hall", "import-cases", str(path), "--reviewer", "nobody")
    assert "--reviewer" in str(caught.value)
