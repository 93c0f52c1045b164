"""The demo's accounts: the hall's, then those of every demo system. Passwords are generated on
creation, kept in DATA_DIR/demo-accounts.txt (readable by the owner only) and printed at every start;
the accounts are for a demonstration on one's own machine only."""

import secrets
import string
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.demo.seed_replay import CENTER_CODE
from yizhan.demo.systems import systems
from yizhan.org.models import OrgUnit, Role, StaffRole

# username, role, unit code (the role covers that unit's subtree), display name
DEMO_ACCOUNTS = (
    ("admin", Role.ADMINISTRATOR, CENTER_CODE, "系统管理员"),
    ("clerk", Role.CLERK, f"{CENTER_CODE}-26-W1", "工商企业登记窗口 窗口人员"),
    ("head", Role.DEPARTMENT_HEAD, f"{CENTER_CODE}-26", "工商行政管理局 部门负责人"),
    ("supervisor", Role.HALL_SUPERVISOR, CENTER_CODE, "大厅督查"),
)


def accounts_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-accounts.txt"


def read_passwords() -> dict[str, str]:
    path = accounts_file()
    if not path.exists():
        return {}
    pairs = (line.split("\t", 1) for line in path.read_text(encoding="utf-8").splitlines() if "\t" in line)
    return {name: password for name, password in pairs}


def write_passwords(passwords: dict[str, str]) -> None:
    path = accounts_file()
    path.write_text("".join(f"{n}\t{p}\n" for n, p in passwords.items()), encoding="utf-8")
    path.chmod(0o600)


def all_demo_accounts() -> tuple[tuple[str, str, str, str], ...]:
    """The hall's accounts, then those of every demo system (`yizhan.demo.systems`)."""
    return DEMO_ACCOUNTS + tuple(account for system in systems() for account in getattr(system, "ACCOUNTS", ()))


def ensure_demo_accounts(accounts: tuple[tuple[str, str, str, str], ...]) -> list[tuple[str, str, str, bool]]:
    """Create those of `accounts` that do not exist yet (with their roles and an audit event each).
    Returns (username, password, what it is, created now) for each; an account that existed keeps its
    password, shown as recorded at its creation."""
    user_model = get_user_model()
    passwords = read_passwords()
    result = []
    with transaction.atomic():
        for username, role, unit_code, label in accounts:
            unit = OrgUnit.objects.filter(code=unit_code).first()
            if unit is None:
                raise CommandError(_("演示账号 %(u)s 的机构 %(c)s 不存在") % {"u": username, "c": unit_code})
            user = user_model.objects.filter(username=username).first()
            created = user is None
            if created:
                password = "".join(secrets.choice(string.ascii_letters + string.digits) for _i in range(12))
                user = user_model(username=username, first_name=label, is_staff=True,
                                  is_superuser=role == Role.ADMINISTRATOR)
                user.set_password(password)
                user.save()
                passwords[username] = password
                record("org.staff.created", user, actor_label="demo", role=role, unit=unit_code)
            _role, role_created = StaffRole.objects.get_or_create(user=user, role=role, unit=unit)
            if role_created and not created:
                record("org.staff.role_added", user, actor_label="demo", role=role, unit=unit_code)
            result.append((username, passwords.get(username, _("（已有账号，密码未变）")), label, created))
    write_passwords(passwords)
    return result
