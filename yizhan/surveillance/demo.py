"""The seed city's surveillance network (开平市疾病预防控制中心, 2010), built through the surveillance
services: the CDC, 14 township health centers with three village clinics each; three years of
synthetic daily counts (2007–2010) with injected outbreaks; a few dozen report cards (late ones,
a proxy report, a probable duplicate); detection run over the outbreak weeks so that signals and
verification items appear; the seed's three incidents (the May pollution of the 潭江 at 赤坎 with its
water samples, two restaurant food poisonings in August and September); HIV sentinel rounds.

Counts go in as aggregate rows in bulk and detection runs only on the days around the outbreaks, so
the whole build takes seconds."""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from io import StringIO
from typing import Any

import numpy as np
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils.translation import gettext

from yizhan.calendar.workdays import local_date, local_tz
from yizhan.demo import fake
from yizhan.demo.places import CDC_CODE, TOWNSHIPS, VILLAGES, township_code
from yizhan.demo.places import cdc_network_exists as exists
from yizhan.divisions.loader import import_local
from yizhan.org.models import OrgUnit, Role, StaffRole
from yizhan.org.units_csv import import_units
from yizhan.surveillance import cards, detection, duplicates, incidents, review, signals
from yizhan.surveillance.accountability import sweep
from yizhan.surveillance.models import (
    AggregateCount,
    CardState,
    CaseCard,
    DetectorConfig,
    Disease,
    Duty,
    Incident,
    SentinelResult,
    Signal,
    SignalState,
)
from yizhan.surveillance.tasks import single_case_alert

ORDER = 0  # the network the assessment, quality and training demos work in
ACTOR = "demo"
FIRST_COUNT_DAY, LAST_COUNT_DAY = date(2007, 1, 1), date(2010, 10, 31)
# Daily means per township: influenza, HFMD, other infectious diarrhoea, dysentery, mumps.
BASELINE = {"J11": 0.5, "B08.4": 0.3, "A09": 0.4, "A03": 0.1, "B26": 0.15}
# (disease, township, first day, days, extra cases a day): the outbreaks the detectors should find.
OUTBREAKS = (
    ("A09", "赤坎", date(2010, 5, 12), 6, 4),  # after the 潭江 pollution
    ("B08.4", "水口", date(2010, 5, 3), 10, 3),
    ("A09", "三埠", date(2010, 8, 14), 3, 6),  # restaurant food poisoning
    ("A09", "长沙", date(2010, 9, 18), 3, 5),
)
DETECT_WINDOWS = ((date(2010, 5, 1), date(2010, 5, 20)), (date(2010, 8, 12), date(2010, 8, 20)),
                  (date(2010, 9, 16), date(2010, 9, 24)))


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), local_tz())


KAIPING = "440783"  # GB/T 2260


def town_division(i: int) -> str:
    """The demo's local list: 9-digit codes below Kaiping for its towns, 12-digit for their villages."""
    return f"{KAIPING}{101 + i:03d}"


def _divisions() -> None:
    lines = ["code,name,parent_code,level"]
    for i, town in enumerate(TOWNSHIPS):
        lines.append(f"{town_division(i)},{town}镇,{KAIPING},township")
        for j, village in enumerate(VILLAGES):
            lines.append(f"{town_division(i)}{201 + j:03d},{village},{town_division(i)},village")
    import_local(StringIO("\n".join(lines) + "\n"), actor_label=ACTOR)


def _network() -> dict[str, OrgUnit]:
    _divisions()
    lines = ["code,name,parent_code,kind,division", f"{CDC_CODE},开平市疾病预防控制中心,,cdc,{KAIPING}"]
    for i, town in enumerate(TOWNSHIPS):
        lines.append(f"{township_code(i)},{town}镇卫生院,{CDC_CODE},township,{town_division(i)}")
        for j, village in enumerate(VILLAGES):
            lines.append(f"{township_code(i)}-V{j + 1},{town}镇{village}卫生站,{township_code(i)},village,"
                         f"{town_division(i)}{201 + j:03d}")
    import_units(StringIO("\n".join(lines) + "\n"), at=_at(FIRST_COUNT_DAY, 9), actor_label=ACTOR)
    return {u.code: u for u in OrgUnit.objects.filter(path__startswith=f"/{CDC_CODE}/")}


