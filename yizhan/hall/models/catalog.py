"""The matter catalog (事项目录): what the hall accepts, where, within which limits, against which materials."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.hall.matter_limits import MatterKind, limit_errors
from yizhan.org.models import UnitKind


class Matter(models.Model):
    code = models.CharField(_("事项编码"), max_length=32, unique=True)
    name = models.CharField(_("事项名称"), max_length=200)
    department = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("主管部门"), on_delete=models.PROTECT, related_name="matters",
        limit_choices_to={"kind": UnitKind.DEPARTMENT},
    )
    windows = models.ManyToManyField(
        "org.OrgUnit", verbose_name=_("受理窗口"), blank=True, related_name="matters_accepted",
        limit_choices_to={"kind": UnitKind.WINDOW},
        help_text=_("留空表示本部门所有窗口均可受理"),
    )
    kind = models.CharField(_("办件类型"), max_length=16, choices=MatterKind.choices, default=MatterKind.PROMISED)
    statutory_days = models.PositiveIntegerField(_("法定时限（工作日）"))
    promised_days = models.PositiveIntegerField(_("承诺时限（工作日）"))
    green_channel = models.BooleanField(_("适用绿色通道"), default=False)
    green_channel_days = models.PositiveIntegerField(_("绿色通道时限（工作日）"), null=True, blank=True)
    fee = models.DecimalField(
        _("收费（元）"), max_digits=12, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    legal_basis = models.TextField(_("设定依据"), blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("事项")
        verbose_name_plural = _("事项目录")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        errors = limit_errors(
            kind=self.kind, statutory_days=self.statutory_days, promised_days=self.promised_days,
            green_channel=self.green_channel, green_channel_days=self.green_channel_days,
        )
        if self.department_id and self.department.kind != UnitKind.DEPARTMENT:
            errors["department"] = str(_("主管部门必须是进驻部门"))
        if errors:
            raise ValidationError(errors)


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", _("原件")
    COPY = "copy", _("复印件")


class MaterialRequirement(models.TextChoices):
    MANDATORY = "mandatory", _("必交")
    CONDITIONAL = "conditional", _("视情形提交")


class Material(models.Model):
    matter = models.ForeignKey(Matter, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="materials")
    name = models.CharField(_("材料名称"), max_length=200)
    form = models.CharField(_("原件/复印件"), max_length=16, choices=MaterialForm.choices, default=MaterialForm.ORIGINAL)
    copies = models.PositiveSmallIntegerField(_("份数"), default=1, validators=[MinValueValidator(1)])
    requirement = models.CharField(
        _("提交要求"), max_length=16, choices=MaterialRequirement.choices, default=MaterialRequirement.MANDATORY
    )
    condition = models.CharField(_("适用情形"), max_length=300, blank=True)
    sort = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["matter", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["matter", "name"], name="hall_material_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def conditional(self) -> bool:
        return self.requirement == MaterialRequirement.CONDITIONAL

    def clean(self) -> None:
        if self.conditional and not self.condition.strip():
            raise ValidationError({"condition": _("视情形提交的材料必须写明适用情形")})
