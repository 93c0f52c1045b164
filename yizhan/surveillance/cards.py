"""Case report cards (中华人民共和国传染病报告卡, 《传染病信息报告管理规范（2015年版）》 and its card):
checking a card, reporting it (directly or by the township on a clinic's behalf, 代报), resubmitting a
returned one, correcting it (订正: a new card naming the one it corrects, which is kept), and the late
flag. The report time is the server's: when the card reached Yizhan. Review, return, exclusion and
deletion: `review.py`; duplicates: `duplicates.py`."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from yizhan.audit.log import record
from yizhan.calendar.workdays import local_date, local_tz
from yizhan.clock.limits import Limit
from yizhan.clock.moments import resolve_at as now_or
from yizhan.clock.timers import start_timer, stop_timer
from yizhan.days import check_day, parse_day
from yizhan.divisions.models import HK_MACAO_TAIWAN, Division, Level
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.identifiers import unsafe_char_error, validate_phone, validate_resident_id
from yizhan.org.models import OrgUnit, Role, UnitKind
from yizhan.org.scope import require_covers
from yizhan.surveillance import single_case
from yizhan.surveillance.catalog import check_in_force, report_hours_on
from yizhan.surveillance.duplicate_match import probable_duplicate
from yizhan.surveillance.models import (
    AgeUnit,
    CardKind,
    CardState,
    CaseCard,
    Classification,
    Disease,
    Occupation,
    Residence,
    Sex,
)
from yizhan.surveillance.residence import derive_residence, full_address, residence_unit
from yizhan.surveillance.units import responsible_cdc

REPORTING_KINDS = (UnitKind.VILLAGE, UnitKind.TOWNSHIP, UnitKind.CDC)
CHILD_AGE = 14  # the card asks for a parent's name under 14
# Hong Kong/Macao/Taiwan and foreign patients carry other documents than the resident ID.
OTHER_DOCUMENTS = (Residence.HK_MACAO_TAIWAN, Residence.FOREIGN)
# The card's fields as a reporter gives them, in the order of the national card.
CARD_FIELDS = ("name", "guardian", "id_number", "no_id_number", "sex", "birth_date", "age", "age_unit", "work_unit",
               "phone", "foreign", "address_division", "house_number", "occupation", "classification",
               "acute_chronic", "onset_date", "diagnosed_at", "death_date", "disease", "subtype", "treated_here",
               "doctor", "doctor_phone", "filled_on", "remarks")
BOOLEAN_FIELDS = ("no_id_number", "foreign", "treated_here")
RESUBMIT_HOURS = 24  # a returned card is corrected and resubmitted within a day


def _date(value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return local_date(value)
    if isinstance(value, date):
        return value
    return parse_day(value, field)


def moment(value: Any, field: str) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = parse_datetime(str(value).strip())
        except ValueError:  # well formed but no such day or hour (2026-12-32T10:00)
            moment = None
        if moment is None:
            raise InvalidInput(_("不是有效的时间（如 2024-01-15T09:00）：%(v)s") % {"v": str(value)[:40]}, field=field,
                               rule="datetime")
    check_day(moment, field)
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=local_tz())


def _choice(value: Any, choices: type[models.TextChoices], field: str, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if not text and not required:
        return ""
    if text not in choices.values:
        raise InvalidInput(_("须为以下之一：%(c)s") % {"c": "、".join(str(label) for label in choices.labels)},
                           field=field, rule="choice")
    return text


def _text(data: dict[str, Any], field: str, *, required: bool = False) -> str:
    text = str(data.get(field) or "").strip()
    if not text.isprintable() and (error := unsafe_char_error(text, field, controls=False)) is not None:
        raise error
    if required and not text:
        raise InvalidInput(_("不能为空"), field=field, rule="required")
    return text


def flag(value: Any) -> bool:
    """A checkbox as forms, JSON and CSV send it."""
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "true", "on", "yes", "y", "是")


@dataclass
class CheckedCard:
    fields: dict[str, Any]
    disease: Disease


def _check_one(clean: dict[str, Any], field: str, errors: list[InvalidInput], fn) -> None:
    try:
        clean[field] = fn()
    except InvalidInput as exc:
        errors.append(exc)


def check_card(data: dict[str, Any], *, unit: OrgUnit | None = None, at: datetime | None = None,
               server_stamped: bool = True) -> tuple[CheckedCard | None, list[InvalidInput]]:
    """Every rule of the card: returns the cleaned card, or None and every broken field (in card order).
    `unit`: the reporting unit (病人属于 is derived against its county); `at`: now, the latest any date
    on the card may be (the report time)."""
    at = now_or(at)
    # A NUL or a lone surrogate in any value is named on its field before a value reaches a lookup
    # (PostgreSQL refuses such a string even in a WHERE clause); the field is then checked as empty.
    unsafe = {key: error for key, value in data.items()
              if isinstance(value, str) and (error := unsafe_char_error(value, key, controls=False)) is not None}
    if unsafe:
        data = {key: "" if key in unsafe else value for key, value in data.items()}
    errors: list[InvalidInput] = list(unsafe.values())
    c: dict[str, Any] = {}
    if server_stamped and str(data.get("reported_at") or "").strip():
        errors.append(InvalidInput(_("报告时间由系统在收到报告卡时记录，不能填写"), field="reported_at",
                                   rule="server_stamped"))
    for name in BOOLEAN_FIELDS:
        c[name] = flag(data.get(name, name == "treated_here"))
    _check_one(c, "name", errors, lambda: _text(data, "name", required=True))
    _check_one(c, "guardian", errors, lambda: _text(data, "guardian"))
    _check_one(c, "sex", errors, lambda: _choice(data.get("sex"), Sex, "sex"))
    _check_one(c, "address_division", errors, lambda: _division(data, c["foreign"]))
    _check_one(c, "residence", errors, lambda: _residence(c, unit))
    _check_one(c, "id_number", errors, lambda: _id_number(data, c, at))
    _check_one(c, "birth_date", errors, lambda: _date(data.get("birth_date"), "birth_date"))
    _check_one(c, "age", errors, lambda: _age(data))
    _check_one(c, "age_unit", errors, lambda: _choice(data.get("age_unit"), AgeUnit, "age_unit",
                                                       required=data.get("age") not in (None, "")))
    _check_one(c, "work_unit", errors, lambda: _text(data, "work_unit"))
    _check_one(c, "phone", errors, lambda: validate_phone(data.get("phone"), field="phone"))
    _check_one(c, "house_number", errors, lambda: _text(data, "house_number"))
    _check_one(c, "occupation", errors, lambda: _choice(data.get("occupation"), Occupation, "occupation"))
    _check_one(c, "classification", errors,
               lambda: _choice(data.get("classification"), Classification, "classification"))
    _check_one(c, "disease", errors, lambda: _disease(data.get("disease")))
    _check_one(c, "onset_date", errors, lambda: _required(_date(data.get("onset_date"), "onset_date"), "onset_date"))
    _check_one(c, "diagnosed_at", errors, lambda: _required(moment(data.get("diagnosed_at"), "diagnosed_at"),
                                                             "diagnosed_at"))
    _check_one(c, "death_date", errors, lambda: _date(data.get("death_date"), "death_date"))
    _check_one(c, "doctor", errors, lambda: _text(data, "doctor", required=True))
    _check_one(c, "doctor_phone", errors, lambda: _required(validate_phone(data.get("doctor_phone"),
                                                                           field="doctor_phone"), "doctor_phone"))
    _check_one(c, "filled_on", errors, lambda: _required(_date(data.get("filled_on"), "filled_on"), "filled_on"))
    _check_one(c, "remarks", errors, lambda: _text(data, "remarks"))
    disease = c.get("disease")
    if disease is not None:
        _check_one(c, "subtype", errors, lambda: _subtype(data, disease))
        _check_one(c, "acute_chronic", errors, lambda: _acute_chronic(data, disease))
    errors.extend(_cross_checks(c, at))
    if errors:
        # (a field named for its NUL is not named again as empty)
        return None, [e for e in errors if e.field not in unsafe or e in unsafe.values()]
    c.pop("disease")
    c["address"] = full_address(c["address_division"], c["house_number"]) or c["house_number"]
    c["residence_unit"] = residence_unit(c["address_division"])
    return CheckedCard(c, disease), []


def _required(value: Any, field: str) -> Any:
    if value in (None, ""):
        raise InvalidInput(_("不能为空"), field=field, rule="required")
    return value


def _division(data: dict[str, Any], foreign: bool) -> Division | None:
    value = data.get("address_division")
    if isinstance(value, Division):
        return value
    code = str(value or "").strip()
    if not code:
        if foreign:
            return None
        raise InvalidInput(_("须选择现住址所在的县（区）"), field="address_division", rule="required")
    division = Division.objects.filter(code=code, active=True).select_related("parent__parent__parent__parent").first()
    if division is None:
        raise InvalidInput(_("未知的行政区划代码：%(v)s") % {"v": code}, field="address_division",
                           rule="unknown_division")
    if division.level in (Level.PROVINCE, Level.CITY) and division.code not in HK_MACAO_TAIWAN:
        raise InvalidInput(_("现住址须选到县（区）"), field="address_division", rule="address_level")
    return division


def _residence(c: dict[str, Any], unit: OrgUnit | None) -> str:
    if "address_division" not in c:
        return ""
    if unit is None:  # checked before the reporting unit is chosen: derived when it is
        return Residence.FOREIGN if c["foreign"] else ""
    return derive_residence(c["address_division"], foreign=c["foreign"], reporting_unit=unit)


def _id_number(data: dict[str, Any], c: dict[str, Any], at: datetime) -> str:
    """The ID number is required unless the patient has none; a resident ID is checked, then its birth
    date and sex must agree with the card's (checked in `_cross_checks`)."""
    number = _text(data, "id_number")
    if c["no_id_number"]:
        if number:
            raise InvalidInput(_("已勾选“无有效证件”，不能再填写证件号"), field="id_number", rule="no_id_number")
        return ""
    if not number:
        raise InvalidInput(_("患者有有效证件的须填写证件号；确无证件的勾选“无有效证件”"), field="id_number",
                           rule="required")
    if c.get("residence") in OTHER_DOCUMENTS or c["foreign"]:
        return number
    return validate_resident_id(number, field="id_number", today=local_date(at))