def _staff(units: dict[str, OrgUnit]) -> dict[str, Any]:
    user_model = get_user_model()
    people = {}
    for username, role, code, email in (("epi", Role.EPIDEMIOLOGIST, CDC_CODE, "epi@cdc.kaiping.example"),
                                        ("chikan", Role.REPORTER, township_code(TOWNSHIPS.index("赤坎")), "")):
        user, _created = user_model.objects.get_or_create(username=username, defaults={
            "first_name": "流调值班" if role == Role.EPIDEMIOLOGIST else "赤坎镇卫生院", "email": email})
        StaffRole.objects.get_or_create(user=user, role=role, unit=units[code])
        people[username] = user
    Duty.objects.create(unit=units[CDC_CODE], user=people["epi"], phone="13800000000",
                        first_day=date(2010, 1, 1), last_day=date(2010, 12, 31))
    return people


def _counts(units: dict[str, OrgUnit], rng: random.Random) -> int:
    diseases = {d.code: d for d in Disease.objects.filter(code__in=BASELINE)}
    extra = {}
    for code, town, first, length, per_day in OUTBREAKS:
        for k in range(length):
            extra[(code, town, first + timedelta(days=k))] = per_day
    rows = []
    n_days = (LAST_COUNT_DAY - FIRST_COUNT_DAY).days + 1
    days = [FIRST_COUNT_DAY + timedelta(days=k) for k in range(n_days)]
    months = np.array([d.month for d in days])
    draw = np.random.default_rng(rng.randrange(2**32))
    for t, town in enumerate(TOWNSHIPS):
        unit = units[township_code(t)]
        for code, mean in BASELINE.items():
            season = np.where(np.isin(months, (1, 2, 12) if code == "J11" else (4, 5, 6)) & (
                code in ("J11", "B08.4")), 1.6, 1.0)
            values = draw.poisson(mean * season)
            extras = np.array([extra.get((code, town, d), 0) for d in days])
            values = values + extras
            rows += [(diseases[code].pk, unit.pk, days[index], int(values[index])) for index in np.flatnonzero(values)]
    return _insert_daily(rows)


def _insert_daily(rows: list[tuple[int, int, date, int]]) -> int:
    """(disease, unit, day, count) as daily aggregate rows, in plain inserts: tens of thousands of rows
    without building a model instance for each."""
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {AggregateCount._meta.db_table} (disease_id, unit_id, period, period_type, "
                           "start, \"end\", category_option_combo, attribute_option_combo, value) "
                           "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                           [(d, u, day.strftime("%Y%m%d"), "Daily", day, day, "default", "default", n)
                            for d, u, day, n in rows])
    return len(rows)


