from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from yizhan.audit.log import record
from yizhan.calendar.schedule_import import ScheduleError, import_local, import_official_year
from yizhan.calendar.status import year_statuses
from yizhan.calendar.workdays import current_calendar


class Command(BaseCommand):
    help = (
        "The working-day calendar. `status` shows which years have the State Council schedule; "
        "`import FILE.csv` loads a year the installed calendar package does not know yet "
        "(or, with --local, local closures and extra working days)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        status = sub.add_parser("status", help="which years are official, imported, or provisional (Mon-Fri guess)")
        status.add_argument("--from", dest="first", type=int, default=date.today().year - 1, help="first year")
        status.add_argument("--to", dest="last", type=int, default=date.today().year + 1, help="last year")
        imp = sub.add_parser(
            "import",
            help="import a CSV with columns date,kind,name (kind: holiday = day off, workday = 调休 make-up day)",
        )
        imp.add_argument("file", type=Path, help="the CSV file")
        imp.add_argument("--local", action="store_true", help="local adjustments instead of a year's official schedule")
        imp.add_argument("--note", default="", help="the notice the schedule comes from (official import)")

    def handle(self, *args, **options):
        if options["action"] == "status":
            return self._status(options["first"], options["last"])
        return self._import(options["file"], options["local"], options["note"])

    def _status(self, first: int, last: int) -> None:
        labels = {
            "official": "official (chinesecalendar)",
            "imported": "imported",
            "missing": "MISSING — deadlines in this year are provisional (Mon-Fri); import it",
        }
        for status in year_statuses(first, last):
            note = f" ({status.note})" if status.source == "imported" and status.note else ""
            self.stdout.write(f"{status.year}: {labels[status.source]}{note}")
        self.stdout.write(f"local/imported day overrides in force: {len(current_calendar().overrides)}")

    def _import(self, path: Path, local: bool, note: str) -> None:
        if not path.exists():
            raise CommandError(f"file not found: {path}")
        try:
            with transaction.atomic():
                if local:
                    done = import_local(path)
                    record("calendar.local_imported", ("workcalendar.dayoverride", "local"), actor_label="cli",
                           file=path.name, days=[r.day for r in done.rows], moved_count=len(done.moved),
                           moved=done.moved)
                    self.stdout.write(f"imported {len(done.rows)} local adjustments; "
                                      f"{len(done.moved)} open deadlines moved")
                else:
                    done = import_official_year(path, note)
                    record("calendar.year_imported", ("workcalendar.calendaryear", str(done.year)), actor_label="cli",
                           file=path.name, note=note, year=done.year, days=len(done.rows),
                           moved_count=len(done.moved), moved=done.moved)
                    self.stdout.write(f"imported the {done.year} schedule: {len(done.rows)} days; "
                                      f"{len(done.moved)} open deadlines moved")
        except ScheduleError as exc:
            raise CommandError(f"{path}: nothing imported:\n{exc}") from exc
