"""The rental-tenant registry (出租房屋与租户登记) of a property company: buildings and rooms, lease
contracts, tenants and who lives where (occupancies), safety commitments of shop tenants, hazard
checks, and the patrol roster (值班制). Every row sits in the organisation tree under the office that
manages it (物业公司, an OFFICE under its COMPANY), seen and changed by its property managers.

Obligations with a deadline (registration and residence-permit help, the yearly safety commitment, a
hazard to fix) are follow-up items on the clock (`yizhan.followups`), pointing back at these rows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.org.models import Role
from yizhan.org.scope import ScopedQuerySet, ScopeRule

MANAGERS = (Role.PROPERTY_MANAGER,)
# Who may look at the registry: its managers, and the follow-up owners of the office (patrollers,
# who see tenants' personal data masked).
READERS = (Role.PROPERTY_MANAGER, Role.FOLLOW_UP_OWNER)


def _rule(unit: str) -> ScopeRule:
    return ScopeRule(units=(unit,), roles=READERS, change_roles=MANAGERS)


class RoomKind(models.TextChoices):
    FLAT = "flat", _("住房")
    SHOP = "shop", _("商铺")


class Building(models.Model):
    scope_rule = _rule("unit")
    objects = ScopedQuerySet.as_manager()

    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("管理单位"), on_delete=models.PROTECT,
                             related_name="rental_buildings")
    code = models.CharField(_("楼栋编码"), max_length=32, unique=True)
    name = models.CharField(_("楼栋名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    scope_rule = _rule("building__unit")
    objects = ScopedQuerySet.as_manager()

    building = models.ForeignKey(Building, verbose_name=_("楼栋"), on_delete=models.PROTECT, related_name="rooms")
    # "<building code>-<number>", the room's name in files and the API.
    code = models.CharField(_("房间编码"), max_length=48, unique=True)
    number = models.CharField(_("房号"), max_length=16)
    kind = models.CharField(_("类型"), max_length=8, choices=RoomKind.choices, default=RoomKind.FLAT)
    capacity = models.PositiveSmallIntegerField(_("核定居住人数"), default=2)
    area_m2 = models.DecimalField(_("面积（平方米）"), max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("房间")
        verbose_name_plural = _("房间")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["building", "number"], name="tenants_room_number_unique")]

    def __str__(self) -> str:
        return self.code


class Tenant(models.Model):
    """A person renting or living in a room; one row per resident ID number."""

    scope_rule = _rule("unit")
    objects = ScopedQuerySet.as_manager()

    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("管理单位"), on_delete=models.PROTECT,
                             related_name="rental_tenants")
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号码"), max_length=18, unique=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    # GB/T 2260 province code, the ID number's first two digits (yizhan.tenants.provinces).
    province = models.CharField(_("籍贯省份代码"), max_length=2, db_index=True)
    created_at = models.DateTimeField(_("录入时间"))

    class Meta:
        verbose_name = _("租户")
        verbose_name_plural = _("租户")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Lease(models.Model):
    """A lease contract between the company (the managing unit, lessor) and a tenant (lessee) for one
    room from `start` to `end` (inclusive); `terminated_on` ends it early."""

    scope_rule = _rule("room__building__unit")
    objects = ScopedQuerySet.as_manager()

    contract_no = models.CharField(_("合同编号"), max_length=32, unique=True)
    room = models.ForeignKey(Room, verbose_name=_("房间"), on_delete=models.PROTECT, related_name="leases")
    tenant = models.ForeignKey(Tenant, verbose_name=_("承租人"), on_delete=models.PROTECT, related_name="leases")
    start = models.DateField(_("起租日期"))
    end = models.DateField(_("到期日期"))
    rent_fen = models.PositiveIntegerField(_("月租金（分）"))
    deposit_fen = models.PositiveIntegerField(_("押金（分）"), default=0)
    terminated_on = models.DateField(_("提前终止日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("录入时间"))

    class Meta:
        verbose_name = _("租赁合同")
        verbose_name_plural = _("租赁合同")
        ordering = ["-start", "id"]
        indexes = [models.Index(fields=["room", "start"])]

    def __str__(self) -> str:
        return self.contract_no

    @property
    def last_day(self):
        return self.terminated_on or self.end


class Occupancy(models.Model):
    """A person living in a room from `moved_in` until `moved_out` (the day they leave; open while None)."""

    scope_rule = _rule("room__building__unit")
    objects = ScopedQuerySet.as_manager()

    room = models.ForeignKey(Room, verbose_name=_("房间"), on_delete=models.PROTECT, related_name="occupancies")
    tenant = models.ForeignKey(Tenant, verbose_name=_("居住人"), on_delete=models.PROTECT, related_name="occupancies")
    lease = models.ForeignKey(Lease, verbose_name=_("租赁合同"), on_delete=models.PROTECT, related_name="occupancies")
    moved_in = models.DateField(_("入住日期"))
    moved_out = models.DateField(_("搬离日期"), null=True, blank=True)
    registered_on = models.DateField(_("来沪登记日期"), null=True, blank=True)
    permit_note = models.CharField(_("居住证办理情况"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("入住登记")
        verbose_name_plural = _("入住登记")
        ordering = ["-moved_in", "id"]
        indexes = [models.Index(fields=["room", "moved_in"]), models.Index(fields=["tenant", "moved_in"])]

    def __str__(self) -> str:
        return f"{self.tenant} · {self.room}"


class SafetyCommitment(models.Model):
    """A shop tenant's signed safety commitment (安保承诺书), valid for a year."""

    scope_rule = _rule("lease__room__building__unit")
    objects = ScopedQuerySet.as_manager()

    lease = models.ForeignKey(Lease, verbose_name=_("租赁合同"), on_delete=models.PROTECT, related_name="commitments")
    signed_on = models.DateField(_("签署日期"))
    valid_until = models.DateField(_("有效期至"))
    signer = models.CharField(_("签署人"), max_length=50)

    class Meta:
        verbose_name = _("安保承诺书")
        verbose_name_plural = _("安保承诺书")
        ordering = ["-signed_on", "id"]

    def __str__(self) -> str:
        return f"{self.lease} · {self.signed_on}"


