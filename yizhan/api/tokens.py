"""Creating, checking and revoking API tokens.

A key is `yz_` followed by 40 random URL-safe characters (240 bits). Because keys are random and long,
a plain SHA-256 digest is enough to store them safely (no password stretching is needed), and a token
is found by the digest of the presented key in one indexed lookup."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yizhan.api.models import ApiToken
from yizhan.audit.log import record

KEY_PREFIX = "yz_"
# Writing `last_used` on every request would turn every read into a write; a minute's precision is enough.
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenError(ValueError):
    def __init__(self, message, *, field: str, rule: str) -> None:
        self.message, self.field, self.rule = str(message), field, rule
        super().__init__(self.message)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(30)


def create_token(user, name: str, *, actor=None, actor_label: str = "") -> tuple[ApiToken, str]:
    """Make a token for `user`. Returns the token and its key; the key is not stored and cannot be shown again."""
    name = (name or "").strip()
    if not name:
        raise TokenError(_("请填写令牌名称（用途）"), field="name", rule="required")
    if not user.is_active:
        raise TokenError(_("用户 %(user)s 已停用，不能创建令牌") % {"user": user.get_username()},
                         field="user", rule="inactive_user")
    key = new_key()
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, prefix=key[:10], key_hash=digest(key))
        record("api.token_created", token, actor=actor, actor_label=actor_label, user=user.get_username(), name=name)
    return token, key


def revoke_token(token: ApiToken, *, actor=None, actor_label: str = "") -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked is None:
            token.revoked = timezone.now()
            token.save(update_fields=["revoked"])
            record("api.token_revoked", token, actor=actor, actor_label=actor_label, name=token.name)
    return token


def user_for_key(key: str):
    """The active user a presented key belongs to, or None (unknown, revoked, or the user is inactive)."""
    key = (key or "").strip()
    if not key.startswith(KEY_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=digest(key), revoked__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used is None or now - token.last_used >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user
