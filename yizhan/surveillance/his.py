"""漏报 (missed reports): a hospital's HIS export of the notifiable cases it diagnosed, imported as CSV
(`unit,his_id,name,id_number,disease,diagnosed_on`), checked against the cards reported: a diagnosed
case with no card of the same disease for the same patient (the same ID number, or without one the same
name) from that unit's subtree is a missed report. 漏报率 = missed / diagnosed, per unit and period
(quality.py). Every row is checked first; a broken row stops the import with all of them listed."""

from datetime import date, datetime
from typing import IO, Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yizhan.audit.log import record
from yizhan.clock.moments import resolve_at as now_or
from yizhan.csvrows import ImportResult, Rows
from yizhan.org.models import OrgUnit, Role
from yizhan.org.scope import covers, require_holds
from yizhan.surveillance.models import CardState, CaseCard, DiagnosedCase, Disease

COLUMNS = ["unit", "his_id", "name", "disease", "diagnosed_on"]
OPTIONAL = ["id_number"]
NOT_A_REPORT = (CardState.DELETED,)  # an excluded or corrected card was still reported


def import_his(stream: IO[Any], *, actor: Any = None, at: datetime | None = None,
               actor_label: str = "import-his") -> ImportResult:
    at = now_or(at)
    require_holds(actor, (Role.EPIDEMIOLOGIST,), field="unit", rule="not_permitted")
    rows = Rows(stream, COLUMNS, OPTIONAL, codes=("unit", "disease", "his_id"))
    units = {u.code: u for u in OrgUnit.objects.all()}
    diseases = {d.code: d for d in Disease.objects.all()}
    parsed = []
    for line, row in rows:
        unit, disease = units.get(row.get("unit", "")), diseases.get(row.get("disease", ""))
        if unit is None:
            rows.error(line, "unit", _("机构不存在：%(v)s") % {"v": row.get("unit", "")})
        elif actor is not None and not covers(actor, (Role.EPIDEMIOLOGIST,), unit):
            rows.error(line, "unit", _("无权导入该机构的数据：%(v)s") % {"v": unit.name})
        if disease is None:
            rows.error(line, "disease", _("未知的疾病编码：%(v)s") % {"v": row.get("disease", "")})
        rows.required(line, row, "his_id")
        rows.required(line, row, "name")
        day = rows.day(line, row, "diagnosed_on")
        parsed.append((row, unit, disease, day))
    rows.raise_if_any()
    created = updated = 0
    with transaction.atomic():
        for row, unit, disease, day in parsed:
            _case, is_new = DiagnosedCase.objects.update_or_create(
                unit=unit, his_id=row["his_id"], disease=disease,
                defaults={"name": row["name"], "id_number": row.get("id_number", "").upper(), "diagnosed_on": day,
                          "imported_at": at})
            created, updated = created + is_new, updated + (not is_new)
        record("surveillance.his.imported", ("surveillance.diagnosedcase", "his"), actor=actor,
               actor_label=actor_label, at=at, created=created, updated=updated)
    return ImportResult(created, updated)


def missed(unit: OrgUnit, first: date, last: date, *, cards=None, cases=None) -> tuple[int, list[DiagnosedCase]]:
    """(diagnosed cases in the period in `unit`'s subtree, those with no card)."""
    diagnosed = list((cases if cases is not None else DiagnosedCase.objects.all()).filter(
        unit__path__startswith=unit.path, diagnosed_on__gte=first, diagnosed_on__lte=last).select_related(
        "unit", "disease"))
    if not diagnosed:
        return 0, []
    reported = (cards if cards is not None else CaseCard.objects.all()).filter(
        reporting_unit__path__startswith=unit.path).exclude(state__in=NOT_A_REPORT)
    wanted = Q(pk__in=[])
    for case in diagnosed:
        wanted |= Q(id_number=case.id_number) if case.id_number else Q(name=case.name)
    rows = list(reported.filter(wanted).values_list("disease_id", "id_number", "name"))
    by_id = {(d, number) for d, number, _name in rows if number}
    by_name = {(d, name) for d, _number, name in rows}

    def was_reported(case: DiagnosedCase) -> bool:
        if case.id_number:
            return (case.disease_id, case.id_number) in by_id
        return (case.disease_id, case.name) in by_name

    return len(diagnosed), [c for c in diagnosed if not was_reported(c)]