def _age(data: dict[str, Any]) -> int | None:
    value = data.get("age")
    if value in (None, ""):
        return None
    try:
        age = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(_("应为整数：%(v)s") % {"v": value}, field="age", rule="integer") from None
    if not 0 <= age <= 150:
        raise InvalidInput(_("年龄应在 0–150 之间"), field="age", rule="range")
    return age


def _disease(code: Any) -> Disease:
    disease = Disease.objects.filter(code=str(code or "").strip(), active=True).first()
    if disease is None:
        raise InvalidInput(_("未知的疾病编码：%(v)s") % {"v": code}, field="disease", rule="unknown_disease")
    return disease


def _subtype(data: dict[str, Any], disease: Disease) -> str:
    subtype = _text(data, "subtype")
    if disease.subtypes and subtype not in disease.subtypes:
        raise InvalidInput(_("%(d)s须填写分型：%(c)s") % {"d": disease.name, "c": "、".join(disease.subtypes)},
                           field="subtype", rule="subtype")
    if not disease.subtypes and subtype:
        raise InvalidInput(_("%(d)s没有分型") % {"d": disease.name}, field="subtype", rule="subtype")
    return subtype


def _acute_chronic(data: dict[str, Any], disease: Disease) -> str:
    value = _text(data, "acute_chronic")
    if disease.acute_chronic and value not in ("acute", "chronic"):
        raise InvalidInput(_("%(d)s须注明急性或慢性") % {"d": disease.name}, field="acute_chronic", rule="required")
    if not disease.acute_chronic and value:
        raise InvalidInput(_("%(d)s不区分急性/慢性") % {"d": disease.name}, field="acute_chronic", rule="choice")
    return value


