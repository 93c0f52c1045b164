"""The hall's side of a staff member: the badge number worn on duty (工号牌) and the public
commitments posted on the wall (公开承诺, 上墙公布). Kept here so the organisation's models stay
as they are; a user's roles remain `org.StaffRole`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.org.scope import HALL_STAFF, ScopedQuerySet, ScopeRule


class StaffProfile(models.Model):
    scope_rule = ScopeRule(units=("unit",), roles=HALL_STAFF)
    objects = ScopedQuerySet.as_manager()

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("人员"), on_delete=models.CASCADE,
                                related_name="hall_profile")
    name = models.CharField(_("姓名"), max_length=100)
    badge_no = models.CharField(_("工号"), max_length=32, unique=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    # Where the badge is worn: a window for a clerk, a department for its head.
    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("所在机构"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("工作人员档案")
        verbose_name_plural = _("工作人员档案")
        ordering = ["badge_no"]

    def __str__(self) -> str:
        return f"{self.badge_no} {self.name}"


class Commitment(models.Model):
    """A staff member's public commitment: text only, no photo, shown on the hall's board."""

    scope_rule = ScopeRule(units=("staff__unit",), roles=HALL_STAFF)
    objects = ScopedQuerySet.as_manager()

    staff = models.ForeignKey(StaffProfile, verbose_name=_("承诺人"), on_delete=models.CASCADE,
                              related_name="commitments")
    text = models.TextField(_("承诺内容"))
    posted_on = models.DateField(_("公布日期"))
    active = models.BooleanField(_("上墙公布"), default=True)
    sort = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("公开承诺")
        verbose_name_plural = _("公开承诺")
        ordering = ["sort", "staff__badge_no", "id"]

    def __str__(self) -> str:
        return f"{self.staff.badge_no}: {self.text[:30]}"
