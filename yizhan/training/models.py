"""Training records: the people of a unit who are trained, courses and their sessions (date, topics,
trainer, hours), attendance with the assessment, completions of online courses (the teachers'
platform 网上神农架教育), and the hours a year each post (岗位) requires.

A trainee is a person of the organisation tree (a CDC's staff member, a school's teacher), not
necessarily a user of Yizhan: most never sign in. `post` is the person's job (检验技师, 教师), the
"role" a requirement names; the access roles of `yizhan.org` are for Yizhan's users."""

from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.org.models import Role
from yizhan.org.scope import ScopedQuerySet, ScopeRule

TRAINING_ROLES = (Role.TRAINING_OFFICER,)
HOURS: dict[str, Any] = {"max_digits": 6, "decimal_places": 1, "validators": [MinValueValidator(Decimal("0.5"))]}


class Trainee(models.Model):
    scope_rule = ScopeRule(units=("unit",), roles=TRAINING_ROLES)
    objects = ScopedQuerySet.as_manager()

    code = models.CharField(_("人员编号"), max_length=32, unique=True,
                            help_text=_("工号，或网上学习平台的账号"))
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("所在单位"), on_delete=models.PROTECT,
                             related_name="trainees")
    post = models.CharField(_("岗位"), max_length=50, help_text=_("学时要求按岗位规定"))
    phone = models.CharField(_("手机"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        verbose_name = _("受训人员")
        verbose_name_plural = _("受训人员")
        ordering = ["unit__path", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CourseKind(models.TextChoices):
    INTERNAL = "internal", _("内部培训")
    ONLINE = "online", _("网上学习")


class Course(models.Model):
    scope_rule = ScopeRule(units=("unit",), roles=TRAINING_ROLES)
    objects = ScopedQuerySet.as_manager()

    code = models.CharField(_("课程编码"), max_length=40, unique=True)
    name = models.CharField(_("课程名称"), max_length=200)
    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("举办单位"), on_delete=models.PROTECT,
                             related_name="courses")
    kind = models.CharField(_("类型"), max_length=16, choices=CourseKind.choices, default=CourseKind.INTERNAL)
    pass_score = models.DecimalField(_("合格分数"), max_digits=5, decimal_places=1, default=Decimal("60"),
                                     validators=[MinValueValidator(0), MaxValueValidator(100)])

    class Meta:
        verbose_name = _("课程")
        verbose_name_plural = _("课程")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    scope_rule = ScopeRule(units=("unit",), roles=TRAINING_ROLES)
    objects = ScopedQuerySet.as_manager()

    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("专题"), max_length=200)

    class Meta:
        verbose_name = _("培训专题")
        verbose_name_plural = _("培训专题")
        ordering = ["unit", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="training_topic_unique_per_unit")]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    scope_rule = ScopeRule(units=("course__unit",), roles=TRAINING_ROLES)
    objects = ScopedQuerySet.as_manager()

    course = models.ForeignKey(Course, verbose_name=_("课程"), on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField(_("日期"), db_index=True)
    title = models.CharField(_("培训主题"), max_length=200)
    topics = models.ManyToManyField(Topic, verbose_name=_("涵盖专题"), related_name="sessions", blank=True)
    trainer = models.CharField(_("授课人"), max_length=100)
    hours = models.DecimalField(_("学时"), **HOURS)
    location = models.CharField(_("地点"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("培训场次")
        verbose_name_plural = _("培训场次")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class Attendance(models.Model):
    """Who attended a session, and the assessment when there was one: a failed assessment (passed
    False) earns no hours."""

    scope_rule = ScopeRule(units=("session__course__unit", "trainee__unit"), roles=TRAINING_ROLES)
    objects = ScopedQuerySet.as_manager()

    session = models.ForeignKey(Session, verbose_name=_("场次"), on_delete=models.PROTECT, related_name="attendances")
    trainee = models.ForeignKey(Trainee, verbose_name=_("人员"), on_delete=models.PROTECT,
                                related_name="attendances")
    attended = models.BooleanField(_("出席"), default=True)
    score = models.DecimalField(_("考核成绩"), max_digits=5, decimal_places=1, null=True, blank=True,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    passed = models.BooleanField(_("考核合格"), null=True, blank=True)

    class Meta:
        verbose_name = _("出勤与考核")
        verbose_name_plural = _("出勤与考核")
        ordering = ["session", "trainee__code"]
        constraints = [models.UniqueConstraint(fields=["session", "trainee"], name="training_attendance_once")]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.session}"


class Completion(models.Model):
    """An online course completed on the learning platform (imported from its CSV)."""

    scope_rule = ScopeRule(units=("trainee__unit",), roles=TRAINING_ROLES)
    objects = ScopedQuerySet.as_manager()

    trainee = models.ForeignKey(Trainee, verbose_name=_("人员"), on_delete=models.PROTECT,
                                related_name="completions")
    course = models.ForeignKey(Course, verbose_name=_("课程"), on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField(_("完成日期"))
    hours = models.DecimalField(_("学时"), **HOURS)
    score = models.DecimalField(_("成绩"), max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("网上学习记录")
        verbose_name_plural = _("网上学习记录")
        ordering = ["-completed_on", "id"]
        constraints = [models.UniqueConstraint(fields=["trainee", "course"], name="training_completion_once")]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.course}"


class Requirement(models.Model):
    """Hours a year the people of `post` in `unit`'s subtree must reach; the nearest unit's rule wins."""

    scope_rule = ScopeRule(units=("unit",), roles=TRAINING_ROLES)
    objects = ScopedQuerySet.as_manager()

    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("适用单位"), on_delete=models.PROTECT, related_name="+")
    post = models.CharField(_("岗位"), max_length=50)
    hours_per_year = models.DecimalField(_("每年学时"), **HOURS)

    class Meta:
        verbose_name = _("学时要求")
        verbose_name_plural = _("学时要求")
        ordering = ["unit__path", "post"]
        constraints = [models.UniqueConstraint(fields=["unit", "post"], name="training_requirement_unique")]

    def __str__(self) -> str:
        return f"{self.post} {self.hours_per_year}"
