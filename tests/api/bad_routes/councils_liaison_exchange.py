ROUTES = [
    ("GET", "/api/councils/proposals", "query", "council", "query_code"),
    ("GET", "/api/councils/proposals", "query", "limit", "limit"),
    ("GET", "/api/councils/proposals", "query", "offset", "offset"),
    ("POST", "/api/councils/proposals/{proposal}/decision", "path", "proposal_id", "id"),
    ("POST", "/api/councils/proposals/{proposal}/decision", "body", "reason", "text"),
    ("POST", "/api/councils/proposals/{proposal}/decision", "body", "owner", "code"),
    ("POST", "/api/councils/proposals/{proposal}/decision", "body", "referred_to", "code"),
    ("POST", "/api/councils/proposals/{proposal}/decision", "body", "outcome", "choice"),
    ("GET", "/api/councils/figures", "query", "council", "query_code"),
    ("GET", "/api/councils/figures", "query", "year", "year"),
]
BODIES = {
    "/decision": {"outcome": "rejected", "reason": "条件不具备"},
}
PLACEHOLDERS = {"proposal": "proposal_id"}
