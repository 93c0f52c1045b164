ROUTES = [
    ("GET", "/api/ledger/accounts/{account}", "path", "code", "path_code"),
    ("GET", "/api/ledger/accounts/{account}/entries", "query", "from", "day"),
    ("GET", "/api/ledger/accounts/{account}/entries", "query", "limit", "limit"),
    ("GET", "/api/ledger/accounts/{account}/entries", "query", "category", "query_code"),
    ("POST", "/api/ledger/accounts/{account}/entries", "body", "party", "short_text"),
    ("POST", "/api/ledger/accounts/{account}/entries", "body", "category", "code"),
    ("POST", "/api/ledger/entries/{entry}/reverse", "path", "entry_id", "id"),
    ("POST", "/api/ledger/entries/{entry}/reverse", "body", "reason", "text"),
    ("GET", "/api/followups", "query", "kind", "query_code"),
    ("GET", "/api/followups", "query", "offset", "offset"),
    ("POST", "/api/followups/{item}/complete", "body", "note", "text"),
    ("POST", "/api/followups/{item}/verify", "body", "note", "text"),
    ("POST", "/api/followups/{item}/cancel", "body", "reason", "text"),
]
BODIES = {
    "/entries": {"amount_fen": 100, "category": "staff_contribution"},
    "/reverse": {"reason": "录错"},
    "/complete": {"note": "已办"},
    "/verify": {"effective": True, "note": "有效"},
    "/cancel": {"reason": "撤销"},
}
PLACEHOLDERS = {"account": "code", "entry": "entry_id"}
