"""Grading a public-health emergency (《国家突发公共卫生事件应急预案》 1.3 事件分级): the criteria that
can be read from an incident's kind, cases and deaths, each with the plan's wording. Other events
(plague, SARS, unexplained clusters, events across counties…) are graded by the epidemiologist with a
reason; a grade suggested here is set only by `incidents.set_grade`, with its reason, and every change
is kept (GradeChange)."""

from dataclasses import dataclass

from yizhan.surveillance.models import Grade, IncidentKind


@dataclass(frozen=True)
class Criterion:
    grade: str
    text: str

    @property
    def label(self) -> str:
        return str(Grade(self.grade).label)


def suggest(kind: str, *, cases: int, deaths: int) -> Criterion | None:
    """The grade the plan's numeric criteria give for one county's event, or None when none applies."""
    if kind == IncidentKind.FOOD_POISONING:
        if (cases > 100 and deaths > 0) or deaths >= 10:
            return Criterion(Grade.II, "一次食物中毒人数超过100人并出现死亡病例，或出现10例以上死亡病例")
        if cases > 100 or deaths > 0:
            return Criterion(Grade.III, "一次食物中毒人数超过100人，或出现死亡病例")
        if cases >= 30:
            return Criterion(Grade.IV, "一次食物中毒人数30～99人，未出现死亡病例")
        return None
    if kind == IncidentKind.OCCUPATIONAL_POISONING:
        if cases >= 50 or deaths >= 5:
            return Criterion(Grade.II, "一次发生急性职业中毒50人以上，或死亡5人以上")
        if cases >= 10 or deaths > 0:
            return Criterion(Grade.III, "一次发生急性职业中毒10～49人，或死亡4人以下")
        if cases > 0:
            return Criterion(Grade.IV, "一次发生急性职业中毒9人以下，未出现死亡病例")
        return None
    if kind == IncidentKind.CHOLERA:
        if cases >= 30:
            return Criterion(Grade.II, "霍乱在一个市（地）行政区域内流行，1周内发病30例以上")
        if cases >= 10:
            return Criterion(Grade.III, "霍乱在一个县（市）行政区域内发生，1周内发病10～29例")
        if cases > 0:
            return Criterion(Grade.IV, "霍乱在一个县（市）行政区域内发生，1周内发病9例以下")
    return None
