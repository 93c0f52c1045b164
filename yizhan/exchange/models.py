"""Teacher exchange between town and country schools (城乡教师交流): the teachers of the bureau's
schools, where each school lies (town or country), and the assignments of teachers to a school of
the other kind for a period."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.org.models import Role
from yizhan.org.scope import ScopedQuerySet, ScopeRule

# The bureau's staff office (personnel and training) and the leaders see the exchange of their subtree.
EXCHANGE_ROLES = (Role.TRAINING_OFFICER, Role.LIAISON_LEADER)


class Area(models.TextChoices):
    TOWN = "town", _("城镇")
    COUNTRY = "country", _("农村")


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class SchoolSite(models.Model):
    scope_rule = ScopeRule(units=("school",), roles=EXCHANGE_ROLES)
    objects = ScopedQuerySet.as_manager()

    school = models.OneToOneField("org.OrgUnit", verbose_name=_("学校"), on_delete=models.PROTECT,
                                  related_name="site")
    area = models.CharField(_("城乡"), max_length=8, choices=Area.choices)

    class Meta:
        verbose_name = _("学校城乡类别")
        verbose_name_plural = _("学校城乡类别")
        ordering = ["school__path"]

    def __str__(self) -> str:
        return f"{self.school.name} ({self.get_area_display()})"


class Teacher(models.Model):
    scope_rule = ScopeRule(units=("school",), roles=EXCHANGE_ROLES)
    objects = ScopedQuerySet.as_manager()

    code = models.CharField(_("工号"), max_length=32, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    school = models.ForeignKey("org.OrgUnit", verbose_name=_("任职学校"), on_delete=models.PROTECT,
                               related_name="teachers")
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"))
    subject = models.CharField(_("任教学科"), max_length=30)
    resident_id = models.CharField(_("身份证号"), max_length=18, blank=True)

    class Meta:
        verbose_name = _("教师")
        verbose_name_plural = _("教师")
        ordering = ["school__path", "code"]
        constraints = [models.UniqueConstraint(fields=["resident_id"], condition=~models.Q(resident_id=""),
                                               name="exchange_teacher_resident_id")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Assignment(models.Model):
    scope_rule = ScopeRule(units=("from_school", "to_school"), roles=EXCHANGE_ROLES)
    objects = ScopedQuerySet.as_manager()

    teacher = models.ForeignKey(Teacher, verbose_name=_("教师"), on_delete=models.PROTECT, related_name="assignments")
    from_school = models.ForeignKey("org.OrgUnit", verbose_name=_("派出学校"), on_delete=models.PROTECT,
                                    related_name="assignments_out")
    to_school = models.ForeignKey("org.OrgUnit", verbose_name=_("交流学校"), on_delete=models.PROTECT,
                                  related_name="assignments_in")
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("交流安排")
        verbose_name_plural = _("交流安排")
        ordering = ["-start", "teacher"]

    def __str__(self) -> str:
        return f"{self.teacher} → {self.to_school.name} ({self.start}–{self.end})"
