"""Errors of the hall engine. Each names the field it concerns and a stable rule code, so the command
line, the admin and the API can all say exactly what was wrong."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from yizhan.errors import RuleError


class HallError(RuleError):
    """Base class of the hall engine's errors (see `yizhan.errors.RuleError`)."""

    default_rule = "hall"


class InvalidInput(HallError):
    """A value given to a service function breaks a rule (a bad ID number, a missing reason)."""

    default_rule = "invalid"


class IllegalTransition(HallError):
    """The case (or consultation, refusal, notice) is not in a state that allows the action."""

    default_rule = "illegal_transition"


class NotPermitted(HallError):
    """The acting person lacks the role, or is the wrong person, for the action."""

    default_rule = "not_permitted"


class NoticeRefused(HallError):
    """A one-time notice that would break Art. 32 (nothing missing, or a material the first notice
    did not list, without a supervisor's override)."""

    default_rule = "notice_refused"


class RowError:
    """One broken field of one row of an imported file."""

    def __init__(self, line: int, field: str, message: Any) -> None:
        self.line = line
        self.field = field
        self.message = str(message)

    def __str__(self) -> str:
        return str(_("第 %(line)d 行，字段 %(field)s：%(message)s") % {
            "line": self.line, "field": self.field, "message": self.message,
        })

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message}


class ImportFailed(HallError):
    """An import found broken rows; nothing was written. `errors` lists every broken row."""

    default_rule = "import_failed"

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        first = errors[0]
        lines = "\n".join(str(e) for e in errors)
        super().__init__(
            _("导入失败，共 %(n)d 处错误，未写入任何数据：\n%(lines)s") % {"n": len(errors), "lines": lines},
            field=first.field,
        )

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "errors": [e.as_dict() for e in self.errors]}
