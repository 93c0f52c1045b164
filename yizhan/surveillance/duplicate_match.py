"""Which live card a report would duplicate (查重): the same ID number and disease, or without an ID
the same name, sex, occupation group, disease, birth date and address; for a disease that recurs,
only within `episode_days` of the onset. Below `cards` (which holds a probable duplicate for review
when it is reported) and `duplicates` (which settles it)."""

from datetime import timedelta

from django.db.models import Q, QuerySet

from yizhan.surveillance.models import CardState, CaseCard

# A returned card is still live: it comes back corrected (退卡 is not 删除).
LIVE = (CardState.PENDING, CardState.REVIEWED, CardState.HELD, CardState.RETURNED)


def duplicate_candidates(card: CaseCard) -> QuerySet[CaseCard]:
    if card.id_number:
        same_person = Q(id_number=card.id_number)
    else:
        same_person = Q(id_number="", name=card.name, sex=card.sex, occupation=card.occupation,
                        birth_date=card.birth_date, address=card.address)
    qs = CaseCard.objects.filter(same_person, disease=card.disease, state__in=LIVE)
    if card.disease.episode_days:
        window = timedelta(days=card.disease.episode_days)
        qs = qs.filter(onset_date__gte=card.onset_date - window, onset_date__lte=card.onset_date + window)
    if card.pk:
        qs = qs.exclude(pk=card.pk)
    return qs.order_by("reported_at", "pk")


def probable_duplicate(card: CaseCard) -> CaseCard | None:
    return duplicate_candidates(card).first()
