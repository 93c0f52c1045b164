"""The disease catalog: loaded from `data/diseases.json` (codes, names, class, dated changes and the
law or notice each comes from; the 2025 revision of 《传染病防治法》 in force since 2025-09-01 with the
merger into 人感染新亚型流感 and the other changes of its Art. 3), then kept in the admin, where every
edit is an audit event. The diseases under key surveillance (class KEY: 水痘 and the provincial list)
are kept apart and edited locally; syncing the file never overwrites them."""

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yizhan.audit.log import record
from yizhan.errors import InvalidInput
from yizhan.surveillance.models import DetectorConfig, Disease, DiseaseClass, Method

DATA_FILE = Path(__file__).parent / "data" / "diseases.json"
TWO_HOUR_CLASSES = (DiseaseClass.A, DiseaseClass.B_AS_A)
# What CIDARS runs where: single-case alerts at the village (every case counts), MPM per township.
DEFAULT_LEVEL: dict[str, str] = {Method.FIXED: "village", Method.MPM: "township"}


def read_data_file(path: Path = DATA_FILE) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def default_hours(entry: dict[str, Any]) -> int:
    if "report_hours" in entry:
        return int(entry["report_hours"])
    return 2 if entry["class"] in TWO_HOUR_CLASSES else 24


def report_hours_on(disease: Disease, day: date) -> int:
    """The reporting limit in force on `day`: 2 hours while the disease is class A or managed as A."""
    if disease.class_on(day) in TWO_HOUR_CLASSES:
        return 2
    return disease.report_hours


def load_catalog(sender: Any, **kwargs: Any) -> None:
    """After `migrate`: a fresh database has the catalog as soon as it has its tables."""
    sync_catalog()
def check_in_force(disease: Disease, subtype: str, diagnosed_on: date) -> None:
    """A disease (or a subtype) no longer reported under its own name from a date is refused for a case
    diagnosed on or after it, naming the disease that takes it."""
    if disease.retired_on and diagnosed_on >= disease.retired_on:
        target = disease.replaced_by
        raise InvalidInput(_("%(d)s自 %(day)s 起不再单独报告，请报告为%(t)s") % {
            "d": disease.name, "day": disease.retired_on, "t": f"{target.code} {target.name}" if target else "—"},
            field="disease", rule="disease_retired")
    for entry in disease.retired_subtypes:
        if entry["subtype"] == subtype and diagnosed_on.isoformat() >= entry["date"]:
            target = Disease.objects.filter(code=entry.get("replaced_by", "")).first()
            raise InvalidInput(_("%(s)s自 %(day)s 起不再按%(d)s报告，请报告为%(t)s") % {
                "s": subtype, "day": entry["date"], "d": disease.name,
                "t": f"{target.code} {target.name}" if target else "—"}, field="subtype", rule="subtype_retired")


def entry_fields(entry: dict[str, Any], sources: dict[str, str]) -> dict[str, Any]:
    """A data file entry as the Disease model's fields (without `replaced_by`, set once all exist)."""
    return {
        "name": entry["name"], "name_en": entry["name_en"], "disease_class": entry["class"],
        "report_hours": default_hours(entry), "default_method": entry.get("method", Method.NONE),
        "subtypes": entry.get("subtypes", []), "acute_chronic": entry.get("acute_chronic", False),
        "episode_days": entry.get("episode_days"),
        "changes": [{**c, "source": sources.get(c["source"], c["source"])} for c in entry.get("changes", [])],
        "sources": [sources.get(entry["source"], entry["source"])],
        "retired_on": date.fromisoformat(entry["retired_on"]) if entry.get("retired_on") else None,
        "retired_subtypes": entry.get("retired_subtypes", []),
    }


def sync_catalog(*, update: bool = False, actor_label: str = "diseases.json") -> tuple[int, int]:
    """Create the diseases of the data file that the database lacks (and their default detector);
    with `update`, also overwrite the ones it has. Returns (created, updated)."""
    data = read_data_file()
    sources = data["sources"]
    created = updated = 0
    with transaction.atomic():
        existing = {d.code: d for d in Disease.objects.all()}
        for entry in data["diseases"]:
            fields = entry_fields(entry, sources)
            disease = existing.get(entry["code"])
            if disease is None:
                disease = Disease.objects.create(code=entry["code"], **fields)
                created += 1  # installed with the code, like a data migration: no audit event
                level = DEFAULT_LEVEL.get(disease.default_method)
                if level:
                    DetectorConfig.objects.create(disease=disease, level=level, method=disease.default_method,
                                                  params={"threshold": 1} if level == "village" else {})
                existing[disease.code] = disease
            elif update and disease.disease_class != DiseaseClass.KEY:
                changed = {k: v for k, v in fields.items() if getattr(disease, k) != v}
                if changed:
                    for key, value in changed.items():
                        setattr(disease, key, value)
                    disease.save()
                    updated += 1
                    record("surveillance.disease.updated", disease, actor_label=actor_label,
                           **{k: str(v) if isinstance(v, date) else v for k, v in changed.items()})
        for entry in data["diseases"]:
            target = existing.get(entry.get("replaced_by", ""))
            disease = existing[entry["code"]]
            if target is not None and disease.replaced_by_id != target.pk:
                disease.replaced_by = target
                disease.save(update_fields=["replaced_by"])
    return created, updated


def catalog_rows() -> list[dict[str, Any]]:
    return [{"code": d.code, "name": d.name, "name_en": d.name_en, "class": d.disease_class,
             "class_label": str(DiseaseClass(d.disease_class).label), "report_hours": d.report_hours,
             "default_method": d.default_method, "subtypes": d.subtypes, "changes": d.changes,
             "sources": d.sources, "retired_on": d.retired_on.isoformat() if d.retired_on else None,
             "replaced_by": d.replaced_by.code if d.replaced_by_id else None, "retired_subtypes": d.retired_subtypes}
            for d in Disease.objects.filter(active=True).select_related("replaced_by")]
