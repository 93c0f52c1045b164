"""The city's basic public-health service programmes and their scoring sheets, kept as data
(`data/programmes.json`: the nine programmes of the 2009 national specification, six of which the
CDC manages and assesses). Loading is idempotent: programmes and indicators are matched by code."""

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yizhan.assessment.models import Indicator, Programme
from yizhan.audit.log import record
from yizhan.errors import InvalidInput
from yizhan.org.models import OrgUnit, UnitKind

DATA = Path(__file__).resolve().parent / "data" / "programmes.json"


def catalogue() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def load_programmes(cdc: OrgUnit, data: dict[str, Any] | None = None, *, actor: Any = None,
                    actor_label: str = "catalogue") -> list[Programme]:
    """Create or update the programmes of `data` (default: the shipped catalogue) for `cdc`."""
    if cdc.kind != UnitKind.CDC:
        raise InvalidInput(_("项目须属于疾控中心"), field="cdc", rule="not_cdc")
    data = data or catalogue()
    result = []
    with transaction.atomic():
        for p_sort, item in enumerate(data["programmes"], start=1):
            programme, created = Programme.objects.update_or_create(code=item["code"], defaults={
                "name": item["name"], "cdc": cdc, "managed_by_cdc": item["managed_by_cdc"],
                "lead_agency": item.get("lead_agency", ""), "sort": p_sort})
            for i_sort, ind in enumerate(item["indicators"], start=1):
                Indicator.objects.update_or_create(code=ind["code"], defaults={
                    "programme": programme, "name": ind["name"], "max_score": Decimal(str(ind["max_score"])),
                    "weight": Decimal(str(ind["weight"])), "evidence_required": ind["evidence_required"], "sort": i_sort})
            if created:
                record("assessment.programme.loaded", programme, actor=actor, actor_label=actor_label,
                       code=programme.code, indicators=[i["code"] for i in item["indicators"]])
            result.append(programme)
    return result
