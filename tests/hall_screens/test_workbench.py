"""The clerk workbench through the Django test client: what a clerk sees and does, through the services."""

from django.urls import reverse
from django.utils import timezone

from tests.test_i18n import compiled_catalog  # noqa: F401  (the fixture)
from yizhan.calendar.workdays import local_date
from yizhan.hall.models import Case, CaseState, Consultation, Refusal, TicketState
from yizhan.hall.queue import issue_ticket


def _case(hall, **kwargs):
    from yizhan.hall.cases import receive_case

    kwargs.setdefault("applicant_name", "张三")
    return receive_case(matter=kwargs.pop("matter", hall.lic), window=kwargs.pop("window", hall.w11),
                        actor=hall.clerk, **kwargs)


def test_only_clerks_open_the_workbench(client, staff_hall):
    assert client.get("/workbench/").status_code == 302  # to the login page
    client.force_login(staff_hall.supervisor)
    assert client.get("/workbench/").status_code == 403
    client.force_login(staff_hall.clerk)
    assert client.get("/workbench/").status_code == 200


def test_worklist_puts_green_channel_first_then_by_deadline(client, staff_hall):
    plain = _case(staff_hall, accept=True)
    green = _case(staff_hall, accept=True, green_project="新厂房")
    other_window = _case(staff_hall, window=staff_hall.w12, matter=staff_hall.spot, accept=True)
    client.force_login(staff_hall.clerk)
    response = client.get("/workbench/")
    ids = [r.case.pk for r in response.context["rows"]]
    assert ids == [green.pk, plain.pk]  # W12's case is not this clerk's window
    assert other_window.pk not in ids


def test_red_before_yellow_before_normal(client, staff_hall):
    from datetime import timedelta

    from yizhan.clock.models import Timer

    normal, yellow, red = (_case(staff_hall, accept=True) for _ in range(3))
    now = timezone.now()
    Timer.objects.filter(pk=red.promised_timer_id).update(deadline=now - timedelta(hours=1))
    # yellow: at most one working day left -> deadline on the next working day
    from yizhan.calendar.workdays import current_calendar, end_of_day, local_date

    cal = current_calendar()
    Timer.objects.filter(pk=yellow.promised_timer_id).update(
        deadline=end_of_day(cal.add_workdays(local_date(now), 1)))
    Timer.objects.filter(pk=normal.promised_timer_id).update(
        deadline=end_of_day(cal.add_workdays(local_date(now), 4)))
    client.force_login(staff_hall.clerk)
    rows = client.get("/workbench/").context["rows"]
    assert [(r.case.pk, r.level) for r in rows] == [(red.pk, "overdue"), (yellow.pk, "yellow"), (normal.pk, "normal")]


def test_receive_accept_with_checklist_and_print_the_receipt(client, staff_hall):
    client.force_login(staff_hall.clerk)
    response = client.post(reverse("hall:workbench-receive"), {
        "window": staff_hall.w11.pk, "matter": staff_hall.lic.pk, "applicant_kind": "person",
        "applicant_name": "李四", "applicant_phone": "13800001234"})
    case = Case.objects.get(applicant_name="李四")
    assert response["Location"] == reverse("hall:workbench-case", args=[case.pk])
    client.post(reverse("hall:workbench-case-action", args=[case.pk, "accept"]),
                {"received": [staff_hall.a.pk, staff_hall.b.pk]})
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED
    assert set(case.materials.filter(received_at__isnull=False).values_list("material__name", flat=True)) == {
        "申请书", "营业执照"}
    receipt = client.get(reverse("hall:print-receipt", args=[case.pk])).content.decode()
    assert case.case_no in receipt and "受理回执" in receipt and "size: A4" in receipt


def test_missing_material_gives_a_notice_and_its_print(client, staff_hall):
    case = _case(staff_hall)
    client.force_login(staff_hall.clerk)
    client.post(reverse("hall:workbench-case-action", args=[case.pk, "notice"]), {"received": [staff_hall.a.pk]})
    case.refresh_from_db()
    assert case.awaiting_supplement
    page = client.get(reverse("hall:print-notice", args=[case.pk, 1])).content.decode()
    assert "营业执照" in page and "申请书" not in page.split("营业执照")[0].split("<table")[-1]
    assert case.case_no in page


def test_a_rule_error_is_shown_and_nothing_is_written(client, staff_hall):
    case = _case(staff_hall)
    client.force_login(staff_hall.clerk)
    response = client.post(reverse("hall:workbench-case-action", args=[case.pk, "refuse"]),
                           {"reason": "材料虚假", "legal_basis": ""}, follow=True)
    assert "legal_basis" in response.content.decode()
    assert not Refusal.objects.exists()


