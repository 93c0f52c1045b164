from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from yizhan.assessment.models import Round


def round_of(code: str) -> Round:
    found = Round.objects.filter(code=code).first()
    if found is None:
        raise CommandError(_("ROUND：考核轮次 %(c)s 不存在") % {"c": code})
    return found
