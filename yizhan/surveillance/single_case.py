"""Single-case alerts (单病例预警) in minutes, not at the next daily run.

A disease whose detector at the reporting unit is a fixed threshold (Class A, managed as Class A, and
the diseases the catalog gives a single-case threshold: polio, avian influenza, unexplained
pneumonia, …) raises its signal when a card for it is saved, not the next morning: the card's
transaction queues the `surveillance.single_case` job on commit (yizhan/jobs; a worker polling the
queue runs it within seconds), which raises the signal through `signals.raise_alarm` — so the duty
epidemiologist is notified and the 2-hour verification clock starts then. The daily run of the same
detector (`detection.run_detection`) attaches its alarm to that open signal instead of opening
another: both go through `raise_alarm`, which keys an alarm by signal and day.

The rule follows 《传染病信息报告管理规范》 and CIDARS: Class A diseases and those managed as Class A are
reported within 2 hours, and every such case is itself an alert. A Class A card whose unit has no
detector configured still alerts (the class decides); any other disease alerts only where a fixed
threshold is configured."""

from dataclasses import dataclass

from django.db import transaction

from yizhan.jobs.runner import enqueue
from yizhan.org.models import OrgUnit
from yizhan.surveillance.catalog import TWO_HOUR_CLASSES
from yizhan.surveillance.models import CaseCard, DetectorConfig, Disease, Method, Signal, SignalState

JOB = "surveillance.single_case"


@dataclass(frozen=True)
class Watch:
    """Where a single-case alert for a card is raised, and the count that triggers it."""

    unit: OrgUnit
    threshold: float


def watch_for(disease: Disease, unit: OrgUnit) -> Watch | None:
    """The unit whose fixed-threshold detector counts a card of `disease` reported at `unit` (the unit
    itself or the nearest one above with such a setting), or None when the disease has no single-case
    alert there. A Class A disease (or one managed as A) always has one, at the reporting unit."""
    configs = DetectorConfig.objects.filter(disease=disease, active=True)
    for candidate in reversed(list(unit.ancestors())):
        config = (configs.filter(unit=candidate).first()
                  or configs.filter(unit=None, level=candidate.kind).first())
        if config is not None:
            if config.method == Method.FIXED:
                return Watch(candidate, float(config.params.get("threshold", 1)))
            if candidate == unit:
                break  # the reporting unit's own detector is another method: no single-case alert
    if disease.disease_class in TWO_HOUR_CLASSES:
        return Watch(unit, 1.0)
    return None


def candidate_diseases() -> set[int]:
    """The diseases that may raise a single-case alert somewhere (a fixed threshold configured, or
    Class A): one query, so that a list of cards checks `watch_for` only where it can apply."""
    fixed = set(DetectorConfig.objects.filter(active=True, method=Method.FIXED).values_list("disease_id", flat=True))
    return fixed | set(Disease.objects.filter(disease_class__in=TWO_HOUR_CLASSES).values_list("pk", flat=True))


def card_saved(card: CaseCard) -> None:
    """Call inside the transaction that reports (or restores) a card: once it commits, the check for a
    single-case alert is queued. Nothing is queued for a disease without one."""
    if watch_for(card.disease, card.reporting_unit) is None:
        return
    pk = card.pk
    transaction.on_commit(lambda: enqueue(JOB, key=f"card:{pk}", card=pk))


def open_signal_for(card: CaseCard) -> Signal | None:
    """The single-case signal a card raised (or attached to), while it waits for verification."""
    watch = watch_for(card.disease, card.reporting_unit)
    if watch is None:
        return None
    return (Signal.objects.filter(state=SignalState.OPEN, disease=card.disease, unit=watch.unit, method=Method.FIXED)
            .select_related("timer").order_by("-opened_on", "-pk").first())