def test_the_checklist_and_the_acceptance_are_one_transaction(client, staff_hall):
    """Accepting a case awaiting supplements fails; the materials ticked in the same form stay unrecorded."""
    from yizhan.hall.notices import issue_notice

    case = _case(staff_hall)
    issue_notice(case, actor=staff_hall.clerk)
    client.force_login(staff_hall.clerk)
    client.post(reverse("hall:workbench-case-action", args=[case.pk, "accept"]), {"received": [staff_hall.a.pk]})
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    assert not case.materials.filter(received_at__isnull=False).exists()


def test_a_case_of_another_window_is_not_found(client, staff_hall):
    case = _case(staff_hall, window=staff_hall.w21, matter=staff_hall.build)
    client.force_login(staff_hall.clerk)
    assert client.get(reverse("hall:workbench-case", args=[case.pk])).status_code == 404
    assert client.post(reverse("hall:workbench-case-action", args=[case.pk, "accept"])).status_code == 404


def test_pause_resume_review_approve_complete(client, staff_hall):
    case = _case(staff_hall, accept=True)
    client.force_login(staff_hall.clerk)
    url = lambda action: reverse("hall:workbench-case-action", args=[case.pk, action])  # noqa: E731
    client.post(url("pause"), {"reason": "inspection", "note": "现场核查"})
    case.refresh_from_db()
    assert case.promised_timer.paused_since is not None
    client.post(url("resume"))
    for action in ("review", "approve", "complete"):
        client.post(url(action))
    case.refresh_from_db()
    assert case.state == CaseState.COMPLETED
    assert case.case_no in client.get(reverse("hall:print-completion", args=[case.pk])).content.decode()


def test_consultation_in_one_form_answered_or_referred(client, staff_hall):
    client.force_login(staff_hall.clerk)
    client.post(reverse("hall:workbench-consult"), {"window": staff_hall.w11.pk, "asker_name": "王五",
                                                    "question": "营业执照怎么办", "answer": "带身份证来"})
    client.post(reverse("hall:workbench-consult"), {"window": staff_hall.w11.pk, "asker_name": "赵六",
                                                    "question": "施工许可", "refer_to": staff_hall.w21.pk})
    answered, referred = Consultation.objects.order_by("id")
    assert answered.state == "answered" and answered.first_officer == staff_hall.clerk
    assert referred.state == "open" and referred.current_window == staff_hall.w21
    assert referred.first_officer == staff_hall.clerk  # 首问负责: responsibility stays


def test_call_serve_and_the_case_joins_the_number(client, staff_hall, groups):
    a, _b = groups
    issue_ticket(a)
    client.force_login(staff_hall.clerk)
    client.post(reverse("hall:queue-action", args=["call"]), {"window": staff_hall.w11.pk})
    ticket = a.tickets.get()
    assert ticket.state == TicketState.CALLED
    client.post(reverse("hall:queue-action", args=["serve"]), {"window": staff_hall.w11.pk, "ticket": ticket.pk})
    client.post(reverse("hall:workbench-receive"), {"window": staff_hall.w11.pk, "matter": staff_hall.lic.pk,
                                                    "applicant_name": "李四"})
    ticket.refresh_from_db()
    assert ticket.state == TicketState.SERVING and ticket.case.applicant_name == "李四"


def test_a_clerk_cannot_call_to_a_window_not_theirs(client, staff_hall, groups):
    client.force_login(staff_hall.clerk)
    response = client.post(reverse("hall:queue-action", args=["call"]), {"window": staff_hall.w21.pk})
    assert response.status_code == 403


def test_the_completion_notice_carries_the_rating_qr_code_of_its_case(client, staff_hall):
    import re
    from html import unescape
    from urllib.parse import urlsplit

    from yizhan.hall.cases import approve_case, complete_case, start_review

    case = _case(staff_hall, accept=True)
    for step in (start_review, approve_case, complete_case):
        step(case, actor=staff_hall.clerk)
    client.force_login(staff_hall.clerk)
    page = client.get(reverse("hall:print-completion", args=[case.pk])).content.decode()
    assert "<svg" in page and "评价二维码" in page
    url = unescape(re.search(r"<figcaption>([^<]+)</figcaption>", page).group(1))
    client.logout()
    rating = client.get(urlsplit(url).path)  # the applicant, not signed in, scans the code
    assert rating.status_code == 200
    body = rating.content.decode()
    assert case.case_no in body and 'name="score"' in body


