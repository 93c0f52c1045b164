"""Party members and the greeting card each receives on the anniversary of the day they joined the
party (入党纪念日): one card a member a year, kept by a unique constraint, so the daily run may be
repeated or run twice at once."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.org.models import Role
from yizhan.org.scope import ScopedQuerySet, ScopeRule

ANNIVERSARY_ROLES = (Role.WELFARE_OFFICER, Role.COMMITTEE_MEMBER)


class PartyMember(models.Model):
    scope_rule = ScopeRule(units=("unit",), roles=ANNIVERSARY_ROLES, change_roles=(Role.WELFARE_OFFICER,))
    objects = ScopedQuerySet.as_manager()

    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("所在支部/单位"), on_delete=models.PROTECT,
                             related_name="party_members")
    member_no = models.CharField(_("党员编号"), max_length=32, unique=True)
    name = models.CharField(_("姓名"), max_length=100)
    joined_on = models.DateField(_("入党日期"))
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    active = models.BooleanField(_("在册"), default=True)

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["member_no"]
        indexes = [models.Index(fields=["unit", "active"])]

    def __str__(self) -> str:
        return f"{self.member_no} {self.name}"


class Card(models.Model):
    scope_rule = ScopeRule(units=("member__unit",), roles=ANNIVERSARY_ROLES, change_roles=())
    objects = ScopedQuerySet.as_manager()

    member = models.ForeignKey(PartyMember, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="cards")
    year = models.PositiveSmallIntegerField(_("年份"))
    sent_on = models.DateField(_("发送日期"), db_index=True)
    years = models.PositiveSmallIntegerField(_("党龄（年）"))
    message = models.TextField(_("祝福语"))
    channel = models.CharField(_("发送渠道"), max_length=4, blank=True)
    notification_key = models.CharField(_("通知键"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("入党纪念日贺卡")
        verbose_name_plural = _("入党纪念日贺卡")
        ordering = ["-sent_on", "member"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="anniversaries_card_once_a_year")]

    def __str__(self) -> str:
        return f"{self.member} {self.year}"
