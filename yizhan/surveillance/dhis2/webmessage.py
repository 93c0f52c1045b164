"""DHIS2's answer to an import: the WebMessage (httpStatus, httpStatusCode, status, message) wrapping
the ImportSummary (responseType, status, importOptions, description, importCount, conflicts,
rejectedIndexes). As dhis2-core's WebMessageUtils.importSummary: an ERROR summary is 409 Conflict "An
error occurred, please check import summary.", a summary with conflicts 409 WARNING "One more conflicts
encountered, please check import summary.", else 200 OK "Import was successful.". Each conflict names
the `object` (the offending identifier or value), `objects` ({property: value}), `value` (the message),
`errorCode` (dhis2-core's ErrorCode: E7610 data element, E7611 period, E7612 organisation unit, E7613
category option combo, E7615 attribute option combo, E7619 value type, E7630/E7631 combo required…),
`property` and `indexes` (the positions of the offending data values in the payload)."""

from dataclasses import dataclass, field
from typing import Any

# dhis2-core ErrorCode messages for data value import ("Data import validation").
MESSAGES = {
    "E7600": "Data set not found or not accessible: `{0}`",
    "E7610": "Data element not found or not accessible: `{0}`",
    "E7611": "Period not valid: `{0}`",
    "E7612": "Organisation unit not found or not accessible: `{0}`",
    "E7613": "Category option combo not found or not accessible for writing data: `{0}`",
    "E7615": "Attribute option combo not found or not accessible for writing data: `{0}`",
    "E7618": "Data value or comment not specified for data element: `{0}`",
    "E7619": "Value must match data element's `{0}` type constraints: {1}",
}


@dataclass
class Conflicts:
    items: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    bad: set[int] = field(default_factory=set)

    def add(self, index: int, code: str, prop: str, obj: str, *args: str) -> None:
        """One conflict of data value `index`; the same error on the same object gathers its indexes."""
        self.bad.add(index)
        key = (code, obj)
        if key in self.items:
            self.items[key]["indexes"].append(index)
            return
        self.items[key] = {"object": obj, "objects": {prop: obj}, "value": MESSAGES[code].format(obj, *args),
                           "errorCode": code, "property": prop, "indexes": [index]}

    def rejected(self) -> list[int]:
        return sorted(self.bad)

    def as_list(self) -> list[dict[str, Any]]:
        return list(self.items.values())


def import_summary(*, imported: int = 0, updated: int = 0, ignored: int = 0, deleted: int = 0,
                   conflicts: Conflicts | None = None, options: dict[str, Any], error: str = "") -> dict[str, Any]:
    conflicts = conflicts or Conflicts()
    listed = conflicts.as_list()
    if error or (listed and not (imported or updated or deleted)):
        status = "ERROR"
    else:
        status = "WARNING" if listed else "SUCCESS"
    summary = {"responseType": "ImportSummary", "status": status, "importOptions": options,
               "description": error or ("Import process completed successfully" if status != "ERROR" else
                                        "Import process was aborted"),
               "importCount": {"imported": imported, "updated": updated, "ignored": ignored, "deleted": deleted},
               "conflicts": listed, "rejectedIndexes": conflicts.rejected(), "dataSetComplete": "false"}
    return summary


def web_message(summary: dict[str, Any]) -> dict[str, Any]:
    if summary["status"] == "ERROR":
        head = ("Conflict", 409, "ERROR", "An error occurred, please check import summary.")
    elif summary["conflicts"]:
        head = ("Conflict", 409, "WARNING", "One more conflicts encountered, please check import summary.")
    else:
        head = ("OK", 200, "OK", "Import was successful.")
    return {"httpStatus": head[0], "httpStatusCode": head[1], "status": head[2], "message": head[3],
            "response": summary}
