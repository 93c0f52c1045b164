"""The fund's management rules (管理办法) as data: a version is loaded from a JSON file (`yizhan
relief load-rules`) or edited in the admin, and the version in force on the day of an application
decides who is eligible, what must be handed in and the ceilings.

File format (one version):
    {"fund": "BH-RELIEF", "version": "2009-1", "title": "…管理办法", "effective_from": "2009-01-01",
     "illnesses": ["恶性肿瘤", …], "certificate_required": true, "materials": ["救助申请表", …],
     "ceiling_per_person_fen": 3000000, "ceiling_per_year_fen": 15000000, "text": "第一条 …"}

The materials become the checklist of the fund's hall matter, so the case engine's one-time notice
lists exactly what the rules require."""

import json
from datetime import date
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.errors import InvalidInput, RuleError
from yizhan.hall.models import Material
from yizhan.relief.models import Fund, Rules
from yizhan.relief.rule_values import rule_errors
from yizhan.textlimits import field_limit

TEXT_FIELDS = ("version", "title")


def in_force(fund: Fund, day: date) -> Rules:
    """The version in force on `day`; InvalidInput when the fund had no rules yet."""
    rules = fund.rules.filter(effective_from__lte=day).order_by("-effective_from").first()
    if rules is None:
        raise InvalidInput(_("基金 %(f)s 在 %(d)s 尚无施行的管理办法") % {"f": fund.name, "d": day.isoformat()},
                           field="fund", rule="no_rules")
    return rules


def sync_materials(rules: Rules) -> list[Material]:
    """The rules' materials as mandatory materials of the fund's matter (added, never removed: past
    cases keep the checklist they were received with)."""
    matter = rules.fund.matter
    existing = {m.name: m for m in matter.materials.all()}
    added = []
    for sort, name in enumerate(rules.materials, start=1):
        if name.strip() not in existing:
            added.append(Material.objects.create(matter=matter, name=name.strip(), sort=sort))
    return added


def _text(data: dict, field: str) -> str:
    value = data.get(field)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(_("不能为空"), field=field, rule="required")
    if len(value.strip()) > field_limit(Rules, field):
        raise InvalidInput(_("不能超过 %(n)d 个字符") % {"n": field_limit(Rules, field)}, field=field,
                           rule="max_length")
    return value.strip()


def load_rules(stream: IO[str] | IO[bytes], *, actor: Any = None, actor_label: str = "") -> Rules:
    """Create or replace (by fund and version) one version from a JSON file; every value is checked
    first and nothing is written when one is wrong (the error names its field)."""
    try:
        data = json.load(stream)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(_("不是有效的 JSON：%(e)s") % {"e": exc}, field="file", rule="json") from None
    if not isinstance(data, dict):
        raise InvalidInput(_("文件须为一个 JSON 对象"), field="file", rule="json")
    fund = Fund.objects.filter(code=str(data.get("fund", ""))).select_related("matter").first()
    if fund is None:
        raise InvalidInput(_("没有编码为 %(c)s 的救助基金") % {"c": data.get("fund", "")}, field="fund",
                           rule="unknown_fund")
    values: dict[str, Any] = {field: _text(data, field) for field in TEXT_FIELDS}
    try:
        values["effective_from"] = date.fromisoformat(str(data.get("effective_from", "")))
    except ValueError:
        raise InvalidInput(_("日期应写作 YYYY-MM-DD"), field="effective_from", rule="date_format") from None
    errors = rule_errors(illnesses=data.get("illnesses"), materials=data.get("materials"),
                         per_person=data.get("ceiling_per_person_fen"), per_year=data.get("ceiling_per_year_fen"))
    if errors:
        raise next(iter(errors.values()))
    text = data.get("text", "")
    if not isinstance(text, str):
        raise InvalidInput(_("条文须为文本"), field="text", rule="text")
    values.update(illnesses=[v.strip() for v in data["illnesses"]], materials=[v.strip() for v in data["materials"]],
                  certificate_required=bool(data.get("certificate_required", True)), text=text,
                  ceiling_per_person_fen=data["ceiling_per_person_fen"],
                  ceiling_per_year_fen=data["ceiling_per_year_fen"])
    clash = fund.rules.filter(effective_from=values["effective_from"]).exclude(version=values["version"]).first()
    if clash is not None:
        raise InvalidInput(_("%(d)s 已有施行的版本 %(v)s") % {"d": values["effective_from"], "v": clash.version},
                           field="effective_from", rule="duplicate")
    with transaction.atomic():
        rules, created = Rules.objects.update_or_create(fund=fund, version=values.pop("version"), defaults=values)
        added = sync_materials(rules)
        record("relief.rules.loaded", rules, actor=actor, actor_label=actor_label, created=created,
               fund=fund.code, version=rules.version, effective_from=rules.effective_from,
               ceiling_per_person_fen=rules.ceiling_per_person_fen, ceiling_per_year_fen=rules.ceiling_per_year_fen,
               materials_added=[m.name for m in added])
    return rules


def eligibility_error(rules: Rules, *, illness: str, certificate_no: str) -> RuleError | None:
    """Why a member with `illness` may not be helped under `rules` (None when eligible): the
    illness must be one the rules recognise, and the medical insurer's certificate given."""
    if illness not in rules.illnesses:
        return InvalidInput(_("“%(i)s”不是《%(t)s》认定的重大疾病（认定的有：%(list)s）") % {
            "i": illness, "t": rules.title, "list": "、".join(rules.illnesses)}, field="illness",
            rule="illness_not_recognised")
    if rules.certificate_required and not certificate_no:
        return InvalidInput(_("须提供医保部门的重大疾病认定证明编号"), field="certificate_no",
                            rule="certificate_required")
    return None
