from datetime import date

from django.test import Client

from tests.factories import at
from yizhan.hall.cases import complete_on_the_spot
from yizhan.ops import startup


def test_the_landing_page_shows_todays_figures_and_the_ways_in(hall, monkeypatch):
    from django.utils import timezone

    # A fixed "now" so the page's today has a case in it.
    monkeypatch.setattr(timezone, "now", lambda: at("2010-03-02 16:00"))
    case = hall.receive(hall.spot, when="2010-03-02 09:00", accept=True)
    complete_on_the_spot(case, at=at("2010-03-02 09:20"), actor=hall.clerk)
    page = Client().get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "一站" in html and "2010-03-02" in html
    figures = {f["key"]: f["value"] for f in page.context["figures"]}
    assert figures["accepted"] == 1 and figures["on_the_spot"] == 1 and figures["on_the_spot_rate"] == "100%"
    for url in ("/admin/", "/api/docs", "/api/openapi.json", "/i18n/setlang/"):
        assert url in html
    assert (page.context["first"], page.context["last"]) == (date(2010, 3, 2), date(2010, 3, 2))


def test_without_cases_today_the_page_opens_on_the_latest_year_with_cases(hall, monkeypatch):
    from django.utils import timezone

    for day in ("2010-03-02", "2010-10-29"):
        case = hall.receive(hall.spot, when=f"{day} 09:00", accept=True)
        complete_on_the_spot(case, at=at(f"{day} 09:20"), actor=hall.clerk)
    monkeypatch.setattr(timezone, "now", lambda: at("2026-11-24 10:00"))
    page = Client().get("/")
    assert (page.context["first"], page.context["last"]) == (date(2010, 3, 2), date(2010, 10, 29))
    assert {f["key"]: f["value"] for f in page.context["figures"]}["accepted"] == 2
    assert "2010-03-02 至 2010-10-29" in page.content.decode()
    chosen = Client().get("/", {"first": "2010-10-01", "last": "2010-10-31"})
    assert {f["key"]: f["value"] for f in chosen.context["figures"]}["accepted"] == 1
    backwards = Client().get("/", {"first": "2010-10-31", "last": "2010-10-01"})
    assert "起始日期不能晚于结束日期" in backwards.content.decode()


def test_the_page_opens_on_the_year_so_far_once_the_hall_works_today(hall, monkeypatch):
    from django.utils import timezone

    for day in ("2010-03-02", "2010-05-04"):
        case = hall.receive(hall.spot, when=f"{day} 09:00", accept=True)
        complete_on_the_spot(case, at=at(f"{day} 09:20"), actor=hall.clerk)
    monkeypatch.setattr(timezone, "now", lambda: at("2010-05-04 16:00"))
    page = Client().get("/")
    assert (page.context["first"], page.context["last"]) == (date(2010, 3, 2), date(2010, 5, 4))
    assert {f["key"]: f["value"] for f in page.context["figures"]}["accepted"] == 2


def test_the_language_switch_turns_the_page_english(db):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    assert '<html lang="en">' in page.content.decode()
    assert client.get("/", headers={"Accept-Language": "zh-hans"}).context["LANGUAGE_CODE"] == "en"


def test_while_the_demo_city_is_built_the_landing_page_says_how_far(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    assert "startup-progress" not in Client().get("/").content.decode()
    # The present first (the screens people open first), then the other systems, then 2010.
    startup.report(startup.StartupProgress(startup.PRESENT, done=300, total=1_200, day="2026-11-02"))
    assert "最近八周至今的办件已记录 25 %（至 2026-11-02）" in Client().get("/").content.decode()
    startup.report(startup.StartupProgress(startup.SYSTEMS))
    assert "正在建立疫情监测和其他演示系统的当前数据" in Client().get("/").content.decode()
    startup.report(startup.StartupProgress(startup.REPLAY, done=1_250, total=5_000, day="2010-04-30"))
    html = Client().get("/").content.decode()
    assert "当前数据已建好" in html and "已完成 25 %（至 2010-04-30）" in html
    english = Client().get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "25 %" in english and "2010-04-30" in english and "已完成" not in english
    startup.report(startup.StartupProgress(startup.FINISHED))
    assert "startup-progress" not in Client().get("/").content.decode()
