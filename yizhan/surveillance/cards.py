"""Case report cards (传染病报告卡): checking a card, reporting it (directly or by the township on a
clinic's behalf, 代报), correcting it (订正: a new card naming the one it corrects, which is kept), and
the late flag. Nothing is edited in place. Review and duplicates: `review.py`, `duplicates.py`."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from yizhan.audit.log import record
from yizhan.calendar.workdays import local_date, local_tz
from yizhan.clock.limits import Limit
from yizhan.clock.moments import resolve_at as now_or
from yizhan.clock.timers import start_timer
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.identifiers import validate_resident_id
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.surveillance import single_case
from yizhan.surveillance.catalog import report_hours_on
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

REPORTING_KINDS = (UnitKind.VILLAGE, UnitKind.TOWNSHIP, UnitKind.CDC)
CHILD_AGE = 14  # the card asks for a parent's name under 14
# Foreign and Hong Kong/Macao/Taiwan patients carry other documents than the resident ID.
OTHER_DOCUMENTS = (Residence.HK_MACAO_TAIWAN, Residence.FOREIGN)
CARD_FIELDS = ("name", "guardian", "id_number", "sex", "birth_date", "age", "age_unit", "work_unit", "phone",
               "residence", "address", "occupation", "classification", "acute_chronic", "onset_date",
               "diagnosed_at", "death_date", "disease", "subtype", "doctor", "reported_at")


def _date(value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return local_date(value)
    if isinstance(value, date):
        return value
    parsed = parse_date(str(value).strip())
    if parsed is None:
        raise InvalidInput(_("不是有效的日期（如 2024-01-15）：%(v)s") % {"v": value}, field=field, rule="date")
    return parsed


def _moment(value: Any, field: str) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        moment = parse_datetime(str(value).strip())
        if moment is None:
            raise InvalidInput(_("不是有效的时间（如 2024-01-15T09:00）：%(v)s") % {"v": value}, field=field,
                               rule="datetime")
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=local_tz())


def _choice(value: Any, choices: type, field: str, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if not text and not required:
        return ""
    if text not in choices.values:
        raise InvalidInput(_("须为以下之一：%(c)s") % {"c": "、".join(choices.values)}, field=field, rule="choice")
    return text


def _text(data: dict[str, Any], field: str, *, required: bool = False) -> str:
    text = str(data.get(field) or "").strip()
    if required and not text:
        raise InvalidInput(_("不能为空"), field=field, rule="required")
    return text


@dataclass
class CheckedCard:
    fields: dict[str, Any]
    disease: Disease


def _check_one(data: dict[str, Any], clean: dict[str, Any], field: str, errors: list[InvalidInput], fn) -> None:
    try:
        clean[field] = fn()
    except InvalidInput as exc:
        errors.append(exc)


def check_card(data: dict[str, Any], *, today: date | None = None) -> tuple[CheckedCard | None, list[InvalidInput]]:
    """Every rule of the card: returns the cleaned card, or None and every broken field (in card order)."""
    errors: list[InvalidInput] = []
    c: dict[str, Any] = {}
    _check_one(data, c, "name", errors, lambda: _text(data, "name", required=True))
    _check_one(data, c, "guardian", errors, lambda: _text(data, "guardian"))
    _check_one(data, c, "sex", errors, lambda: _choice(data.get("sex"), Sex, "sex"))
    _check_one(data, c, "residence", errors, lambda: _choice(data.get("residence"), Residence, "residence"))
    _check_one(data, c, "id_number", errors, lambda: _id_number(data, c.get("residence", ""), today))
    _check_one(data, c, "birth_date", errors, lambda: _date(data.get("birth_date"), "birth_date"))
    _check_one(data, c, "age", errors, lambda: _age(data))
    _check_one(data, c, "age_unit", errors, lambda: _choice(data.get("age_unit"), AgeUnit, "age_unit",
                                                            required=data.get("age") not in (None, "")))
    _check_one(data, c, "work_unit", errors, lambda: _text(data, "work_unit"))
    _check_one(data, c, "phone", errors, lambda: _text(data, "phone"))
    _check_one(data, c, "address", errors, lambda: _text(data, "address", required=True))
    _check_one(data, c, "occupation", errors, lambda: _choice(data.get("occupation"), Occupation, "occupation"))
    _check_one(data, c, "classification", errors,
               lambda: _choice(data.get("classification"), Classification, "classification"))
    _check_one(data, c, "disease", errors, lambda: _disease(data.get("disease")))
    _check_one(data, c, "onset_date", errors, lambda: _required(_date(data.get("onset_date"), "onset_date"),
                                                                 "onset_date"))
    _check_one(data, c, "diagnosed_at", errors, lambda: _required(_moment(data.get("diagnosed_at"), "diagnosed_at"),
                                                                   "diagnosed_at"))
    _check_one(data, c, "reported_at", errors, lambda: _moment(data.get("reported_at"), "reported_at"))
    _check_one(data, c, "death_date", errors, lambda: _date(data.get("death_date"), "death_date"))
    _check_one(data, c, "doctor", errors, lambda: _text(data, "doctor", required=True))
    disease = c.get("disease")
    if disease is not None:
        _check_one(data, c, "subtype", errors, lambda: _subtype(data, disease))
        _check_one(data, c, "acute_chronic", errors, lambda: _acute_chronic(data, disease))
    errors.extend(_cross_checks(c))
    if errors:
        return None, errors
    c.pop("disease")
    return CheckedCard(c, disease), []


def _required(value: Any, field: str) -> Any:
    if value is None:
        raise InvalidInput(_("不能为空"), field=field, rule="required")
    return value


def _id_number(data: dict[str, Any], residence: str, today: date | None) -> str:
    number = _text(data, "id_number")
    if not number or residence in OTHER_DOCUMENTS:
        return number
    return validate_resident_id(number, field="id_number", today=today)


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


def _cross_checks(c: dict[str, Any]) -> list[InvalidInput]:
    """The rules between fields, over the fields that passed their own checks (a field that failed
    is not in `c`), so that a screen checking as one types sees the date order at once."""
    errors = []
    onset, diagnosed = c.get("onset_date"), c.get("diagnosed_at")
    reported = (c["reported_at"] or timezone.now()) if "reported_at" in c else None
    if "birth_date" in c and "age" in c and c["birth_date"] is None and c["age"] is None:
        errors.append(InvalidInput(_("须填写出生日期或年龄"), field="birth_date", rule="required"))
    if c.get("birth_date") and onset and c["birth_date"] > onset:
        errors.append(InvalidInput(_("出生日期不能晚于发病日期"), field="birth_date", rule="date_order"))
    if onset and diagnosed and onset > local_date(diagnosed):
        errors.append(InvalidInput(_("发病日期不能晚于诊断时间"), field="onset_date", rule="date_order"))
    if diagnosed and reported and diagnosed > reported:
        errors.append(InvalidInput(_("诊断时间不能晚于报告时间"), field="diagnosed_at", rule="date_order"))
    if c.get("death_date") and onset and reported and not onset <= c["death_date"] <= local_date(reported):
        errors.append(InvalidInput(_("死亡日期应在发病日期与报告日期之间"), field="death_date", rule="date_order"))
    years = age_in_years(c, onset) if onset and "guardian" in c else None
    if years is not None and years < CHILD_AGE and not c["guardian"]:
        errors.append(InvalidInput(_("14 岁以下患儿须填写家长姓名"), field="guardian", rule="required"))
    return errors


def check_or_raise(data: dict[str, Any]) -> CheckedCard:
    checked, errors = check_card(data)
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


def is_late(disease: Disease, diagnosed_at: datetime, reported_at: datetime) -> bool:
    return reported_at - diagnosed_at > timedelta(hours=report_hours_on(disease, local_date(diagnosed_at)))


def next_card_no(unit: OrgUnit, year: int) -> str:
    prefix = f"{unit.code}-{year}-"
    last = (CaseCard.objects.filter(card_no__startswith=prefix).order_by("-card_no")
            .values_list("card_no", flat=True).first())
    number = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{number:06d}"


def responsible_cdc(unit: OrgUnit) -> OrgUnit:
    return unit.ancestor_of_kind(UnitKind.CDC) or unit


def _create(checked: CheckedCard, *, unit: OrgUnit, entered_by: OrgUnit | None, at: datetime,
            kind: str = CardKind.FIRST, corrects: CaseCard | None = None) -> CaseCard:
    from yizhan.surveillance.duplicates import probable_duplicate

    fields = dict(checked.fields)
    fields["reported_at"] = fields["reported_at"] or at
    card = CaseCard(**fields, disease=checked.disease, reporting_unit=unit, entered_by_unit=entered_by, kind=kind,
                    corrects=corrects, original_disease=corrects.disease if corrects else None,
                    card_no=next_card_no(unit, fields["reported_at"].year))
    if kind == CardKind.FIRST:
        card.late = is_late(checked.disease, card.diagnosed_at, card.reported_at)
        card.duplicate_of = probable_duplicate(card)
        if card.duplicate_of is not None:
            card.state = CardState.HELD
    card.save()
    hours = report_hours_on(checked.disease, local_date(card.diagnosed_at))
    card.review_timer = start_timer(card, "review", Limit.hours(hours), at=card.reported_at,
                                    responsible_unit=responsible_cdc(unit), accountable=True)
    card.save(update_fields=["review_timer"])
    single_case.card_saved(card)
    return card


def report_card(data: dict[str, Any], *, unit: OrgUnit, entered_by: OrgUnit | None = None, actor: Any = None,
                actor_label: str = "", at: datetime | None = None) -> CaseCard:
    """Report a new card for `unit` (`entered_by`: the township entering it on the clinic's behalf).
    A probable duplicate is held for review instead of waiting for review as usual."""
    at = now_or(at)
    check_units(unit, entered_by)
    checked = check_or_raise(data)
    with transaction.atomic():
        card = _create(checked, unit=unit, entered_by=entered_by, at=at)
        record("surveillance.card.reported", card, actor=actor, actor_label=actor_label, at=at,
               card_no=card.card_no, disease=card.disease.code, unit=unit.code,
               proxy=entered_by.code if entered_by else None, late=card.late, state=card.state,
               duplicate_of=card.duplicate_of.card_no if card.duplicate_of else None)
    return card


def correct_card(original: CaseCard, data: dict[str, Any], *, actor: Any = None, actor_label: str = "",
                 at: datetime | None = None) -> CaseCard:
    """订正: a new card with the corrected fields naming `original`, which is kept unchanged except
    that it is marked corrected; the correction keeps the original disease for the record."""
    at = now_or(at)
    checked = check_or_raise(data)
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
            from yizhan.clock.timers import stop_timer

            stop_timer(original.review_timer, at=at)
        record("surveillance.card.corrected", original, actor=actor, actor_label=actor_label, at=at,
               correction=card.card_no, previous_state=previous, disease=original.disease.code,
               new_disease=card.disease.code)
    return card


def card_data(card: CaseCard) -> dict[str, Any]:
    """The card's fields as `report_card` takes them (a correction starts from them)."""
    data = {name: getattr(card, name) for name in CARD_FIELDS if name != "disease"}
    data["disease"] = card.disease.code
    return data