def _cards(units: dict[str, OrgUnit], people: dict, rng: random.Random) -> list[CaseCard]:
    """Cards of the outbreak weeks and a few others; some late, one entered by 赤坎 for a clinic, one
    reported twice (held as a probable duplicate, then settled)."""
    made = []
    plan = [("A09", "赤坎", date(2010, 5, 13), 8), ("B08.4", "水口", date(2010, 5, 5), 6),
            ("A09", "三埠", date(2010, 8, 14), 12), ("A09", "长沙", date(2010, 9, 18), 9),
            ("A03", "月山", date(2010, 6, 2), 2), ("B16", "苍城", date(2010, 7, 7), 2)]
    n = 0
    for code, town, onset, count in plan:
        t = TOWNSHIPS.index(town)
        for k in range(count):
            n += 1
            village = units[f"{township_code(t)}-V{k % 3 + 1}"]
            born = date(1950 + rng.randrange(55), rng.randrange(1, 13), rng.randrange(1, 28))
            diagnosed = _at(onset + timedelta(days=1), 9 + k % 8)
            late = k % 5 == 4
            sex = "MF"[n % 2]
            data = {"name": fake.KAIPING_SURNAMES[n % len(fake.KAIPING_SURNAMES)] + "某" + str(n), "sex": sex,
                    "id_number": fake.random_resident_id(rng, "440783", born, sex), "birth_date": born,
                    "address_division": f"{town_division(t)}{201 + k % 3:03d}", "house_number": f"{n}号",
                    "occupation": ("farmer", "student", "worker")[k % 3],
                    "classification": ("clinical", "confirmed")[k % 2], "disease": code,
                    "subtype": "细菌性痢疾" if code == "A03" else "", "acute_chronic": "chronic" if code == "B16" else "",
                    "onset_date": onset, "diagnosed_at": diagnosed, "doctor": f"{town}医生",
                    "doctor_phone": f"1390222{n:04d}", "filled_on": diagnosed.date()}
            reported = diagnosed + timedelta(hours=30 if late else 3)
            if born.year > 1994:
                data["guardian"] = "家长"
            proxy = units[township_code(t)] if town == "赤坎" and k == 0 else None
            if proxy is not None:  # the clinic's paper card, keyed in by the township the next morning
                reported = diagnosed + timedelta(hours=20)
            made.append(cards.report_card(data, unit=village, entered_by=proxy, actor_label=ACTOR, at=reported))
    # One card reported again by the township health center: held, then the duplicate deleted.
    first = made[0]
    again = cards.card_data(first) | {"classification": "confirmed"}
    held = cards.report_card(again, unit=units[township_code(TOWNSHIPS.index("赤坎"))], actor_label=ACTOR,
                             at=first.reported_at + timedelta(hours=5))
    duplicates.resolve(held, actor=people["epi"], at=held.reported_at + timedelta(hours=1))
    # The CDC reviews most cards within the day; the last few are still waiting.
    for c in made[:-4]:
        c.refresh_from_db()
        if c.state == "pending":
            review.review_card(c, actor=people["epi"], at=c.reported_at + timedelta(hours=6 + c.pk % 20))
    return made


def _detect(people: dict) -> list[Signal]:
    # The CDC has tuned MPM to P95 for the common diseases to cut the noise of daily alarms.
    DetectorConfig.objects.filter(disease__code__in=BASELINE, method="mpm", unit=None).update(
        params={"percentile": 95})
    opened: list[Signal] = []
    for first, last in DETECT_WINDOWS:
        for _run, _ran, new in detection.run_detection_range(
                first, last, at_of=lambda day: _at(day + timedelta(days=1), 0, 30)):
            opened.extend(new)
    # Verify most of them; the newest stay open as verification items on the clock.
    outbreaks = {(code, f"{town}镇卫生院") for code, town, *_rest in OUTBREAKS}
    for k, signal in enumerate(opened[:-2]):
        when = signal.opened_at + timedelta(hours=2 + k % 30)
        real = (signal.disease.code, signal.unit.name) in outbreaks
        outcome = SignalState.SUSPECTED if real else (SignalState.EXCLUDED, SignalState.SUSPECTED)[k % 3 == 0]
        signals.respond(signal, outcome, actor=people["epi"], at=when,
                        reason="核实为散发病例，无流行病学关联" if outcome == SignalState.EXCLUDED else "")
    return opened


