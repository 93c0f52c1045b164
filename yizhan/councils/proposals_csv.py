"""Importing a quarter's proposals into a meeting from CSV: `proposer,title,content,submitted_on`.
Every broken row is reported with its line and field (a proposer who is not a member included) and
nothing is written; the rows that pass go through `proposals.submit`, as on the screen."""

from datetime import datetime
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from yizhan.councils.models import Meeting, Proposal
from yizhan.councils.proposals import submit
from yizhan.csvrows import ImportResult, Rows
from yizhan.org.scope import require_permits
from yizhan.textlimits import field_limit

COLUMNS = ["proposer", "title", "submitted_on"]
OPTIONAL = ["content"]


def import_proposals(stream: IO[str] | IO[bytes], meeting: Meeting, *, at: datetime | None = None,
                     actor: Any = None) -> ImportResult:
    # Members submit their own proposals; loading a meeting's file is its council secretary's.
    require_permits(actor, meeting, field="meeting")
    rows = Rows(stream, COLUMNS, OPTIONAL)
    members = {m.name: m for m in meeting.council.members.filter(active=True)}
    items = []
    for line, row in rows:
        name = rows.required(line, row, "proposer")
        if name and name not in members:
            rows.error(line, "proposer", _("不是本议事会的在任成员：%(v)s") % {"v": name[:40]})
        rows.required(line, row, "title")
        rows.text(line, row, "title", field_limit(Proposal, "title"))
        day = rows.day(line, row, "submitted_on")
        items.append((line, {"proposer": members.get(name), "title": row["title"], "content": row.get("content", ""),
                             "submitted_on": day}))
    rows.raise_if_any()
    created = rows.apply(items, lambda item: submit(meeting, at=at, actor=actor, **item))
    return ImportResult(created, 0)
