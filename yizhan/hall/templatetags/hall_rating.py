"""`{% rating_qr case %}`: the QR code printed on the completion notice; it opens the rating page of
that case (`/lookup/rate/<token>/`), so the applicant rates without typing anything."""

import segno
from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from yizhan.hall.models import Case
from yizhan.hall.ratings import rating_token

register = template.Library()


def rating_url(request, case: Case) -> str:
    path = reverse("hall:rate-qr", args=[rating_token(case)])
    return request.build_absolute_uri(path) if request is not None else path


@register.simple_tag(takes_context=True)
def rating_qr(context, case: Case, scale: int = 3) -> SafeString:
    """An inline SVG (no file, no network) of the case's rating URL, with the URL under it."""
    url = rating_url(context.get("request"), case)
    svg = segno.make(url, error="m").svg_inline(scale=scale, title="评价二维码")
    return mark_safe(f'<figure class="rating-qr">{svg}<figcaption>{url}</figcaption></figure>')  # noqa: S308