def _incidents(units: dict[str, OrgUnit], people: dict, made: list[CaseCard]) -> list[Incident]:
    epi = people["epi"]
    chikan, sanbu, changsha = (units[township_code(TOWNSHIPS.index(t))] for t in ("赤坎", "三埠", "长沙"))
    river = incidents.open_incident(title="潭江赤坎段水污染事件", kind="water_pollution", unit=chikan,
                                    place="潭江赤坎段（赤坎水厂取水口上游）", started_at=_at(date(2010, 5, 10), 6),
                                    detected_at=_at(date(2010, 5, 10), 15), actor=epi, at=_at(date(2010, 5, 10), 15))
    incidents.notify_incident(river, at=_at(date(2010, 5, 10), 19), actor=epi)
    incidents.add_log(river, "investigation", "沿江排查，上游一处企业排污口异常排放", at=_at(date(2010, 5, 11), 9), actor=epi)
    incidents.add_log(river, "measure", "赤坎水厂暂停取水，启用备用水源，送水车供水", at=_at(date(2010, 5, 11), 11),
                      actor=epi)
    for k, (value, parameter, limit, unit_label) in enumerate(
            ((2.6, "氨氮", 1.0, "mg/L"), (1.4, "氨氮", 1.0, "mg/L"), (0.6, "氨氮", 1.0, "mg/L"),
             (0.3, "氨氮", 1.0, "mg/L"), (8.0, "高锰酸盐指数", 6.0, "mg/L"), (4.1, "高锰酸盐指数", 6.0, "mg/L"))):
        incidents.add_sample(river, taken_at=_at(date(2010, 5, 11) + timedelta(days=2 * (k % 4)), 8),
                             site="赤坎水厂取水口", parameter=parameter, value=value, limit=limit,
                             unit_label=unit_label, actor=epi)
    incidents.link_cases(river, [c for c in made if c.reporting_unit.parent_id == chikan.pk and c.disease.code == "A09"],
                         actor=epi, at=_at(date(2010, 5, 16), 10))
    incidents.close_incident(river, report="水质连续监测达标，恢复取水；腹泻病例随之下降。", at=_at(date(2010, 5, 28), 17),
                             actor=epi)
    made_incidents = [river]
    for title, unit, day, code in (("三埠某酒家食物中毒事件", sanbu, date(2010, 8, 14), "A09"),
                                   ("长沙某饭店食物中毒事件", changsha, date(2010, 9, 18), "A09")):
        inc = incidents.open_incident(title=title, kind="food_poisoning", unit=unit, place=title[:-6],
                                      started_at=_at(day, 12), detected_at=_at(day, 21), actor=epi, at=_at(day, 21))
        incidents.notify_incident(inc, at=_at(day + timedelta(days=1), 7), actor=epi)
        incidents.add_log(inc, "investigation", "病例均于同一餐厅就餐，采集剩余食品和病人肛拭子", at=_at(day + timedelta(days=1), 9),
                          actor=epi)
        incidents.add_log(inc, "measure", "责令餐厅停业整顿，封存可疑食品，消毒厨房", at=_at(day + timedelta(days=1), 11),
                          actor=epi)
        incidents.link_cases(inc, [c for c in made if c.reporting_unit.parent_id == unit.pk and c.disease.code == code],
                             actor=epi, at=_at(day + timedelta(days=2), 10))
        incidents.close_incident(inc, report="查明为副溶血性弧菌污染的凉拌海产品，控制措施落实后无新发病例。",
                                 at=_at(day + timedelta(days=9), 17), actor=epi)
        made_incidents.append(inc)
    return made_incidents


def _sentinel(units: dict[str, OrgUnit], rng: random.Random) -> None:
    hiv = Disease.objects.get(code="B24")
    site = units[township_code(0)]
    prevalence = {"drug_users": 0.06, "sex_workers": 0.008, "pregnant": 0.0005, "other": 0.002}
    tested = {"drug_users": 400, "sex_workers": 400, "pregnant": 800, "other": 300}
    rows = []
    for round_ in ("2009-1", "2009-2", "2010-1", "2010-2"):
        for group, p in prevalence.items():
            n = tested[group]
            rows.append(SentinelResult(unit=site, disease=hiv, group=group, round=round_, tested=n,
                                       positive=sum(1 for _i in range(n) if rng.random() < p)))
    SentinelResult.objects.bulk_create(rows)


