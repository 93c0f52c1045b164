"""Epidemic surveillance: the disease catalog, case report cards (传染病报告卡) and their review,
aggregate counts, detection runs, signals and their verification, incidents and sentinel surveillance.

Report cards are never edited in place: a correction (订正) is a new card naming the one it corrects;
only a card's state (pending review, reviewed, held as a probable duplicate, deleted, corrected) moves."""

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.errors import InvalidInput
from yizhan.org.scope import SURVEILLANCE_STAFF, ScopedQuerySet, ScopeRule


class DiseaseClass(models.TextChoices):
    A = "A", _("甲类")
    B_AS_A = "B_AS_A", _("乙类（按甲类管理）")
    B = "B", _("乙类")
    C = "C", _("丙类")
    # 其他需重点监测的传染病 (水痘 and the provincial list): not statutory classes, edited locally.
    KEY = "KEY", _("其他需重点监测的传染病")
    OTHER = "OTHER", _("其他")


class Method(models.TextChoices):
    NONE = "none", _("不做时间模型预警")
    FIXED = "fixed", _("固定阈值（单病例预警）")
    MPM = "mpm", _("移动百分位数法（MPM）")
    EARS_C1 = "ears_c1", _("EARS C1")
    EARS_C2 = "ears_c2", _("EARS C2")
    EARS_C3 = "ears_c3", _("EARS C3")
    FARRINGTON = "farrington", _("Farrington")