class HazardKind(models.TextChoices):
    GAS = "gas", _("燃气")
    WIRING = "wiring", _("电线电路")
    FIRE = "fire", _("消防通道与器材")
    OTHER = "other", _("其他")


class HazardCheck(models.Model):
    """A check of one room's gas and wiring; each finding is to be fixed by its deadline."""

    scope_rule = _rule("room__building__unit")
    objects = ScopedQuerySet.as_manager()

    room = models.ForeignKey(Room, verbose_name=_("房间"), on_delete=models.PROTECT, related_name="checks")
    checked_on = models.DateField(_("检查日期"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("检查人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("检查情况"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("隐患检查")
        verbose_name_plural = _("隐患检查")
        ordering = ["-checked_on", "id"]

    def __str__(self) -> str:
        return f"{self.room} · {self.checked_on}"


class PatrolArea(models.Model):
    scope_rule = _rule("unit")
    objects = ScopedQuerySet.as_manager()

    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("管理单位"), on_delete=models.PROTECT,
                             related_name="patrol_areas")
    code = models.CharField(_("区域编码"), max_length=32, unique=True)
    name = models.CharField(_("巡查区域"), max_length=100)
    buildings = models.ManyToManyField(Building, verbose_name=_("包含楼栋"), blank=True, related_name="patrol_areas")

    class Meta:
        verbose_name = _("巡查区域")
        verbose_name_plural = _("巡查区域")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Shift(models.Model):
    scope_rule = _rule("unit")
    objects = ScopedQuerySet.as_manager()

    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("管理单位"), on_delete=models.PROTECT,
                             related_name="patrol_shifts")
    code = models.CharField(_("班次编码"), max_length=32, unique=True)
    name = models.CharField(_("班次"), max_length=50)
    starts = models.TimeField(_("开始时间"))
    ends = models.TimeField(_("结束时间"))

    class Meta:
        verbose_name = _("值班班次")
        verbose_name_plural = _("值班班次")
        ordering = ["starts"]

    def __str__(self) -> str:
        return self.name


class RosterEntry(models.Model):
    """Who patrols which area on which day and shift (值班表)."""

    scope_rule = _rule("area__unit")
    objects = ScopedQuerySet.as_manager()

    day = models.DateField(_("日期"))
    shift = models.ForeignKey(Shift, verbose_name=_("班次"), on_delete=models.PROTECT, related_name="entries")
    area = models.ForeignKey(PatrolArea, verbose_name=_("巡查区域"), on_delete=models.PROTECT, related_name="entries")
    patroller = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("值班人"), on_delete=models.PROTECT,
                                  related_name="patrol_entries")

    class Meta:
        verbose_name = _("值班安排")
        verbose_name_plural = _("值班安排")
        ordering = ["day", "shift__starts", "area__code"]
        constraints = [models.UniqueConstraint(fields=["day", "shift", "patroller"], name="tenants_roster_one_area")]

    def __str__(self) -> str:
        return f"{self.day} {self.shift} {self.area}"


class PatrolLog(models.Model):
    scope_rule = _rule("entry__area__unit")
    objects = ScopedQuerySet.as_manager()

    entry = models.OneToOneField(RosterEntry, verbose_name=_("值班安排"), on_delete=models.PROTECT, related_name="log")
    logged_at = models.DateTimeField(_("记录时间"))
    note = models.TextField(_("巡查情况"), blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("巡查记录")
        verbose_name_plural = _("巡查记录")
        ordering = ["-logged_at", "id"]

    def __str__(self) -> str:
        return str(self.entry)


class Incident(models.Model):
    """Something a patrol found; a hazard (`hazard` set) opens a follow-up to fix it."""

    scope_rule = _rule("log__entry__area__unit")
    objects = ScopedQuerySet.as_manager()

    log = models.ForeignKey(PatrolLog, verbose_name=_("巡查记录"), on_delete=models.PROTECT, related_name="incidents")
    kind = models.CharField(_("类别"), max_length=8, choices=HazardKind.choices, default=HazardKind.OTHER)
    description = models.CharField(_("情况"), max_length=300)
    room = models.ForeignKey(Room, verbose_name=_("房间"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="incidents")
    hazard = models.BooleanField(_("安全隐患"), default=False)

    class Meta:
        verbose_name = _("巡查发现")
        verbose_name_plural = _("巡查发现")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class Finding(models.Model):
    """A hazard found by a check (or by a patrol, `incident`), to be fixed by a deadline: its
    follow-up item needs verification by a second person."""

    scope_rule = _rule("room__building__unit")
    objects = ScopedQuerySet.as_manager()

    room = models.ForeignKey(Room, verbose_name=_("房间"), on_delete=models.PROTECT, related_name="findings")
    check_record = models.ForeignKey(HazardCheck, verbose_name=_("隐患检查"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="findings")
    incident = models.OneToOneField(Incident, verbose_name=_("巡查发现"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="finding")
    kind = models.CharField(_("类别"), max_length=8, choices=HazardKind.choices)
    description = models.CharField(_("隐患情况"), max_length=300)
    fix_days = models.PositiveSmallIntegerField(_("整改时限（工作日）"))
    follow_up = models.OneToOneField("followups.FollowUp", verbose_name=_("督办事项"), null=True,
                                     on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("隐患")
        verbose_name_plural = _("隐患")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.description
