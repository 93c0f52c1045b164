from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from yizhan.quality.models import AuditPlan


def plan_of(code: str) -> AuditPlan:
    found = AuditPlan.objects.filter(code=code).first()
    if found is None:
        raise CommandError(_("PLAN：审核计划 %(c)s 不存在") % {"c": code})
    return found
