"""Bad-input rows of the surveillance routes for review, returns, quality and emergencies."""

ROUTES = [
    ("POST", "/api/surveillance/cards/{card}/return", "body", "reason", "text"),
    ("POST", "/api/surveillance/cards/{card}/exclude", "body", "reason", "text"),
    ("POST", "/api/surveillance/cards/{card}/resubmit", "body", "name", "text"),
    ("POST", "/api/surveillance/quality/his", "body", "csv", "text"),
    ("POST", "/api/surveillance/incidents/{incident}/grade", "path", "incident_id", "id"),
    ("POST", "/api/surveillance/incidents/{incident}/grade", "body", "reason", "text"),
    ("POST", "/api/surveillance/incidents/{incident}/reports", "body", "text", "text"),
]
BODIES = {
    "/grade": {"grade": "III", "reason": "一次食物中毒人数超过100人"},
    "/incidents/{incident}/reports": {"kind": "progress", "text": "进程报告"},
}
PLACEHOLDERS = {"incident": "incident_id"}