def test_the_workbench_lists_the_days_appointments_of_the_window_and_acts_on_them(client, staff_hall):
    from datetime import datetime, time, timedelta

    from yizhan.calendar.workdays import local_tz
    from yizhan.hall.models import Appointment, AppointmentState

    now = timezone.now()
    midnight = datetime.combine(local_date(now), time(0), tzinfo=local_tz())

    def book(no, window, starts_at, name, matter=None):
        return Appointment.objects.create(booking_no=no, matter=matter or staff_hall.lic, window=window,
                                          applicant_name=name, applicant_phone="13800138000", starts_at=starts_at,
                                          slot="lunch", booked_at=now - timedelta(days=1))

    early = book("YY1", staff_hall.w11, midnight, "张三")
    later = book("YY2", staff_hall.w11, midnight + timedelta(minutes=30), "李四")
    book("YY3", staff_hall.w21, midnight, "王五", matter=staff_hall.build)  # another window
    book("YY4", staff_hall.w11, midnight + timedelta(days=1), "赵六")  # tomorrow
    client.force_login(staff_hall.clerk)
    page = client.get("/workbench/").content.decode()
    listing = page.split('id="workbench-appointments"')[1].split("</table>")[0]
    assert "00:00" in listing and "00:30" in listing and "午间" in listing and "食品经营许可" in listing
    assert "张三" in listing and "李四" in listing and "王五" not in listing and "赵六" not in listing
    assert "138****8000" in listing and "13800138000" not in listing
    response = client.post(reverse("hall:appointment-action", args=[later.pk, "receive"]),
                           {"applicant_kind": "person", "next": "/workbench/"})
    assert response["Location"] == "/workbench/"
    later.refresh_from_db()
    assert later.state == AppointmentState.RECEIVED and later.case.window == staff_hall.w11
    assert later.case.case_no in client.get("/workbench/").content.decode()
    if now >= midnight + timedelta(minutes=30):  # a no-show is recorded once the half hour is over
        client.post(reverse("hall:appointment-action", args=[early.pk, "no-show"]), {"next": "/workbench/"})
        early.refresh_from_db()
        assert early.state == AppointmentState.NO_SHOW


def test_the_case_page_labels_timer_purposes_and_events_in_the_readers_language(client, staff_hall,
                                                                                 compiled_catalog):  # noqa: F811
    from django.db import transaction

    from yizhan.audit.log import record

    case = _case(staff_hall, accept=True)
    with transaction.atomic():
        record("hall.case.something_new", case, actor_label="test")
    client.force_login(staff_hall.clerk)
    url = reverse("hall:workbench-case", args=[case.pk])
    page = client.get(url).content.decode()
    timers, timeline = page.split("到期时间", 1)[0], page.split('class="timeline"')[1].split("</ol>")[0]
    assert "承诺时限 ·" in page and "法定时限 ·" in page and "promised ·" not in timers
    assert "收件" in timeline and "受理" in timeline and "hall.case.accepted" not in timeline
    assert "hall.case.something_new" in timeline  # a code without a label is shown as it is
    english = client.get(url, headers={"Accept-Language": "en"}).content.decode()
    timeline = english.split('class="timeline"')[1].split("</ol>")[0]
    assert "Promised limit ·" in english and "Acceptance" in timeline and "hall.case.accepted" not in timeline


def test_receiving_refuses_an_overlong_or_nul_name_with_the_fields_label_and_writes_nothing(client, staff_hall):
    client.force_login(staff_hall.clerk)
    form = {"window": staff_hall.w11.pk, "matter": staff_hall.lic.pk, "applicant_kind": "person"}
    for name, rule_text in (("张" * 201, "不能超过 200 个字符"), ("李\x00四", "不能包含空字符")):
        page = client.post(reverse("hall:workbench-receive"), {**form, "applicant_name": name}, follow=True)
        html = page.content.decode()
        assert page.status_code == 200 and f"申请人: {rule_text}" in html
    assert not Case.objects.exists()


def test_a_malformed_window_or_row_number_is_refused_not_a_server_error(client, staff_hall):
    client.force_login(staff_hall.clerk)
    posted = client.post(reverse("hall:workbench-receive"), {"window": "x'--", "matter": staff_hall.lic.pk,
                                                            "applicant_name": "李四"})
    assert posted.status_code == 403 and not Case.objects.exists()
    assert client.post(reverse("hall:queue-action", args=["serve"]),
                       {"window": staff_hall.w11.pk, "ticket": "1 OR 1=1"}).status_code == 404


def test_the_worklist_reads_a_malformed_or_negative_limit_as_the_default(client, staff_hall):
    _case(staff_hall, accept=True)
    client.force_login(staff_hall.clerk)
    for limit in ("abc", "-5", "1e9", "99999999999999999999"):
        page = client.get(f"/workbench/?limit={limit}")
        assert page.status_code == 200 and len(page.context["rows"]) == 1


def test_the_days_appointments_of_a_day_beyond_the_calendar_show_today_instead(client, staff_hall):
    client.force_login(staff_hall.clerk)
    page = client.get("/appointments/?date=9999-12-31")
    assert page.status_code == 200 and page.context["day"] == local_date(timezone.now())
