"""One organisation tree for the whole city: the service center with its departments and windows,
and the CDC with its township health centers and village clinics."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    CENTER = "center", _("行政服务中心")
    DEPARTMENT = "department", _("进驻部门")
    WINDOW = "window", _("窗口")
    CDC = "cdc", _("疾病预防控制中心")
    TOWNSHIP = "township", _("乡镇卫生院")
    VILLAGE = "village", _("村卫生站")
    # Offices inside a CDC (科室), a company or a bureau: where quality audits, councils and
    # follow-up items are owned.
    OFFICE = "office", _("科室/部门")
    COMPANY = "company", _("企业")
    BUREAU = "bureau", _("主管局")
    SCHOOL = "school", _("学校")


# Which kind of unit may sit under which: the tree's shape is a rule, not a convention.
ALLOWED_PARENT: dict[str, set[str | None]] = {
    UnitKind.CENTER: {None},
    # A company's fund or a bureau's subsidy office accepts applications on the hall's case engine:
    # it is a department (受理部门) with its windows, under its company or bureau.
    UnitKind.DEPARTMENT: {UnitKind.CENTER, UnitKind.COMPANY, UnitKind.BUREAU},
    UnitKind.WINDOW: {UnitKind.DEPARTMENT},
    UnitKind.CDC: {None, UnitKind.CENTER},
    UnitKind.TOWNSHIP: {UnitKind.CDC},
    UnitKind.VILLAGE: {UnitKind.TOWNSHIP},
    UnitKind.OFFICE: {UnitKind.CDC, UnitKind.COMPANY, UnitKind.BUREAU, UnitKind.OFFICE},
    UnitKind.COMPANY: {None, UnitKind.COMPANY},
    UnitKind.BUREAU: {None, UnitKind.CENTER},
    UnitKind.SCHOOL: {UnitKind.BUREAU},
}


class OrgUnit(models.Model):
    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of codes ("/C/D01/W0101/") so a subtree is one indexed prefix query.
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False)
    active = models.BooleanField(_("启用"), default=True)
    sort = models.PositiveIntegerField(_("排序"), default=0)
    # Where the unit is (its county, township or village): a health center's catchment, against which
    # a case card's current address places the patient (yizhan.surveillance.residence).
    division = models.ForeignKey("divisions.Division", verbose_name=_("所在行政区划"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["path"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        parent_kind = self.parent.kind if self.parent is not None else None
        allowed = ALLOWED_PARENT[UnitKind(self.kind)]
        if parent_kind not in allowed:
            raise ValidationError(
                {"parent": _("%(kind)s 不能设在 %(parent)s 之下")
                 % {"kind": UnitKind(self.kind).label, "parent": UnitKind(parent_kind).label if parent_kind else _("根")}}
            )
        if self.pk and self.parent is not None and self.parent.path.startswith(self._stored_path()):
            raise ValidationError({"parent": _("上级不能是本机构或其下级")})

    def _stored_path(self) -> str:
        return OrgUnit.objects.filter(pk=self.pk).values_list("path", flat=True).first() or ""

    def compute_path(self) -> str:
        return (self.parent.path if self.parent is not None else "/") + self.code + "/"

    def save(self, *args, **kwargs) -> None:
        new_path = self.compute_path()
        old_path = self._stored_path() if self.pk else ""
        self.path = new_path
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != new_path:
                for unit in OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    unit.path = new_path + unit.path[len(old_path):]
                    unit.save(update_fields=["path"])

    def subtree(self) -> models.QuerySet["OrgUnit"]:
        return OrgUnit.objects.filter(path__startswith=self.path)

    def ancestors(self) -> models.QuerySet["OrgUnit"]:
        codes = [c for c in self.path.strip("/").split("/") if c]
        return OrgUnit.objects.filter(code__in=codes).order_by("path")

    def ancestor_of_kind(self, kind: str) -> "OrgUnit | None":
        if self.kind == kind:
            return self
        return self.ancestors().filter(kind=kind).first()

    def contains(self, other: "OrgUnit") -> bool:
        return other.path.startswith(self.path)


class Role(models.TextChoices):
    CLERK = "clerk", _("窗口人员")
    DEPARTMENT_HEAD = "department_head", _("部门负责人")
    HALL_SUPERVISOR = "hall_supervisor", _("大厅督查")
    ADMINISTRATOR = "administrator", _("系统管理员")
    REPORTER = "reporter", _("报告医生")
    EPIDEMIOLOGIST = "epidemiologist", _("疾控流调人员")
    # The seed's smaller systems (relief fund, subsidies, training, registry, councils, assessments).
    TREASURER = "treasurer", _("基金出纳")
    COMMITTEE_MEMBER = "committee_member", _("委员会成员")
    WELFARE_OFFICER = "welfare_officer", _("工会帮扶干事")
    SCHOOL_CLERK = "school_clerk", _("学校资助专管员")
    SUBSIDY_OFFICER = "subsidy_officer", _("资助审批人员")
    TRAINING_OFFICER = "training_officer", _("培训管理员")
    PROPERTY_MANAGER = "property_manager", _("物业管理员")
    COUNCIL_SECRETARY = "council_secretary", _("议事会秘书")
    ASSESSOR = "assessor", _("考核人员")
    QUALITY_MANAGER = "quality_manager", _("质量负责人")
    LIAISON_LEADER = "liaison_leader", _("联系点领导")
    FOLLOW_UP_OWNER = "follow_up_owner", _("督办事项责任人")


class StaffRole(models.Model):
    """A role held by a person over a subtree of the organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="staff_roles"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(OrgUnit, verbose_name=_("范围"), on_delete=models.PROTECT, related_name="staff_roles")

    class Meta:
        verbose_name = _("人员角色")
        verbose_name_plural = _("人员角色")
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], name="org_staffrole_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit.name}"