CHIKAN = township_code(TOWNSHIPS.index("赤坎"))
ACCOUNTS = (
    ("epidemiologist", Role.EPIDEMIOLOGIST, CDC_CODE, "开平市疾控中心 流调人员"),
    ("clinic", Role.REPORTER, f"{CHIKAN}-V1", "赤坎镇中心村卫生站 报告医生"),
    ("township", Role.REPORTER, CHIKAN, "赤坎镇卫生院 报告医生（代报）"),
)


def build(progress: Callable[[str], None] = lambda _line: None, seed: int = 2010) -> dict[str, int]:
    """Build the network and its data unless it is there. Returns what was made."""
    if exists():
        return {}
    rng = random.Random(seed)
    with transaction.atomic():
        units = _network()
        people = _staff(units)
        counts = _counts(units, rng)
        progress(f"  监测网络 {len(units)} 个机构，汇总病例数 {counts} 条")
        made = _cards(units, people, rng)
        opened = _detect(people)
        made_incidents = _incidents(units, people, made)
        _sentinel(units, rng)
    progress(f"  报告卡 {len(made) + 1} 张，预警信号 {len(opened)} 个，突发事件 {len(made_incidents)} 起")
    return {"units": len(units), "counts": counts, "cards": len(made) + 1, "signals": len(opened),
            "incidents": len(made_incidents)}


def report(write: Callable[[str], None]) -> None:
    """The network's figures as the database holds them."""
    if not exists():
        return
    write(gettext("疫情监测：报告卡 %(c)d 张，预警信号 %(s)d 个（待核实 %(o)d），突发事件 %(i)d 起") % {
        "c": CaseCard.objects.count(), "s": Signal.objects.count(),
        "o": Signal.objects.filter(state=SignalState.OPEN).count(), "i": Incident.objects.count()})


# ---------------------------------------------------------------------------------------------------
# The present: this season's cards up to the moment the demo starts.

PRESENT_DAYS = 56
PRESENT_ACTOR = "present"
# Relative monthly weight (January first) of each disease's cards in Kaiping, a subtropical city:
# influenza in winter and early spring, hand-foot-and-mouth in spring and early summer with a smaller
# autumn peak, diarrhoea and dysentery in summer, mumps in spring.
SEASON = {
    "J11": (3.0, 2.6, 1.6, 1.0, 0.8, 1.2, 1.0, 0.6, 0.5, 0.6, 1.0, 2.2),
    "B08.4": (0.3, 0.3, 0.8, 1.8, 2.6, 2.4, 1.6, 1.0, 1.2, 1.4, 0.8, 0.4),
    "A09": (0.6, 0.6, 0.7, 0.9, 1.2, 1.5, 1.7, 1.7, 1.4, 1.0, 0.8, 0.8),
    "A03": (0.1, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.5, 0.4, 0.25, 0.15, 0.1),
    "B26": (0.4, 0.4, 0.6, 0.7, 0.6, 0.5, 0.4, 0.3, 0.3, 0.3, 0.3, 0.4),
}
CARDS_PER_DAY = 24  # the whole network on an average day
CLUSTER_TOWN = "苍城"  # a norovirus cluster at its primary school in the last ten days
QUIET_VILLAGES = 4  # clinics that report nothing in the period (zero-report units)
OCCUPATIONS = {"J11": ("student", "farmer", "retired", "worker"), "B08.4": ("scattered_child", "child_care"),
               "A09": ("farmer", "worker", "student", "catering"), "A03": ("farmer", "worker"),
               "B26": ("student", "child_care")}
CHILD_DISEASES = ("B08.4", "B26")


def season_weights(day: date) -> dict[str, float]:
    """The season's weight of each common disease on `day` (shares of the day's cards)."""
    return {code: weights[day.month - 1] for code, weights in SEASON.items()}


