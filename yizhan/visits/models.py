"""Hardship visits (帮困送温暖): the families in difficulty of a company's staff, the visits paid to them
with the money given (慰问金 and 助学帮困费, each a payment from a budget in the ledger), and the
festivals before which visits are due.

Lunar festivals (Spring Festival, Mid-Autumn) fall on a different day each year and chinesecalendar
carries no lunar data, so their dates are a table kept in the admin (`FestivalDate`); festivals on a
fixed day of the solar year name it on the festival itself."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.ledger.money import yuan
from yizhan.org.models import Role
from yizhan.org.scope import ScopedQuerySet, ScopeRule

# The union's welfare officer keeps the register; the party committee's members and the treasurer read it.
VISIT_ROLES = (Role.WELFARE_OFFICER, Role.COMMITTEE_MEMBER, Role.TREASURER)
VISIT_CHANGE_ROLES = (Role.WELFARE_OFFICER,)


class Reason(models.TextChoices):
    ILLNESS = "illness", _("大病重病")
    DISABILITY = "disability", _("残疾")
    SINGLE_PARENT = "single_parent", _("单亲家庭")
    STUDENT = "student", _("子女就学困难")
    LOW_INCOME = "low_income", _("收入低于最低生活标准")
    DISASTER = "disaster", _("遭受意外灾害")
    OTHER = "other", _("其他")


class Family(models.Model):
    scope_rule = ScopeRule(units=("unit",), roles=VISIT_ROLES, change_roles=VISIT_CHANGE_ROLES)
    objects = ScopedQuerySet.as_manager()

    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("所属单位"), on_delete=models.PROTECT,
                             related_name="hardship_families")
    household_no = models.CharField(_("户号"), max_length=32)
    head_name = models.CharField(_("户主"), max_length=100)
    employee_name = models.CharField(_("职工姓名"), max_length=100)
    employee_id = models.CharField(_("职工身份证号"), max_length=18)
    members = models.PositiveSmallIntegerField(_("家庭人口"), default=1)
    members_note = models.CharField(_("家庭成员"), max_length=300, blank=True)
    reason = models.CharField(_("困难原因"), max_length=20, choices=Reason.choices)
    reason_detail = models.CharField(_("困难情况"), max_length=500, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    active = models.BooleanField(_("在册"), default=True)

    class Meta:
        verbose_name = _("困难家庭")
        verbose_name_plural = _("困难家庭")
        ordering = ["unit", "household_no"]
        constraints = [models.UniqueConstraint(fields=["unit", "household_no"], name="visits_family_household_once")]

    def __str__(self) -> str:
        return f"{self.household_no} {self.head_name}"


class Festival(models.Model):
    """A festival before which the families are visited. `month`/`day` for a fixed solar date; lunar
    festivals leave them empty and take their dates from FestivalDate."""

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("节日"), max_length=50)
    month = models.PositiveSmallIntegerField(_("月"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("日"), null=True, blank=True)
    remind_days = models.PositiveSmallIntegerField(_("提前提醒天数"), default=14)
    season_days = models.PositiveSmallIntegerField(
        _("走访期（天）"), default=45, help_text=_("节前多少天内的走访算作本次节日的走访"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("走访节日")
        verbose_name_plural = _("走访节日")
        ordering = ["code"]
        constraints = [models.CheckConstraint(
            condition=(models.Q(month__isnull=True, day__isnull=True)
                       | models.Q(month__gte=1, month__lte=12, day__gte=1, day__lte=31)),
            name="visits_festival_fixed_date_whole")]

    def __str__(self) -> str:
        return self.name


class FestivalDate(models.Model):
    festival = models.ForeignKey(Festival, verbose_name=_("节日"), on_delete=models.CASCADE, related_name="dates")
    year = models.PositiveSmallIntegerField(_("年份"))
    date = models.DateField(_("日期"))

    class Meta:
        verbose_name = _("节日日期")
        verbose_name_plural = _("节日日期")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["festival", "year"], name="visits_festival_date_once")]

    def __str__(self) -> str:
        return f"{self.festival} {self.date}"


class Visit(models.Model):
    scope_rule = ScopeRule(units=("family__unit",), roles=VISIT_ROLES, change_roles=VISIT_CHANGE_ROLES)
    objects = ScopedQuerySet.as_manager()

    family = models.ForeignKey(Family, verbose_name=_("困难家庭"), on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("走访日期"), db_index=True)
    visitors = models.CharField(_("走访人"), max_length=200)
    festival = models.ForeignKey(Festival, verbose_name=_("节日"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="visits")
    budget = models.ForeignKey("ledger.Account", verbose_name=_("经费来源"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="hardship_visits")
    consolation_fen = models.BigIntegerField(_("慰问金（分）"), default=0)
    study_aid_fen = models.BigIntegerField(_("助学帮困费（分）"), default=0)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("登记时间"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(consolation_fen__gte=0, study_aid_fen__gte=0),
                                   name="visits_visit_amounts_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.family} {self.visited_on}"

    @property
    def total_fen(self) -> int:
        return self.consolation_fen + self.study_aid_fen

    @property
    def consolation_yuan(self) -> str:
        return yuan(self.consolation_fen)

    @property
    def study_aid_yuan(self) -> str:
        return yuan(self.study_aid_fen)


class FestivalReminder(models.Model):
    """A reminder sent before a festival to one unit's welfare officers: once per festival, year and unit."""

    scope_rule = ScopeRule(units=("unit",), roles=VISIT_ROLES, change_roles=())
    objects = ScopedQuerySet.as_manager()

    festival = models.ForeignKey(Festival, verbose_name=_("节日"), on_delete=models.PROTECT, related_name="reminders")
    year = models.PositiveSmallIntegerField(_("年份"))
    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField(_("提醒日期"))
    festival_on = models.DateField(_("节日日期"))
    families = models.PositiveIntegerField(_("尚未走访户数"))
    recipients = models.PositiveSmallIntegerField(_("收件人数"), default=0)

    class Meta:
        verbose_name = _("节前走访提醒")
        verbose_name_plural = _("节前走访提醒")
        ordering = ["-sent_on"]
        constraints = [models.UniqueConstraint(fields=["festival", "year", "unit"], name="visits_reminder_once")]

    def __str__(self) -> str:
        return f"{self.festival} {self.year} {self.unit}"
