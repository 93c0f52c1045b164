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
ROUTES += [
    ("GET", "/api/liaison/points", "query", "school", "query_code"),
    ("GET", "/api/liaison/points", "query", "limit", "limit"),
    ("POST", "/api/liaison/points/{point}/visits", "path", "point_id", "id"),
    ("POST", "/api/liaison/points/{point}/visits", "body", "visited_on", "day"),
    ("POST", "/api/liaison/points/{point}/visits", "body", "findings", "text"),
    ("POST", "/api/liaison/points/{point}/visits", "body", "problems", "list_text"),
    ("GET", "/api/liaison/briefs", "query", "offset", "offset"),
]
BODIES["/visits"] = {"visited_on": "2009-03-10", "findings": "查看食堂与宿舍"}
PLACEHOLDERS["point"] = "point_id"
ROUTES += [
    ("GET", "/api/exchange/teachers", "query", "school", "query_code"),
    ("GET", "/api/exchange/teachers", "query", "limit", "limit"),
    ("GET", "/api/exchange/teachers", "query", "offset", "offset"),
    ("POST", "/api/exchange/assignments", "body", "teacher", "code"),
    ("POST", "/api/exchange/assignments", "body", "to_school", "code"),
    ("POST", "/api/exchange/assignments", "body", "start", "day"),
    ("POST", "/api/exchange/assignments", "body", "end", "day"),
    ("GET", "/api/exchange/balance", "query", "date", "day"),
    ("GET", "/api/exchange/balance", "query", "school", "query_code"),
]
BODIES["/api/exchange/assignments"] = {"teacher": "T1", "to_school": "S2", "start": "2009-09-01", "end": "2010-01-31"}
ROUTES += [
    ("POST", "/api/liaison/points", "body", "school", "code"),
    ("POST", "/api/liaison/points", "body", "leader", "code"),
    ("POST", "/api/liaison/points", "body", "started_on", "day"),
    ("POST", "/api/liaison/points", "body", "ended_on", "day"),
    ("POST", "/api/liaison/points/{point}/end", "path", "point_id", "id"),
    ("POST", "/api/liaison/points/{point}/end", "body", "ended_on", "day"),
]
BODIES["/api/liaison/points"] = {"school": "S1", "leader": "chen", "started_on": "2009-03-01"}
BODIES["/end"] = {"ended_on": "2009-08-31"}