def age_in_years(c: dict[str, Any], on: date) -> int | None:
    if c.get("birth_date"):
        born = c["birth_date"]
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    if c.get("age") is not None:
        return c["age"] if c.get("age_unit") == AgeUnit.YEAR else 0
    return None


def _cross_checks(c: dict[str, Any], at: datetime) -> list[InvalidInput]:
    """The rules between fields, over the fields that passed their own checks (a field that failed
    is not in `c`), so that a screen checking as one types sees the date order at once:
    birth ≤ onset ≤ diagnosis ≤ death ≤ report, diagnosis ≤ 填卡日期 ≤ report, nothing in the future,
    and a resident ID's birth date and sex (digits 7–14 and 17, GB 11643) agree with the card's."""
    errors = []
    today = local_date(at)
    onset, diagnosed, death = c.get("onset_date"), c.get("diagnosed_at"), c.get("death_date")
    for field in ("birth_date", "onset_date", "death_date", "filled_on"):
        if c.get(field) and c[field] > today:
            errors.append(InvalidInput(_("不能晚于今天（%(d)s）") % {"d": today}, field=field, rule="future_date"))
    if diagnosed and diagnosed > at:
        errors.append(InvalidInput(_("诊断时间不能晚于现在"), field="diagnosed_at", rule="future_date"))
    if "birth_date" in c and "age" in c and c["birth_date"] is None and c["age"] is None and not c.get("id_number"):
        errors.append(InvalidInput(_("须填写出生日期或年龄"), field="birth_date", rule="required"))
    number = c.get("id_number", "")
    if number and len(number) == 18 and c.get("residence") not in OTHER_DOCUMENTS and not c.get("foreign"):
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        if c.get("birth_date") and c["birth_date"] != born:
            errors.append(InvalidInput(_("出生日期与身份证号码中的出生日期（%(d)s）不符") % {"d": born},
                                       field="birth_date", rule="id_birth_date"))
        elif "birth_date" in c and not c["birth_date"]:
            c["birth_date"] = born
        sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
        if c.get("sex") and c["sex"] != sex:
            errors.append(InvalidInput(_("性别与身份证号码（第 17 位）不符：应为%(s)s") % {"s": Sex(sex).label},
                                       field="sex", rule="id_sex"))
    if c.get("birth_date") and onset and c["birth_date"] > onset:
        errors.append(InvalidInput(_("出生日期不能晚于发病日期"), field="birth_date", rule="date_order"))
    if onset and diagnosed and onset > local_date(diagnosed):
        errors.append(InvalidInput(_("发病日期不能晚于诊断时间"), field="onset_date", rule="date_order"))
    if death and diagnosed and death < local_date(diagnosed):
        errors.append(InvalidInput(_("死亡日期不能早于诊断日期"), field="death_date", rule="date_order"))
    if c.get("filled_on") and diagnosed and c["filled_on"] < local_date(diagnosed):
        errors.append(InvalidInput(_("填卡日期不能早于诊断日期"), field="filled_on", rule="date_order"))
    if c.get("disease") and diagnosed and "subtype" in c:
        try:
            check_in_force(c["disease"], c["subtype"], local_date(diagnosed))
        except InvalidInput as exc:
            errors.append(exc)
    years = age_in_years(c, onset) if onset and "guardian" in c else None
    if years is not None and years < CHILD_AGE and not c["guardian"]:
        errors.append(InvalidInput(_("14 岁以下患儿须填写家长姓名"), field="guardian", rule="required"))
    return errors


