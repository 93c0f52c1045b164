"""The surveillance screens through Django's test client: the CDC dashboard, the review queue, the
clinic's report form with its check-as-you-type endpoint, the signal page, and who may open what."""

import json
from datetime import date

from django.urls import reverse

from tests.factories import at
from tests.test_i18n import compiled_catalog  # noqa: F401  (the fixture)
from yizhan.audit.models import AuditEvent
from yizhan.org.models import Role
from yizhan.surveillance.detection import run_detection
from yizhan.surveillance.models import CardState, CaseCard, Incident, Signal, SignalState

from .conftest import LONGTANG, card, report, resident_id

REPORT, CHECK = "/surveillance/report/", "/surveillance/report/check/"


def client_for(client, user):
    client.force_login(user)
    return client


def cholera_signal(network, day: date = date(2024, 3, 4)) -> Signal:
    report(card(disease="A00", subtype="", onset_date=day.isoformat(), diagnosed_at=f"{day}T08:00",
                     reported_at=f"{day}T09:00"), unit=network["V0101"])
    _run, _ran, (signal,) = run_detection(day, at=at(f"{day} 23:30"))
    return signal


def form_data(network, **overrides):
    data = card(reported_at="", reporting_unit=str(network["V0101"].pk), diagnosed_at="2024-03-02T10:00")
    data.update(overrides)
    return data


