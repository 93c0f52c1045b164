"""The one base class of rule errors, shared by every app of Yizhan.

A rule error says which input broke which rule: `field` is the input ("" when the rule is about an
object's state), `rule` a stable machine-readable code, `message` the text for people. The API turns
it into its error envelope, the screens into a form error, the command line into one line. Apps
raise these classes or subclass them (`yizhan.clock.errors.ClockError`, `yizhan.hall.errors.NoticeRefused`);
the detection library, which imports nothing of ours, keeps its own."""

from typing import Any

from django.utils.translation import gettext_lazy as _


class RuleError(Exception):
    default_rule = "invalid"
    # The API's answer when the rule error names its own (the case lookup: 404 for a wrong guess, 429
    # with the seconds to wait while slowed down); None leaves it to the error's kind.
    http_status: int | None = None
    retry_after: int | None = None

    def __init__(self, message: Any, *, field: str = "", rule: str | None = None, label: Any = None) -> None:
        self.message = str(message)
        self.field = field
        self.rule = rule or self.default_rule
        # The field as people know it (a model field's verbose name), shown by screens that have no form
        # field to put the error under; the API keeps `field`.
        self.label = label
        super().__init__(self.message)

    def __str__(self) -> str:
        name = self.label if self.label is not None else self.field
        return f"{name}: {self.message}" if name else self.message

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "rule": self.rule, "message": self.message}


class InvalidInput(RuleError):
    """A value given to a service function breaks a rule (a bad ID number, a missing reason)."""

    default_rule = "invalid"


class IllegalTransition(RuleError):
    """The case (or consultation, refusal, notice) is not in a state that allows the action."""

    default_rule = "illegal_transition"


class NotPermitted(RuleError):
    """The acting person lacks the role, or is the wrong person, for the action."""

    default_rule = "not_permitted"


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


class ImportFailed(RuleError):
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
