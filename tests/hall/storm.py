"""Many clients at once against the real API, each thread on its own database connection.

Run as a separate process (`python -m tests.hall.storm MODE`) against a real database file or server,
so the requests meet the same locks and connection limits a server's would:

- `setup N`: a small hall, N accepted cases, a clerk's API token; prints {"key", "cases"}.
- `storm`: reads {"key", "requests": [[path, body], ...]} on stdin, sends every request at the same
  moment from a thread of its own, prints [[status, body], ...] in request order.
- `state CASE_NO ...`: prints each case's state, its timers' open pauses and its audit actions.
"""

import json
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import django

MAX_CLIENTS = 50  # bounded: a storm never opens more threads than this
WAIT = 60  # seconds any request may take before the storm counts it as hung


def setup(n: int) -> dict:
    from yizhan.api.tokens import create_token
    from yizhan.demo.small import small_hall

    clerk, cases = small_hall(n)
    _token, key = create_token(clerk, "storm")
    return {"key": key, "cases": [c.case_no for c in cases]}


def storm(spec: dict) -> list:
    from django.db import connection
    from django.test import Client

    requests = spec["requests"]
    if not 0 < len(requests) <= MAX_CLIENTS:
        raise SystemExit(f"a storm sends 1–{MAX_CLIENTS} requests, not {len(requests)}")
    headers = {"Authorization": f"Bearer {spec['key']}"}
    start = threading.Barrier(len(requests))

    def send(request: list) -> list:
        path, body = request
        client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
        try:
            start.wait(timeout=WAIT)
            response = client.post(path, json.dumps(body), content_type="application/json", headers=headers)
            try:
                payload = response.json()
            except ValueError:
                payload = response.content.decode(errors="replace")[:500]
            return [response.status_code, payload]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        futures = [pool.submit(send, r) for r in requests]
        return [f.result(timeout=WAIT) for f in futures]


def state(case_nos: list[str]) -> dict:
    from yizhan.audit.models import AuditEvent
    from yizhan.hall.models import Case

    result = {}
    for case in Case.objects.filter(case_no__in=case_nos).select_related("promised_timer", "statutory_timer"):
        timers = {}
        for name in ("promised", "statutory"):
            timer = getattr(case, f"{name}_timer")
            timers[name] = {
                "paused_since": timer.paused_since.isoformat() if timer.paused_since else None,
                "stopped": timer.stopped_at is not None,
                "open_pauses": timer.pauses.filter(ended_at__isnull=True).count(),
                "pauses": timer.pauses.count(),
            }
        actions = list(AuditEvent.objects.filter(object_type="hall.case", object_id=str(case.pk))
                       .order_by("id").values_list("action", flat=True))
        result[case.case_no] = {"state": case.state, "timers": timers, "actions": actions}
    return result


def main() -> None:
    django.setup()
    mode = sys.argv[1]
    if mode == "setup":
        out = setup(int(sys.argv[2]))
    elif mode == "storm":
        out = storm(json.load(sys.stdin))
    elif mode == "state":
        out = state(sys.argv[2:])
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