def test_the_dashboard_shows_the_open_signal_its_curve_tree_and_quality(client, network, people):
    signal = cholera_signal(network)
    page = client_for(client, people["epi"]).get("/surveillance/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="signal-{signal.pk}"' in html and "霍乱" in html and "已超时" in html  # two hours, long past
    curve = page.context["curve"]
    assert curve["title"] == "霍乱 · 赤坎镇红星村卫生站" and curve["counts"][-1] == 1
    assert curve["upper"][-1] == 1.0 and curve["alarms"] == [["2024-03-04", 1, signal.pk]]
    tree = {r["unit"].code: r for r in page.context["tree"]}
    assert (tree["V0101"]["signals"], tree["T01"]["signals"], tree["T02"]["signals"]) == (1, 1, 0)
    assert tree["V0101"]["shade"] == 1.0 and tree["V0201"]["shade"] == 0
    quality = {key: value for key, _label, value in page.context["quality"]}
    assert quality["cards"] == "1" and quality["timely-report"] == "100.0%"
    assert {u.code for u in page.context["zero_units"]} == {"V0102", "V0201", "T01", "T02"}


def test_the_curve_can_be_chosen_and_a_unit_without_a_detector_shows_counts_only(client, network, people):
    cholera_signal(network)
    report(card(), unit=network["V0101"])  # dysentery, onset 2024-03-01; MPM watches townships only
    page = client_for(client, people["epi"]).get(
        "/surveillance/", {"disease": "A03", "curve_unit": network["CDC"].pk, "last": "2024-03-10"})
    curve = page.context["curve"]
    assert curve["title"] == "细菌性痢疾 · 开平市疾病预防控制中心"
    assert curve["days"][-10] == "2024-03-01" and curve["counts"][-10] == 1 and sum(curve["counts"]) == 1
    assert curve["upper"] is None and curve["alarms"] == []


def test_only_epidemiologists_open_the_dashboard_and_reporters_the_report_form(client, network, people):
    assert client_for(client, people["clinic"]).get("/surveillance/").status_code == 403
    assert client.get("/surveillance/review/").status_code == 403
    assert client.get(REPORT).status_code == 200
    client.logout()
    assert client_for(client, people["epi"]).get(REPORT).status_code == 403
    assert client.get("/surveillance/").status_code == 200


def test_the_signal_page_records_the_response_through_the_service(client, network, people):
    signal = cholera_signal(network)
    c = client_for(client, people["epi"])
    url = reverse("surveillance:signal", args=[signal.pk])
    refused = c.post(url, {"outcome": "excluded", "reason": ""})
    assert refused.status_code == 422 and "排除信号须说明理由" in refused.content.decode()
    assert Signal.objects.get(pk=signal.pk).state == SignalState.OPEN
    assert c.post(url, {"outcome": "suspected", "reason": "同村两例，待调查"}).status_code == 302
    c.post(url, {"outcome": "confirmed", "reason": "实验室确认", "title": "红星村霍乱暴发"})
    signal.refresh_from_db()
    assert signal.state == SignalState.CONFIRMED and signal.responded_by == people["epi"]
    assert Incident.objects.get().title == "红星村霍乱暴发"
    assert "respond-form" not in c.get(url).content.decode()  # nothing left to respond


def test_a_signal_out_of_scope_is_not_found(client, surveillance, network, people):
    signal = cholera_signal(network)
    other = surveillance.reporter("t2epi", "T02", Role.EPIDEMIOLOGIST)
    assert client_for(client, other).get(reverse("surveillance:signal", args=[signal.pk])).status_code == 404


def test_checking_one_field_as_one_types(client, network, people):
    c = client_for(client, people["clinic"])
    bad_id = resident_id(date(1980, 5, 1))[:-1] + ("0" if resident_id(date(1980, 5, 1))[-1] != "0" else "1")
    answer = c.post(CHECK, {"field": "id_number", "id_number": bad_id}).content.decode()
    assert 'id="err-id_number"' in answer and "校验" in answer
    assert 'id="err-name"' not in answer  # not touched yet: no nagging
    answer = c.post(CHECK, {"field": "onset_date", "onset_date": "2024-03-05",
                            "diagnosed_at": "2024-03-02T10:00"}).content.decode()
    assert "发病日期不能晚于诊断时间" in answer
    answer = c.post(CHECK, {"field": "disease", "disease": "A03"}).content.decode()
    assert 'id="disease-extra"' in answer and "细菌性痢疾" in answer  # its subtypes appear


def test_the_whole_card_checks_clean_then_shows_the_probable_duplicate(client, network, people):
    c = client_for(client, people["clinic"])
    answer = c.post(CHECK, form_data(network)).content.decode()
    assert 'id="check-ok"' in answer
    first = report(card(), unit=network["V0102"])
    answer = c.post(CHECK, form_data(network)).content.decode()
    assert 'id="duplicate-warning"' in answer and first.card_no in answer


def test_saving_a_probable_duplicate_needs_a_second_click(client, network, people):
    c = client_for(client, people["clinic"])
    first = report(card(), unit=network["V0102"])
    held = c.post(REPORT, form_data(network))
    assert held.status_code == 409 and 'id="save-anyway"' in held.content.decode()
    assert CaseCard.objects.count() == 1
    saved = c.post(REPORT, {**form_data(network), "confirm_duplicate": "1"})
    assert saved.status_code == 302
    new = CaseCard.objects.exclude(pk=first.pk).get()
    assert new.state == CardState.HELD and new.duplicate_of == first and new.reporting_unit == network["V0101"]


def test_a_broken_card_is_refused_with_every_field_named_and_nothing_written(client, network, people):
    c = client_for(client, people["clinic"])
    page = c.post(REPORT, form_data(network, name="", onset_date="2024-03-05"))
    assert page.status_code == 422
    assert set(page.context["errors"]) >= {"name", "onset_date"}
    assert not CaseCard.objects.exists()


def test_a_township_enters_a_card_on_a_clinics_behalf(client, network, people):
    c = client_for(client, people["township"])
    page = c.get(REPORT)
    choices = dict(page.context["form"].fields["reporting_unit"].choices)
    assert set(choices.values()) == {"赤坎镇卫生院", "赤坎镇红星村卫生站", "赤坎镇东郊村卫生站"}
    assert c.post(REPORT, form_data(network)).status_code == 302
    saved = CaseCard.objects.get()
    assert saved.reporting_unit == network["V0101"] and saved.entered_by_unit == network["T01"]
    assert "代报" in c.get(REPORT).content.decode()


def test_a_clinic_cannot_report_for_another_clinic(client, network, people):
    c = client_for(client, people["clinic"])
    page = c.post(REPORT, form_data(network, reporting_unit=str(network["V0201"].pk)))
    assert page.status_code == 422 and "reporting_unit" in page.context["errors"]
    assert not CaseCard.objects.exists()


def test_the_review_queue_reviews_and_settles_duplicates(client, network, people):
    pending = report(card(), unit=network["V0101"])
    held = report(card(classification="clinical", reported_at="2024-03-02T18:00"), unit=network["T01"])
    c = client_for(client, people["epi"])
    page = c.get("/surveillance/review/")
    rows = {r["card"].pk: r for r in page.context["rows"]}
    assert set(rows) == {pending.pk, held.pk} and rows[pending.pk]["level"] == "overdue"
    # Two units' cards, both treating the patient: the higher-level unit's (the township's) is kept.
    assert rows[held.pk]["keeps_held"] is True
    c.post(reverse("surveillance:card-action", args=[held.pk, "resolve"]))
    pending.refresh_from_db()
    assert pending.state == CardState.DELETED and pending.kept_card == held and pending.deletion_reviewed
    c.post(reverse("surveillance:card-action", args=[pending.pk, "restore"]))
    pending.refresh_from_db()
    assert pending.state == CardState.PENDING
    c.post(reverse("surveillance:card-action", args=[pending.pk, "review"]))
    pending.refresh_from_db()
    assert pending.state == CardState.REVIEWED and pending.reviewed_by == people["epi"]
    again = c.post(reverse("surveillance:card-action", args=[pending.pk, "review"]), follow=True)
    assert "不能审核" in again.content.decode()
    assert AuditEvent.objects.filter(action="surveillance.card.reviewed").count() == 1


def test_nav_lists_each_persons_screens(client, network, people):
    nav = json.dumps([i["name"] for i in client_for(client, people["epi"]).get("/surveillance/").context["nav_items"]])
    assert "surveillance:dashboard" in nav and "surveillance:review" in nav and "surveillance:report" not in nav


def test_the_screens_speak_english(client, network, people, compiled_catalog):  # noqa: F811
    cholera_signal(network)
    c = client_for(client, people["epi"])
    c.cookies["django_language"] = "en"
    html = c.get("/surveillance/").content.decode()
    assert "Signals to verify" in html and "Epidemic curve" in html and "Timely-report rate" in html


def test_signal_to_incident_to_closing_report_on_the_screens(client, network, people):
    report(card(disease="A00", subtype="", address_division=LONGTANG, onset_date="2024-03-04",
                diagnosed_at="2024-03-04T08:00", reported_at="2024-03-04T09:00"), unit=network["V0101"])
    _run, _ran, (signal,) = run_detection(date(2024, 3, 4), at=at("2024-03-05 00:30"))
    c = client_for(client, people["epi"])
    page = c.get(reverse("surveillance:signal", args=[signal.pk]))
    assert [x.card_no for x in page.context["cards"]] and page.context["breakdown"] == [("水口镇", "龙塘村", 1)]
    c.post(reverse("surveillance:signal", args=[signal.pk]), {"outcome": "confirmed", "reason": "", "title": "霍乱疫情",
                                                             "place": "水口镇龙塘村"})
    incident = Incident.objects.get()
    assert [x.card_no for x in incident.cases.all()] == [x.card_no for x in page.context["cards"]]
    page = c.get(reverse("surveillance:signal", args=[signal.pk]))
    assert reverse("surveillance:incident", args=[incident.pk]) in page.content.decode()
    page = c.post(reverse("surveillance:incident", args=[incident.pk]),
                  {"action": "grade", "grade-grade": "IV", "grade-reason": "", "grade-criterion": ""})
    assert page.status_code == 422 and "reason" in page.context["grade_form"].errors
    c.post(reverse("surveillance:incident", args=[incident.pk]),
           {"action": "grade", "grade-grade": "IV", "grade-reason": "1 周内 1 例", "grade-criterion": ""})
    for kind, text in (("initial", "龙塘村霍乱 1 例"), ("progress", "密切接触者均已采样"), ("closing", "无续发病例，结案")):
        c.post(reverse("surveillance:incident", args=[incident.pk]),
               {"action": "report", "report-kind": kind, "report-text": text, "report-cases": "1", "report-deaths": "0"})
    incident.refresh_from_db()
    assert incident.grade == "IV" and incident.state == "closed"
    assert list(incident.reports.values_list("kind", flat=True)) == ["initial", "progress", "closing"]
    closing = incident.reports.get(kind="closing")
    printed = c.get(reverse("surveillance:incident-report", args=[closing.pk]))
    assert "无续发病例，结案" in printed.content.decode()
    assert c.get(reverse("surveillance:dashboard")).content.decode().count(
        reverse("surveillance:incident", args=[incident.pk])) >= 1


def test_the_card_page_returns_and_the_township_screen_lists_it(client, network, people):
    c_ = report(card(), unit=network["V0101"])
    epi = client_for(client, people["epi"])
    page = epi.post(reverse("surveillance:card-action", args=[c_.pk, "return"]), {"reason": "", "next": "card"})
    c_.refresh_from_db()
    assert c_.state == "pending"
    epi.post(reverse("surveillance:card-action", args=[c_.pk, "return"]), {"reason": "发病日期有误", "next": "card"})
    c_.refresh_from_db()
    assert c_.state == "returned"
    township = client_for(client, people["township"])
    page = township.get(reverse("surveillance:township"))
    assert [x.pk for x in page.context["returned"]] == [c_.pk] and "发病日期有误" in page.content.decode()
    card_page = township.get(reverse("surveillance:card", args=[c_.pk]))
    assert "中华人民共和国传染病报告卡" in card_page.content.decode() and not card_page.context["cdc"]


def test_impossible_dates_and_a_nul_are_named_on_their_fields_and_the_form_keeps_them(client, network, people):
    c = client_for(client, people["clinic"])
    for field, value in (("onset_date", "2026-02-30"), ("birth_date", "1980-13-01"),
                         ("diagnosed_at", "2026-12-32T10:00"), ("name", "张\x00三")):
        page = c.post(REPORT, form_data(network, **{field: value}))
        assert page.status_code == 422, field
        assert field in page.context["errors"], field
        if field != "name":
            assert f'value="{value}"' in page.content.decode(), field
        answer = c.post(CHECK, form_data(network, field=field, **{field: value}))
        assert answer.status_code == 200 and f'id="err-{field}"' in answer.content.decode()
    assert not CaseCard.objects.exists()
