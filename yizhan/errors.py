"""The one base class of rule errors, shared by every app of Yizhan.

A rule error says which input broke which rule: `field` is the input ("" when the rule is about an
object's state), `rule` a stable machine-readable code, `message` the text for people. The API turns
it into its error envelope, the screens into a form error, the command line into one line. Apps
subclass it (`yizhan.hall.errors.HallError`, `yizhan.clock.errors.ClockError`, …); the detection
library, which imports nothing of ours, keeps its own."""

from typing import Any


class RuleError(Exception):
    default_rule = "invalid"

    def __init__(self, message: Any, *, field: str = "", rule: str | None = None) -> None:
        self.message = str(message)
        self.field = field
        self.rule = rule or self.default_rule
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "rule": self.rule, "message": self.message}
