"""Ratings (好差评, GB/T 39734-2020《政务服务评价工作指南》): after a case is completed its applicant rates
the service once, on five grades from 非常满意 (5) to 非常不满意 (1). A 不满意 or 非常不满意 rating (差评)
opens a rectification item for the department head (`yizhan.hall.rectification`).

The applicant proves they hold the case either by the last four digits of their phone or ID number
(`yizhan.hall.lookup`) or by the signed token in the QR code printed on the completion notice."""

from datetime import datetime

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.hall.models import Case, CaseState, Rating, RatingSource, Score
from yizhan.hall.rectification import open_rectification
from yizhan.hall.service import audit, locked, resolve_at

TOKEN_SALT = "yizhan.hall.rating"


def can_rate(case: Case) -> bool:
    return case.state == CaseState.COMPLETED and not Rating.objects.filter(case=case).exists()


def rate_case(case: Case, *, score: int, comment: str = "", source: str = RatingSource.LOOKUP,
              at: datetime | None = None) -> Rating:
    """The applicant's one rating of a completed case; a bad one opens its rectification item in the
    same transaction. Raises IllegalTransition if the case is not completed or is already rated."""
    at = resolve_at(at)
    if score not in Score.values:
        raise InvalidInput(_("评价须为 1 至 5（5 为非常满意，1 为非常不满意）"), field="score", rule="choice")
    if source not in RatingSource.values:
        raise InvalidInput(_("评价渠道无效"), field="source", rule="choice")
    try:
        with transaction.atomic():
            case = locked(case)
            if case.state != CaseState.COMPLETED:
                raise IllegalTransition(_("办件办结后方可评价"), field="state", rule="not_completed")
            if Rating.objects.filter(case=case).exists():
                raise IllegalTransition(_("该办件已评价，每件只能评价一次"), field="case_no", rule="already_rated")
            if at < case.completed_at:
                raise InvalidInput(_("评价时间不能早于办结时间"), field="at", rule="before_completion")
            rating = Rating.objects.create(case=case, score=score, comment=(comment or "").strip(), source=source,
                                           rated_at=at, window_id=case.window_id, department_id=case.department_id,
                                           handler_id=case.handler_id)
            audit("hall.rating.given", rating, actor=None, actor_label="applicant", at=at, case=case.case_no,
                  score=score, source=source)
            if rating.is_bad:
                open_rectification(rating, at=at)
    except IntegrityError as exc:  # the same case rated at the same moment from another process
        raise IllegalTransition(_("该办件已评价，每件只能评价一次"), field="case_no", rule="already_rated") from exc
    return rating


def rating_token(case: Case) -> str:
    """The token in the completion notice's QR code: it names the case, signed with the secret key."""
    return signing.dumps(case.case_no, salt=TOKEN_SALT, compress=True)


def case_for_token(token: str) -> Case:
    try:
        case_no = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature as exc:
        raise InvalidInput(_("二维码无效"), field="token", rule="bad_token") from exc
    case = Case.objects.select_related("matter", "promised_timer").filter(case_no=case_no).first()
    if case is None:
        raise InvalidInput(_("二维码无效"), field="token", rule="bad_token")
    return case


def rate_by_token(token: str, *, score: int, comment: str = "", at: datetime | None = None) -> Rating:
    """Rate from the QR code on the completion notice."""
    return rate_case(case_for_token(token), score=score, comment=comment, source=RatingSource.QR, at=at)