def card_fields(rng: random.Random, code: str, village: OrgUnit, onset: date, diagnosed: datetime) -> dict:
    """A plausible card of disease `code` for a patient living in `village`'s village."""
    child = code in CHILD_DISEASES or rng.random() < 0.15
    age = rng.randint(1, 6) if code == "B08.4" else rng.randint(3, 13) if child else rng.randint(15, 85)
    born = onset - timedelta(days=365 * age + rng.randrange(365))
    town = village.name.split("镇")[0]
    t, v = int(village.code.split("-T")[1][:2]) - 1, int(village.code.rsplit("-V", 1)[1]) - 1
    surname = "陈李黄张梁周吴谭关劳区冯甄何"[rng.randrange(14)]
    sex = rng.choice("MF")
    data = {"name": surname + "某" + "明华丽芳敏杰文嘉俊浩婷燕"[rng.randrange(12)], "sex": sex,
            "id_number": fake.random_resident_id(rng, "440783", born, sex), "birth_date": born,
            "address_division": f"{town_division(t)}{201 + v:03d}", "house_number": f"{rng.randint(1, 120)}号",
            "occupation": rng.choice(OCCUPATIONS.get(code, ("farmer", "worker"))),
            "classification": rng.choice(("clinical", "confirmed")), "disease": code,
            "subtype": "细菌性痢疾" if code == "A03" else "", "onset_date": onset, "diagnosed_at": diagnosed,
            "doctor": f"{town}医生", "doctor_phone": f"1390222{rng.randrange(10_000):04d}",
            "filled_on": local_date(diagnosed)}
    if age < 14:
        data["guardian"] = surname + "某（家长）"
    return data


def build_present(now: datetime, progress: Callable[[str], None] = lambda _line: None,
                  seed: int = 2026) -> dict[str, int]:
    """This season's surveillance up to `now`, through the services: the network's cards by the
    diseases' seasons (a few late, duplicates held, a correction), with three years of daily counts
    before them for the detectors' baselines; most cards reviewed within hours and the last day's
    waiting at every warning level of their clock; detection run over the period (a norovirus cluster
    at a primary school gives an MPM signal, then an incident under response with its 7-1-7 times);
    a cholera card a little before `now` raising its single-case signal, its 2-hour clock running.
    Clinics left quiet show as zero-report units. Idempotent (the year's duty roster marks it)."""
    if not exists() or Duty.objects.filter(first_day__lte=local_date(now), last_day__gte=local_date(now)).exists():
        return {}
    rng = random.Random(seed)
    units = {u.code: u for u in OrgUnit.objects.filter(path__startswith=f"/{CDC_CODE}/")}
    epi = get_user_model().objects.get(username="epi")
    today = local_date(now)
    first = today - timedelta(days=PRESENT_DAYS - 1)
    Duty.objects.create(unit=units[CDC_CODE], user=epi, phone="13800000000", first_day=date(today.year, 1, 1),
                        last_day=date(today.year, 12, 31))
    _settle_2010(epi)
    baseline = _baseline_counts(units, rng, first - timedelta(days=3 * 365 + 60), first - timedelta(days=1))
    villages = sorted((u for u in units.values() if u.kind == "village"), key=lambda u: u.code)
    quiet = set(rng.sample([v.code for v in villages], QUIET_VILLAGES))
    reporting = [v for v in villages if v.code not in quiet]
    cluster = [v for v in villages if v.name.startswith(CLUSTER_TOWN) and v.code not in quiet] or reporting[:1]
    made: list[CaseCard] = []
    with transaction.atomic():
        for k in range(PRESENT_DAYS):
            day = first + timedelta(days=k)
            codes, weights = zip(*season_weights(day).items(), strict=True)
            n = np.random.default_rng(rng.randrange(2**32)).poisson(CARDS_PER_DAY * sum(weights) / len(weights))
            todays = [(rng.choices(codes, weights=weights)[0], rng.choice(reporting)) for _n in range(n)]
            if k >= PRESENT_DAYS - 10:
                todays += [("A09", rng.choice(cluster)) for _n in range(rng.randint(4, 7))]
            for code, village in todays:
                diagnosed = _at(day, rng.randint(8, 17), rng.randrange(60))
                late = rng.random() < 0.04
                reported = diagnosed + timedelta(hours=rng.randint(26, 40) if late else rng.randint(1, 5))
                if reported >= now:
                    continue
                onset = day - timedelta(days=rng.randint(0, 2))
                data = card_fields(rng, code, village, onset, diagnosed)
                made.append(cards.report_card(data, unit=village, actor_label=PRESENT_ACTOR, at=reported))
        _review_present(made, epi, now, rng)
        duplicates_held = _held_duplicates(made, now)
    opened = []
    for _run, _ran, new in detection.run_detection_range(
            first, today - timedelta(days=1), at_of=lambda day: _at(day + timedelta(days=1), 0, 30)):
        opened.extend(new)
    town = cluster[0].parent
    incident = _respond_present(opened, epi, now, town)
    if incident is None:  # the detector missed the cluster: the school's report opened the event
        place = f"{town.name.replace('镇卫生院', '')}镇中心小学"
        started = now - timedelta(days=9)
        incident = incidents.open_incident(title=f"{place}诺如病毒感染聚集性疫情", kind="outbreak", unit=town,
                                           place=place, started_at=started, detected_at=started + timedelta(days=2),
                                           actor=epi, at=started + timedelta(days=2))
    _cluster_response(incident, epi, made)
    cholera = _cholera(reporting, now, rng)
    single_case_alert(card=cholera.pk)
    sweep(now)
    progress(f"  当前疫情：报告卡 {len(made) + 1} 张（其中待审核 "
             f"{CaseCard.objects.filter(state=CardState.PENDING).count()}，疑似重复 {duplicates_held}），"
             f"预警信号 {len(opened) + 1} 个，处置中事件 1 起，零报告机构 {len(quiet)} 个")
    return {"cards": len(made) + 1, "baseline": baseline, "signals": len(opened) + 1, "incident": incident.pk}


