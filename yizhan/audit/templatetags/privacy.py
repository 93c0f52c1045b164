"""Template filters of the masking rule (`yizhan.audit.privacy`): {% load privacy %} then
`{{ case.applicant_id|mask_id }}`, `{{ phone|mask_phone }}`."""

from django import template

from yizhan.audit.privacy import mask_id as _mask_id
from yizhan.audit.privacy import mask_phone as _mask_phone

register = template.Library()


@register.filter
def mask_id(value: str) -> str:
    return _mask_id(str(value or ""))


@register.filter
def mask_phone(value: str) -> str:
    return _mask_phone(str(value or ""))
