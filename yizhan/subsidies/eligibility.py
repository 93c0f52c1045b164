"""Who a programme pays for: one rule per kind of eligibility, each with the message a school sees
when a pupil is refused."""

from django.utils.translation import gettext as _

from yizhan.subsidies.models import Eligibility, Programme, Pupil, School


def refusal(programme: Programme, pupil: Pupil, school: School | None) -> tuple[str, str] | None:
    """(rule, message) when `pupil` of `school` may not receive `programme`; None when eligible."""
    rule = programme.eligibility
    if rule == Eligibility.BOARDERS and not pupil.boarder:
        return rule, _("%(p)s 不是住宿生，不符合“%(g)s”的条件（仅住宿生）") % {"p": pupil.resident_id, "g": programme.name}
    if rule == Eligibility.REMOTE and not pupil.township.remote:
        return rule, _("%(p)s 的户籍乡镇 %(t)s 不是边远乡镇，不符合“%(g)s”的条件") % {
            "p": pupil.resident_id, "t": pupil.township.name, "g": programme.name}
    if rule == Eligibility.COLD_SCHOOL and not (school and school.cold_area):
        return rule, _("学校不在高寒地区，%(p)s 不符合“%(g)s”的条件") % {"p": pupil.resident_id, "g": programme.name}
    return None