def _baseline_counts(units: dict[str, OrgUnit], rng: random.Random, first: date, last: date) -> int:
    """Daily counts per township before the present's cards (the detectors' three-year baselines)."""
    diseases = {d.code: d for d in Disease.objects.filter(code__in=SEASON)}
    draw = np.random.default_rng(rng.randrange(2**32))
    days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
    months = np.array([d.month - 1 for d in days])
    rows = []
    townships = [u for u in units.values() if u.kind == "township"]
    for unit in townships:
        for code, weights in SEASON.items():
            mean = CARDS_PER_DAY / len(SEASON) / len(townships) * np.array(weights)[months] * 1.1
            values = draw.poisson(mean)
            rows += [(diseases[code].pk, unit.pk, days[k], int(values[k])) for k in np.flatnonzero(values)]
    return _insert_daily(rows)


def _review_present(made: list[CaseCard], epi, now: datetime, rng: random.Random) -> None:
    """Cards are reviewed within hours; those of the last day wait, at every warning level of their
    24-hour clock (reported 2, 20, 22.5 and 30 hours ago among them)."""
    for card in made:
        if now - card.reported_at > timedelta(hours=12) and card.state == CardState.PENDING:
            when = card.reported_at + timedelta(hours=rng.choice((1, 2, 3, 5, 8, 20)))
            review.review_card(card, actor=epi, at=min(when, now))
    village = made[-1].reporting_unit
    for hours in (2, 20, 22.5, 30):
        reported = now - timedelta(hours=hours)
        data = card_fields(rng, "A09", village, local_date(reported - timedelta(days=1)),
                           reported - timedelta(hours=1))
        made.append(cards.report_card(data, unit=village, actor_label=PRESENT_ACTOR, at=reported))


def _held_duplicates(made: list[CaseCard], now: datetime) -> int:
    """Two patients reported again by their township health center: held as probable duplicates."""
    held = 0
    reviewed = CaseCard.objects.filter(pk__in=[c.pk for c in made], state=CardState.REVIEWED, entered_by_unit=None)
    for card in reviewed.select_related("reporting_unit__parent").order_by("-reported_at")[:2]:
        again = cards.card_data(card) | {"classification": "confirmed"}
        if cards.report_card(again, unit=card.reporting_unit.parent, actor_label=PRESENT_ACTOR,
                             at=min(now, card.reported_at + timedelta(hours=3))).state == CardState.HELD:
            held += 1
    return held