class Disease(models.Model):
    """One notifiable disease; loaded from `surveillance/data/diseases.json`, then kept in the admin.
    `changes` is the dated history of its legal class ([{date, class, note, source}])."""

    code = models.CharField(_("疾病编码"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=128)
    disease_class = models.CharField(_("类别"), max_length=8, choices=DiseaseClass.choices)
    report_hours = models.PositiveIntegerField(_("报告时限（小时）"))
    default_method = models.CharField(_("默认预警方法"), max_length=16, choices=Method.choices, default=Method.NONE)
    subtypes = models.JSONField(_("分型"), default=list, blank=True)
    acute_chronic = models.BooleanField(_("需区分急性/慢性"), default=False)
    episode_days = models.PositiveIntegerField(
        _("再次发病间隔（天）"), null=True, blank=True,
        help_text=_("可反复感染的疾病：发病日期相隔超过此天数的同一人同一疾病视为新的病例，不是重复报告"))
    changes = models.JSONField(_("调整记录"), default=list, blank=True)
    sources = models.JSONField(_("依据"), default=list, blank=True)
    retired_on = models.DateField(_("停止单独报告日期"), null=True, blank=True,
                                  help_text=_("自此日起诊断的病例不再以本病名报告（如并入其他病种）"))
    replaced_by = models.ForeignKey("self", verbose_name=_("并入"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    retired_subtypes = models.JSONField(_("停止使用的分型"), default=list, blank=True,
                                        help_text=_("[{subtype, date, replaced_by}]：自 date 起该分型改按 replaced_by 报告"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("法定传染病")
        verbose_name_plural = _("法定传染病")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def class_on(self, day: date) -> str:
        """The legal class in force on `day` (the latest dated change on or before it)."""
        current = self.disease_class
        for change in sorted(self.changes, key=lambda c: c["date"]):
            if change["date"] <= day.isoformat():
                current = change["class"]
        return current


class DetectorConfig(models.Model):
    """Which method of `yizhan.detect` runs for a disease at a level of the tree (and, to tune it for
    one unit, at that unit), with its parameters (`threshold` for fixed, `percentile` for MPM, ...)."""

    disease = models.ForeignKey(Disease, verbose_name=_("疾病"), on_delete=models.CASCADE, related_name="detectors")
    level = models.CharField(_("层级"), max_length=16, choices=[
        ("cdc", _("全市")), ("township", _("乡镇")), ("village", _("村"))])
    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("仅用于机构"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    method = models.CharField(_("方法"), max_length=16, choices=Method.choices)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("预警设置")
        verbose_name_plural = _("预警设置")
        # One setting per disease and level, and one per disease, level and unit. The level-wide rows
        # (unit NULL) get their own partial index: NULLS NOT DISTINCT exists on PostgreSQL 15 only, and
        # SQLite would take any number of them.
        constraints = [
            models.UniqueConstraint(fields=["disease", "level", "unit"], name="surv_detector_unique_unit",
                                    violation_error_message=_("该疾病在此机构已有预警设置")),
            models.UniqueConstraint(fields=["disease", "level"], condition=models.Q(unit__isnull=True),
                                    name="surv_detector_unique_level",
                                    violation_error_message=_("该疾病在此层级已有预警设置")),
        ]

    def __str__(self) -> str:
        return f"{self.disease.code} · {self.level} · {self.method}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The database refuses a second setting as well; checking first names the field in the error.
        try:
            self.validate_constraints()
        except ValidationError:
            where = self.unit.name if self.unit is not None else self.get_level_display()
            raise InvalidInput(_("%(d)s在%(w)s已有预警设置，请修改已有的设置") % {
                "d": self.disease.name, "w": where}, field="unit" if self.unit_id else "level",
                rule="unique") from None
        super().save(*args, **kwargs)


class Duty(models.Model):
    """The duty epidemiologist (值班流调人员) of a unit for a span of days, who gets the signals' messages."""

    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("机构"), on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("人员"), on_delete=models.CASCADE,
                             related_name="+")
    phone = models.CharField(_("手机"), max_length=20, blank=True)
    first_day = models.DateField(_("起"))
    last_day = models.DateField(_("止"))

    scope_rule = ScopeRule(units=("unit",), roles=SURVEILLANCE_STAFF)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("值班")
        verbose_name_plural = _("值班")

    def __str__(self) -> str:
        return f"{self.unit.name} {self.user} {self.first_day}–{self.last_day}"


class CardKind(models.TextChoices):
    FIRST = "first", _("初次报告")
    CORRECTION = "correction", _("订正报告")


class CardState(models.TextChoices):
    PENDING = "pending", _("待审核")
    REVIEWED = "reviewed", _("已审核")
    HELD = "held", _("疑似重复待查")
    RETURNED = "returned", _("已退回")
    EXCLUDED = "excluded", _("已排除")
    DELETED = "deleted", _("已删除")
    CORRECTED = "corrected", _("已订正")


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class AgeUnit(models.TextChoices):
    YEAR = "year", _("岁")
    MONTH = "month", _("月")
    DAY = "day", _("天")


class Residence(models.TextChoices):
    COUNTY = "county", _("本县区")
    CITY = "city", _("本市其他县区")
    PROVINCE = "province", _("本省其它地市")
    OTHER_PROVINCE = "other_province", _("外省")
    HK_MACAO_TAIWAN = "hmt", _("港澳台")
    FOREIGN = "foreign", _("外籍")


class Occupation(models.TextChoices):
    # 人群分类 of the national card (18 values).
    CHILD_CARE = "child_care", _("幼托儿童")
    SCATTERED_CHILD = "scattered_child", _("散居儿童")
    STUDENT = "student", _("学生（大中小学）")
    TEACHER = "teacher", _("教师")
    CHILDCARE_WORKER = "childcare_worker", _("保育员及保姆")
    CATERING = "catering", _("餐饮食品业")
    PUBLIC_PLACE = "public_place", _("商业服务")
    MEDICAL = "medical", _("医务人员")
    WORKER = "worker", _("工人")
    MIGRANT = "migrant", _("民工")
    FARMER = "farmer", _("农民")
    HERDSMAN = "herdsman", _("牧民")
    FISHERMAN = "fisherman", _("渔（船）民")
    OFFICIAL = "official", _("干部职员")
    RETIRED = "retired", _("离退人员")
    HOUSEWORK = "housework", _("家务及待业")
    OTHER = "other", _("其他")
    UNKNOWN = "unknown", _("不详")


class Classification(models.TextChoices):
    SUSPECTED = "suspected", _("疑似病例")
    CLINICAL = "clinical", _("临床诊断病例")
    CONFIRMED = "confirmed", _("确诊病例")
    CARRIER = "carrier", _("病原携带者")


# Higher diagnostic level first when choosing which of two duplicates to keep.
DIAGNOSTIC_RANK: dict[str, int] = {Classification.CONFIRMED: 3, Classification.CLINICAL: 2, Classification.CARRIER: 1,
                   Classification.SUSPECTED: 0}


class CaseCard(models.Model):
    card_no = models.CharField(_("卡片编号"), max_length=32, unique=True)
    kind = models.CharField(_("报告类别"), max_length=16, choices=CardKind.choices, default=CardKind.FIRST)
    corrects = models.ForeignKey("self", verbose_name=_("订正的卡片"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="corrections")
    original_disease = models.ForeignKey(Disease, verbose_name=_("订正前病名"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("患者姓名"), max_length=64)
    guardian = models.CharField(_("患儿家长姓名"), max_length=64, blank=True)
    id_number = models.CharField(_("有效证件号"), max_length=18, blank=True, db_index=True)
    no_id_number = models.BooleanField(_("无有效证件"), default=False,
                                       help_text=_("患者没有任何有效证件（如新生儿）时勾选；有证件的须填写证件号"))
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    age = models.PositiveIntegerField(_("实足年龄"), null=True, blank=True)
    age_unit = models.CharField(_("年龄单位"), max_length=8, choices=AgeUnit.choices, blank=True)
    work_unit = models.CharField(_("工作单位（学校）"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    residence = models.CharField(_("病人属于"), max_length=16, choices=Residence.choices)
    foreign = models.BooleanField(_("外籍"), default=False)
    # 现住址: the division (down to the village where the local list has it) and the house number; `address`
    # is the whole address as printed (for a card reported before addresses were structured, as typed).
    address_division = models.ForeignKey("divisions.Division", verbose_name=_("现住址（行政区划）"), null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+")
    house_number = models.CharField(_("门牌号"), max_length=100, blank=True)
    address = models.CharField(_("现住址"), max_length=300)
    # The network unit whose catchment holds the address: official counts are by residence (现住址).
    residence_unit = models.ForeignKey("org.OrgUnit", verbose_name=_("现住址所属机构"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    occupation = models.CharField(_("人群分类"), max_length=20, choices=Occupation.choices)
    classification = models.CharField(_("病例分类"), max_length=16, choices=Classification.choices)
    acute_chronic = models.CharField(_("急性/慢性"), max_length=8, blank=True,
                                     choices=[("acute", _("急性")), ("chronic", _("慢性"))])
    onset_date = models.DateField(_("发病日期"), db_index=True)
    diagnosed_at = models.DateTimeField(_("诊断时间"))
    death_date = models.DateField(_("死亡日期"), null=True, blank=True)
    disease = models.ForeignKey(Disease, verbose_name=_("疾病名称"), on_delete=models.PROTECT, related_name="cards")
    subtype = models.CharField(_("分型"), max_length=32, blank=True)
    reporting_unit = models.ForeignKey("org.OrgUnit", verbose_name=_("报告单位"), on_delete=models.PROTECT,
                                       related_name="+")
    entered_by_unit = models.ForeignKey("org.OrgUnit", verbose_name=_("代报单位"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    doctor = models.CharField(_("报告医生"), max_length=64)
    doctor_phone = models.CharField(_("报告医生联系电话"), max_length=20, blank=True)
    treated_here = models.BooleanField(_("本单位收治"), default=True,
                                       help_text=_("患者在报告单位治疗；已转诊到其他单位治疗的不勾选"))
    filled_on = models.DateField(_("填卡日期"), null=True, blank=True)
    remarks = models.CharField(_("备注"), max_length=500, blank=True)
    # When the card reached Yizhan: stamped by the server, never taken from the reporter.
    reported_at = models.DateTimeField(_("报告时间"), db_index=True)
    late = models.BooleanField(_("迟报"), default=False)
    state = models.CharField(_("状态"), max_length=16, choices=CardState.choices, default=CardState.PENDING,
                             db_index=True)
    review_timer = models.OneToOneField("clock.Timer", verbose_name=_("审核计时"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True, db_index=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    duplicate_of = models.ForeignKey("self", verbose_name=_("疑似重复于"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    kept_card = models.ForeignKey("self", verbose_name=_("保留的卡片"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    state_before_delete = models.CharField(max_length=16, blank=True, editable=False)
    deleted_reason = models.CharField(_("删除原因"), max_length=200, blank=True)
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True)
    # A deletion by the CDC's review (审核删除) may be undone; one by the reporter of an unreviewed card may not.
    deletion_reviewed = models.BooleanField(_("删除经审核"), default=False)
    returned_reason = models.CharField(_("退卡原因"), max_length=300, blank=True)
    returned_at = models.DateTimeField(_("退卡时间"), null=True, blank=True)
    times_returned = models.PositiveIntegerField(_("退卡次数"), default=0)
    resubmit_timer = models.OneToOneField("clock.Timer", verbose_name=_("退卡修改计时"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    excluded_reason = models.CharField(_("排除原因"), max_length=300, blank=True)

    # A clinic sees its own cards, a township its clinics' and those it entered for them, the CDC all;
    # the health center where the patient lives sees the card too (a resident reported elsewhere).
    scope_rule = ScopeRule(units=("reporting_unit", "entered_by_unit", "residence_unit"), roles=SURVEILLANCE_STAFF)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("传染病报告卡")
        verbose_name_plural = _("传染病报告卡")
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["disease", "state", "onset_date"])]

    def __str__(self) -> str:
        return f"{self.card_no} {self.disease.name}"

    @property
    def proxy(self) -> bool:
        return self.entered_by_unit_id is not None


class PeriodType(models.TextChoices):
    """DHIS2's period types (dhis2/periods.py), by DHIS2's names."""

    DAY = "Daily", _("日")
    WEEK = "Weekly", _("周")
    WEEK_WEDNESDAY = "WeeklyWednesday", _("周（周三起）")
    WEEK_THURSDAY = "WeeklyThursday", _("周（周四起）")
    WEEK_FRIDAY = "WeeklyFriday", _("周（周五起）")
    WEEK_SATURDAY = "WeeklySaturday", _("周（周六起）")
    WEEK_SUNDAY = "WeeklySunday", _("周（周日起）")
    BIWEEK = "BiWeekly", _("双周")
    MONTH = "Monthly", _("月")
    BIMONTH = "BiMonthly", _("双月")
    QUARTER = "Quarterly", _("季度")
    QUARTER_NOV = "QuarterlyNov", _("季度（11月起）")
    SIX_MONTH = "SixMonthly", _("半年")
    SIX_MONTH_APRIL = "SixMonthlyApril", _("半年（4月起）")
    SIX_MONTH_NOV = "SixMonthlyNov", _("半年（11月起）")
    YEAR = "Yearly", _("年")
    FINANCIAL_APRIL = "FinancialApril", _("财年（4月起）")
    FINANCIAL_JULY = "FinancialJuly", _("财年（7月起）")
    FINANCIAL_OCT = "FinancialOct", _("财年（10月起）")
    FINANCIAL_NOV = "FinancialNov", _("财年（11月起）")


DEFAULT_COMBO = "default"


class ComboKind(models.TextChoices):
    CATEGORY = "category", _("分类选项组合（categoryOptionCombo）")
    ATTRIBUTE = "attribute", _("属性选项组合（attributeOptionCombo）")


class OptionCombo(models.Model):
    """A DHIS2 category option combo or attribute option combo (by its code, idScheme=code) mapped to the
    card's disaggregations: sex and age group for categories, case classification for attributes.
    `default` of each kind is DHIS2's default combo (no disaggregation)."""

    code = models.CharField(_("编码"), max_length=50)
    kind = models.CharField(_("类型"), max_length=10, choices=ComboKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices, blank=True)
    age_from = models.PositiveIntegerField(_("年龄下限（岁，含）"), null=True, blank=True)
    age_to = models.PositiveIntegerField(_("年龄上限（岁，不含）"), null=True, blank=True)
    classification = models.CharField(_("病例分类"), max_length=16, choices=Classification.choices, blank=True)

    class Meta:
        verbose_name = _("DHIS2 选项组合")
        verbose_name_plural = _("DHIS2 选项组合")
        ordering = ["kind", "code"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="surv_optioncombo_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def matches(self, card: "CaseCard", age: int | None) -> bool:
        if self.kind == ComboKind.ATTRIBUTE:
            return not self.classification or self.classification == card.classification
        if self.sex and self.sex != card.sex:
            return False
        if self.age_from is not None and (age is None or age < self.age_from):
            return False
        return self.age_to is None or (age is not None and age < self.age_to)


class AggregateCount(models.Model):
    """A count of cases of a disease at a unit for a DHIS2 period and disaggregation (DHIS2 dataValues,
    legacy line lists). `period` is DHIS2's canonical string: one period, one row."""

    disease = models.ForeignKey(Disease, verbose_name=_("疾病"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("期间"), max_length=16, help_text=_("DHIS2 格式：20240115、2024W3、202401、2024Q1 等"))
    period_type = models.CharField(_("期间类型"), max_length=16, choices=PeriodType.choices)
    start = models.DateField(_("开始日期"), db_index=True)
    end = models.DateField(_("结束日期"), null=True)
    category_option_combo = models.CharField(_("分类选项组合"), max_length=50, default=DEFAULT_COMBO)
    attribute_option_combo = models.CharField(_("属性选项组合"), max_length=50, default=DEFAULT_COMBO)
    value = models.PositiveIntegerField(_("数值"))

    scope_rule = ScopeRule(units=("unit",), roles=SURVEILLANCE_STAFF)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("汇总病例数")
        verbose_name_plural = _("汇总病例数")
        constraints = [models.UniqueConstraint(
            fields=["disease", "unit", "period", "category_option_combo", "attribute_option_combo"],
            name="surv_aggregate_unique_combo")]

    def __str__(self) -> str:
        return f"{self.disease.code} {self.unit.code} {self.period} = {self.value}"


class DiagnosedCase(models.Model):
    """A case of a notifiable disease diagnosed at a hospital, from its HIS export (the list 漏报 is
    checked against): whether a card for it was reported is `his.missed`'s question."""

    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("诊断单位"), on_delete=models.PROTECT, related_name="+")
    disease = models.ForeignKey(Disease, verbose_name=_("疾病"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("患者姓名"), max_length=64)
    id_number = models.CharField(_("有效证件号"), max_length=18, blank=True, db_index=True)
    diagnosed_on = models.DateField(_("诊断日期"), db_index=True)
    his_id = models.CharField(_("HIS 就诊号"), max_length=64)
    imported_at = models.DateTimeField(_("导入时间"))

    scope_rule = ScopeRule(units=("unit",), roles=SURVEILLANCE_STAFF)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("医院诊断病例（HIS）")
        verbose_name_plural = _("医院诊断病例（HIS）")
        constraints = [models.UniqueConstraint(fields=["unit", "his_id", "disease"], name="surv_his_unique")]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.his_id} {self.disease.code}"


class DetectionRun(models.Model):
    day = models.DateField(_("日期"), unique=True)
    ran_at = models.DateTimeField(_("运行时间"))
    series = models.PositiveIntegerField(_("序列数"), default=0)
    alarms = models.PositiveIntegerField(_("报警数"), default=0)

    class Meta:
        verbose_name = _("预警运行")
        verbose_name_plural = _("预警运行")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.alarms}/{self.series}"


class SignalState(models.TextChoices):
    OPEN = "open", _("待核实")
    EXCLUDED = "excluded", _("已排除")
    SUSPECTED = "suspected", _("疑似事件")
    CONFIRMED = "confirmed", _("确认暴发")


class Signal(models.Model):
    disease = models.ForeignKey(Disease, verbose_name=_("疾病"), on_delete=models.PROTECT, related_name="signals")
    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("方法"), max_length=16, choices=Method.choices)
    opened_on = models.DateField(_("预警日期"), db_index=True)
    opened_at = models.DateTimeField(_("发出时间"))
    state = models.CharField(_("状态"), max_length=16, choices=SignalState.choices, default=SignalState.OPEN,
                             db_index=True)
    timer = models.OneToOneField("clock.Timer", verbose_name=_("核实计时"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    responded_at = models.DateTimeField(_("响应时间"), null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核实人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("核实结论说明"), max_length=500, blank=True)

    scope_rule = ScopeRule(units=("unit",), roles=SURVEILLANCE_STAFF)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("预警信号")
        verbose_name_plural = _("预警信号")
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.disease.name} · {self.unit.name} · {self.opened_on}"


class Alarm(models.Model):
    """One alarm of a detector for a day; a repeat alarm attaches to the signal already open."""

    signal = models.ForeignKey(Signal, verbose_name=_("信号"), on_delete=models.CASCADE, related_name="alarms")
    day = models.DateField(_("日期"))
    observed = models.PositiveIntegerField(_("观察数"))
    expected = models.FloatField(_("期望数"), null=True)
    threshold = models.FloatField(_("阈值"))

    scope_rule = ScopeRule(units=("signal__unit",), roles=SURVEILLANCE_STAFF)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("报警")
        verbose_name_plural = _("报警")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["signal", "day"], name="surv_alarm_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.observed}/{self.threshold:g}"


class IncidentKind(models.TextChoices):
    FOOD_POISONING = "food_poisoning", _("食物中毒")
    WATER_POLLUTION = "water_pollution", _("饮用水污染")
    OUTBREAK = "outbreak", _("传染病暴发")
    CHOLERA = "cholera", _("霍乱疫情")
    OCCUPATIONAL_POISONING = "occupational", _("急性职业中毒")
    OTHER = "other", _("其他")


class Grade(models.TextChoices):
    """《国家突发公共卫生事件应急预案》 1.3: 特别重大（Ⅰ级）、重大（Ⅱ级）、较大（Ⅲ级）、一般（Ⅳ级）."""

    I = "I", _("特别重大（Ⅰ级）")  # noqa: E741 — the plan's own numeral
    II = "II", _("重大（Ⅱ级）")
    III = "III", _("较大（Ⅲ级）")
    IV = "IV", _("一般（Ⅳ级）")


class IncidentState(models.TextChoices):
    SIGNAL = "signal", _("信号")
    EVENT = "event", _("事件")
    CLOSED = "closed", _("已结案")
    DROPPED = "dropped", _("已撤销")


class Incident(models.Model):
    """突发公共卫生事件, with its 7-1-7 times: emergence (start) → detection → notification → response."""

    title = models.CharField(_("事件名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=IncidentKind.choices)
    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("发生地机构"), on_delete=models.PROTECT, related_name="+")
    place = models.CharField(_("地点"), max_length=200)
    started_at = models.DateTimeField(_("发生时间"))
    detected_at = models.DateTimeField(_("发现时间"))
    notified_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    responded_at = models.DateTimeField(_("响应时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=IncidentState.choices, default=IncidentState.SIGNAL)
    signal = models.ForeignKey(Signal, verbose_name=_("来源信号"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="incidents")
    cases = models.ManyToManyField(CaseCard, verbose_name=_("关联病例"), blank=True, related_name="incidents")
    closure_report = models.TextField(_("结案报告"), blank=True)
    grade = models.CharField(_("事件分级"), max_length=4, choices=Grade.choices, blank=True)
    cases_count = models.PositiveIntegerField(_("病例数"), default=0)
    deaths = models.PositiveIntegerField(_("死亡数"), default=0)
    notify_timer = models.OneToOneField("clock.Timer", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    response_timer = models.OneToOneField("clock.Timer", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+")

    scope_rule = ScopeRule(units=("unit",), roles=SURVEILLANCE_STAFF)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("突发公共卫生事件")
        verbose_name_plural = _("突发公共卫生事件")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return self.title


class IncidentRecord(models.Model):
    """What is kept of an incident's course (its grade changes, its reports), seen where the incident is."""

    scope_rule = ScopeRule(units=("incident__unit",), roles=SURVEILLANCE_STAFF)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class GradeChange(IncidentRecord):
    """A grade set or changed, with its reason and the criterion it rests on; the history is kept."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="grade_changes")
    grade = models.CharField(_("事件分级"), max_length=4, choices=Grade.choices)
    previous = models.CharField(_("原分级"), max_length=4, choices=Grade.choices, blank=True)
    reason = models.CharField(_("定级理由"), max_length=500)
    criterion = models.CharField(_("分级标准"), max_length=300, blank=True)
    at = models.DateTimeField(_("时间"))
    actor_label = models.CharField(_("定级人"), max_length=64, blank=True)

    class Meta(IncidentRecord.Meta):
        verbose_name = _("事件分级记录")
        verbose_name_plural = _("事件分级记录")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.previous or '—'} → {self.grade}"


class ReportKind(models.TextChoices):
    """《突发公共卫生事件相关信息报告管理工作规范（试行）》: 初次报告、进程报告、结案报告."""

    INITIAL = "initial", _("初次报告")
    PROGRESS = "progress", _("进程报告")
    CLOSING = "closing", _("结案报告")


class IncidentReport(IncidentRecord):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("报告类别"), max_length=10, choices=ReportKind.choices)
    number = models.PositiveIntegerField(_("序号"), default=1)
    at = models.DateTimeField(_("报告时间"))
    text = models.TextField(_("报告内容"))
    grade = models.CharField(_("报告时分级"), max_length=4, choices=Grade.choices, blank=True)
    cases_count = models.PositiveIntegerField(_("病例数"), default=0)
    deaths = models.PositiveIntegerField(_("死亡数"), default=0)
    late = models.BooleanField(_("迟报"), default=False)
    actor_label = models.CharField(_("报告人"), max_length=64, blank=True)

    class Meta(IncidentRecord.Meta):
        verbose_name = _("事件报告")
        verbose_name_plural = _("事件报告")

    def __str__(self) -> str:
        return f"{ReportKind(self.kind).label} {self.number} {self.at:%Y-%m-%d %H:%M}"


class LogKind(models.TextChoices):
    INVESTIGATION = "investigation", _("调查")
    MEASURE = "measure", _("控制措施")


class IncidentLog(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="log")
    kind = models.CharField(_("类别"), max_length=16, choices=LogKind.choices)
    at = models.DateTimeField(_("时间"))
    text = models.TextField(_("内容"))
    actor_label = models.CharField(_("记录人"), max_length=64, blank=True)

    scope_rule = ScopeRule(units=("incident__unit",), roles=SURVEILLANCE_STAFF)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("事件记录")
        verbose_name_plural = _("事件记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.text[:40]}"


class MonitoringSample(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="samples")
    taken_at = models.DateTimeField(_("采样时间"))
    site = models.CharField(_("采样点"), max_length=200)
    parameter = models.CharField(_("指标"), max_length=64)
    value = models.FloatField(_("测定值"))
    limit = models.FloatField(_("限值"))
    unit_label = models.CharField(_("单位"), max_length=16, blank=True)

    scope_rule = ScopeRule(units=("incident__unit",), roles=SURVEILLANCE_STAFF)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("监测样品")
        verbose_name_plural = _("监测样品")
        ordering = ["taken_at", "id"]

    def __str__(self) -> str:
        return f"{self.site} {self.parameter} {self.value:g}/{self.limit:g}{self.unit_label}"

    @property
    def exceeds(self) -> bool:
        return self.value > self.limit


class SentinelGroup(models.TextChoices):
    DRUG_USERS = "drug_users", _("吸毒人群")
    SEX_WORKERS = "sex_workers", _("暗娼")
    PREGNANT = "pregnant", _("孕产妇")
    OTHER = "other", _("其他人群")


class SentinelResult(models.Model):
    """One round of a sentinel group at a sentinel site: samples tested and positives."""

    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("哨点"), on_delete=models.PROTECT, related_name="+")
    disease = models.ForeignKey(Disease, verbose_name=_("疾病"), on_delete=models.PROTECT, related_name="+")
    group = models.CharField(_("监测人群"), max_length=16, choices=SentinelGroup.choices)
    round = models.CharField(_("监测轮次"), max_length=16)
    tested = models.PositiveIntegerField(_("检测数"))
    positive = models.PositiveIntegerField(_("阳性数"))

    scope_rule = ScopeRule(units=("unit",), roles=SURVEILLANCE_STAFF)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("哨点监测结果")
        verbose_name_plural = _("哨点监测结果")
        constraints = [models.UniqueConstraint(fields=["unit", "disease", "group", "round"],
                                               name="surv_sentinel_unique")]

    def __str__(self) -> str:
        return f"{self.group} {self.round}: {self.positive}/{self.tested}"
