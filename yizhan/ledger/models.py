"""Ledgers that can never be edited, only reversed: an account (a fund, a budget) and its entries.

Every entry is a row the database refuses to update or delete (`yizhan.audit.append_only`); a
correction is a reversing entry pointing at the one it cancels. The account keeps its running
balance, changed only by `yizhan.ledger.posting` under a lock, and a check constraint keeps it from
going below zero whatever code writes it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.org.models import Role
from yizhan.org.scope import ScopedQuerySet, ScopeRule

# Who keeps and reads a unit's accounts.
LEDGER_ROLES = (Role.TREASURER, Role.COMMITTEE_MEMBER, Role.WELFARE_OFFICER, Role.SUBSIDY_OFFICER)


class AccountKind(models.TextChoices):
    FUND = "fund", _("基金")
    BUDGET = "budget", _("预算")


class Account(models.Model):
    scope_rule = ScopeRule(units=("unit",), roles=LEDGER_ROLES, change_roles=(Role.TREASURER,))
    objects = ScopedQuerySet.as_manager()

    code = models.CharField(_("账户编码"), max_length=40, unique=True)
    name = models.CharField(_("账户名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16, choices=AccountKind.choices, default=AccountKind.FUND)
    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("所属单位"), on_delete=models.PROTECT,
                             related_name="ledger_accounts")
    balance_fen = models.BigIntegerField(_("余额（分）"), default=0, editable=False)
    opened_on = models.DateField(_("开户日期"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("资金账户")
        verbose_name_plural = _("资金账户")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(balance_fen__gte=0), name="ledger_account_balance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Entry(models.Model):
    """One posting: `amount_fen` > 0 brings money in, < 0 pays it out. `category` is the posting's
    kind as the owning app names it (staff_contribution, company_grant, relief_payment, …);
    `source_type`/`source_id` point at the app's object that caused it (an application, a visit)."""

    scope_rule = ScopeRule(units=("account__unit",), roles=LEDGER_ROLES, change_roles=(Role.TREASURER,))
    objects = ScopedQuerySet.as_manager()

    account = models.ForeignKey(Account, verbose_name=_("账户"), on_delete=models.PROTECT, related_name="entries")
    booked_at = models.DateTimeField(_("记账时间"), db_index=True)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    balance_after_fen = models.BigIntegerField(_("记账后余额（分）"))
    category = models.CharField(_("类别"), max_length=40)
    party = models.CharField(_("对方"), max_length=200, blank=True, help_text=_("缴款人、收款人或拨款单位"))
    memo = models.CharField(_("摘要"), max_length=500, blank=True)
    source_type = models.CharField(_("来源类型"), max_length=64, blank=True)
    source_id = models.CharField(_("来源编号"), max_length=64, blank=True)
    reverses = models.OneToOneField("self", verbose_name=_("冲销"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by")
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记账人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("台账分录")
        verbose_name_plural = _("台账分录")
        ordering = ["account", "booked_at", "id"]
        indexes = [
            models.Index(fields=["account", "booked_at"]),
            models.Index(fields=["source_type", "source_id"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount_fen=0), name="ledger_entry_amount_not_zero"),
            models.CheckConstraint(condition=models.Q(balance_after_fen__gte=0),
                                   name="ledger_entry_balance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.account.code} {self.booked_at:%Y-%m-%d} {self.amount_fen / 100:+.2f}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None