def check_or_raise(data: dict[str, Any], *, unit: OrgUnit | None = None, at: datetime | None = None,
                   server_stamped: bool = True) -> CheckedCard:
    checked, errors = check_card(data, unit=unit, at=at, server_stamped=server_stamped)
    if errors:
        raise errors[0]
    return checked


def check_units(unit: OrgUnit, entered_by: OrgUnit | None) -> None:
    if unit.kind not in REPORTING_KINDS:
        raise InvalidInput(_("报告单位须为医疗卫生机构：%(u)s") % {"u": unit}, field="reporting_unit",
                           rule="reporting_unit")
    if entered_by is not None and (entered_by.kind != UnitKind.TOWNSHIP or not entered_by.contains(unit)
                                   or entered_by == unit):
        raise InvalidInput(_("代报单位须为报告单位所属的乡镇卫生院"), field="entered_by_unit", rule="proxy_unit")


def is_late(disease: Disease, diagnosed_at: datetime, reported_at: datetime, *, filled_on: date | None = None,
            proxy: bool = False) -> bool:
    """迟报. A card reported online is late when it reached Yizhan more than the limit after diagnosis.
    A clinic without online reporting meets its duty by sending the paper card to the township within the
    limit (《传染病信息报告管理规范（2015年版）》: 不具备网络直报条件的医疗机构…在规定的时限内…寄送传染病
    报告卡至代报单位); the paper carries only its 填卡日期, so a 代报 card is late when that date is after the
    day the limit ended. The township's own keying delay shows on its screen, not as the clinic's lateness."""
    limit = timedelta(hours=report_hours_on(disease, local_date(diagnosed_at)))
    if proxy and filled_on is not None:
        return filled_on > local_date(diagnosed_at + limit)
    return reported_at - diagnosed_at > limit


def next_card_no(unit: OrgUnit, year: int) -> str:
    prefix = f"{unit.code}-{year}-"
    last = (CaseCard.objects.filter(card_no__startswith=prefix).order_by("-card_no")
            .values_list("card_no", flat=True).first())
    number = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{number:06d}"


def start_review_clock(card: CaseCard, at: datetime) -> None:
    """The CDC reviews within the card's reporting limit (2 hours for class A and those managed as A,
    24 for the rest), from when the card (or its resubmission) reached Yizhan."""
    hours = report_hours_on(card.disease, local_date(card.diagnosed_at))
    card.review_timer = start_timer(card, "review", Limit.hours(hours), at=at,
                                    responsible_unit=responsible_cdc(card.reporting_unit), accountable=True)
    card.save(update_fields=["review_timer"])