def _respond_present(opened: list[Signal], epi, now: datetime, cluster_town: OrgUnit) -> Incident:
    """The signals verified within hours, except the last day's and the latest MPM one, which wait;
    the cluster's is confirmed as an outbreak, which opens its incident (notified, responded to, not
    yet closed, with its 7-1-7 times)."""
    waiting = {s.pk for s in opened if now - s.opened_at < timedelta(hours=20)}
    latest_mpm = max((s for s in opened if s.method == "mpm" and s.unit != cluster_town), key=lambda s: s.opened_at,
                     default=None)
    if latest_mpm is not None:
        waiting.add(latest_mpm.pk)
    incident = None
    for k, signal in enumerate(sorted(opened, key=lambda s: s.opened_at)):
        when = signal.opened_at + timedelta(hours=2 + k % 12)
        if signal.unit == cluster_town and signal.disease.code == "A09" and incident is None:
            place = f"{cluster_town.name.replace('镇卫生院', '')}镇中心小学"
            _signal, incident = signals.respond(signal, SignalState.CONFIRMED, actor=epi, at=when, incident={
                "title": f"{place}诺如病毒感染聚集性疫情", "place": place,
                "started_at": signal.opened_at - timedelta(days=2)})
            continue
        if signal.pk in waiting:
            continue
        outcome = SignalState.SUSPECTED if k % 4 == 0 else SignalState.EXCLUDED
        signals.respond(signal, outcome, actor=epi, at=when,
                        reason="核实为散发病例，无流行病学关联" if outcome == SignalState.EXCLUDED else "")
    return incident


def _cluster_response(incident: Incident, epi, made: list[CaseCard]) -> None:
    detected = incident.detected_at
    incidents.notify_incident(incident, at=detected + timedelta(hours=3), actor=epi)
    incidents.respond_incident(incident, at=detected + timedelta(hours=14), actor=epi)
    incidents.add_log(incident, "investigation", "病例集中在三、四年级，均有呕吐腹泻，采集肛拭子送检诺如病毒",
                      at=detected + timedelta(hours=15), actor=epi)
    incidents.add_log(incident, "measure", "停课班级居家观察，教室和食堂含氯消毒，晨午检每日报告",
                      at=detected + timedelta(hours=20), actor=epi)
    incidents.link_cases(incident, [c for c in made if c.disease.code == "A09"
                                    and c.reporting_unit.parent_id == incident.unit_id
                                    and c.reported_at >= incident.started_at][:30],
                         actor=epi, at=detected + timedelta(hours=21))


def _settle_2010(epi) -> None:
    """What the 2010 build leaves waiting (its last cards and signals) is settled in 2010, so that the
    present's queue and signals are this season's and no sixteen-year-old item is swept."""
    for card in CaseCard.objects.filter(state=CardState.PENDING, reported_at__year=2010):
        review.review_card(card, actor=epi, at=card.reported_at + timedelta(hours=6))
    for signal in Signal.objects.filter(state=SignalState.OPEN, opened_on__year=2010):
        signals.respond(signal, SignalState.EXCLUDED, actor=epi, at=signal.opened_at + timedelta(hours=6),
                        reason="核实为散发病例，无流行病学关联")


def _cholera(reporting: list[OrgUnit], now: datetime, rng: random.Random) -> CaseCard:
    """A cholera card reported 40 minutes ago (Class A: reported within 2 hours, a single-case alert)."""
    village = reporting[len(reporting) // 2]
    reported = now - timedelta(minutes=40)
    data = card_fields(rng, "A00", village, local_date(reported), reported - timedelta(hours=1)) | {
        "classification": "confirmed", "occupation": "fisherman"}
    return cards.report_card(data, unit=village, actor_label=PRESENT_ACTOR, at=reported)