def _create(checked: CheckedCard, *, unit: OrgUnit, entered_by: OrgUnit | None, at: datetime,
            kind: str = CardKind.FIRST, corrects: CaseCard | None = None,
            reported_at: datetime | None = None) -> CaseCard:
    card = CaseCard(**checked.fields, disease=checked.disease, reporting_unit=unit, entered_by_unit=entered_by,
                    kind=kind, corrects=corrects, original_disease=corrects.disease if corrects else None,
                    reported_at=reported_at or at, card_no=next_card_no(unit, (reported_at or at).year))
    if kind == CardKind.FIRST:
        card.late = is_late(checked.disease, card.diagnosed_at, card.reported_at, filled_on=card.filled_on,
                            proxy=entered_by is not None)
        card.duplicate_of = probable_duplicate(card)
        if card.duplicate_of is not None:
            card.state = CardState.HELD
    card.save()
    start_review_clock(card, card.reported_at)
    single_case.card_saved(card)
    return card


def report_card(data: dict[str, Any], *, unit: OrgUnit, entered_by: OrgUnit | None = None, actor: Any = None,
                actor_label: str = "", at: datetime | None = None,
                legacy_reported_at: datetime | None = None) -> CaseCard:
    """Report a new card for `unit` (`entered_by`: the township entering it on the clinic's behalf).
    The report time is `at`, the server's now (the demo's and the replay's simulated clock); a client's
    `reported_at` is refused. `legacy_reported_at`: an operator's import of another system's cards keeps
    that system's stamp. A probable duplicate is held for review instead of waiting for review as usual."""
    at = now_or(at)
    check_units(unit, entered_by)
    require_covers(actor, (Role.REPORTER, Role.EPIDEMIOLOGIST), entered_by or unit, field="reporting_unit",
                   rule="not_permitted")
    checked = check_or_raise(data, unit=unit, at=legacy_reported_at or at,
                             server_stamped=legacy_reported_at is None)
    with transaction.atomic():
        card = _create(checked, unit=unit, entered_by=entered_by, at=at, reported_at=legacy_reported_at)
        record("surveillance.card.reported", card, actor=actor, actor_label=actor_label, at=at,
               card_no=card.card_no, disease=card.disease.code, unit=unit.code,
               proxy=entered_by.code if entered_by else None, late=card.late, state=card.state,
               filled_on=card.filled_on, residence_unit=card.residence_unit.code if card.residence_unit else None,
               duplicate_of=card.duplicate_of.card_no if card.duplicate_of else None,
               imported=legacy_reported_at is not None)
    return card


def correct_card(original: CaseCard, data: dict[str, Any], *, actor: Any = None, actor_label: str = "",
                 at: datetime | None = None) -> CaseCard:
    """订正: a new card (订正报告) with the corrected fields naming `original`, which is kept unchanged
    except that it is marked corrected; the correction keeps the original disease for the record. The
    reporter of the card or the responsible CDC may correct it."""
    at = now_or(at)
    require_covers(actor, (Role.REPORTER, Role.EPIDEMIOLOGIST), original.entered_by_unit or original.reporting_unit,
                   field="corrects", rule="not_permitted")
    checked = check_or_raise(data, unit=original.reporting_unit, at=at)
    with transaction.atomic():
        original = CaseCard.objects.select_for_update().get(pk=original.pk)
        if original.state not in (CardState.PENDING, CardState.REVIEWED):
            raise IllegalTransition(_("卡片 %(n)s 状态为%(s)s，不能订正") % {
                "n": original.card_no, "s": CardState(original.state).label}, field="corrects")
        card = _create(checked, unit=original.reporting_unit, entered_by=original.entered_by_unit, at=at,
                       kind=CardKind.CORRECTION, corrects=original)
        previous = original.state
        original.state = CardState.CORRECTED
        original.save(update_fields=["state"])
        if original.review_timer and original.review_timer.stopped_at is None:
            stop_timer(original.review_timer, at=at)
        record("surveillance.card.corrected", original, actor=actor, actor_label=actor_label, at=at,
               correction=card.card_no, previous_state=previous, disease=original.disease.code,
               new_disease=card.disease.code)
    return card


def card_data(card: CaseCard) -> dict[str, Any]:
    """The card's fields as `report_card` takes them (a correction or a resubmission starts from them)."""
    data = {name: getattr(card, name) for name in CARD_FIELDS if name not in ("disease", "address_division")}
    data["disease"] = card.disease.code
    data["address_division"] = card.address_division.code if card.address_division_id else ""
    return data
