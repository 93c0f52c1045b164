"""The one `yizhan` command.

`yizhan detect ...` runs the outbreak-detection library without loading Django, so that other tools
can call it cheaply; every other sub-command is a Django management command.
"""

import os
import sys

OVERVIEW = """\
yizhan — the one-stop service hall and epidemic surveillance of a city

Everyday commands:
  yizhan demo                 set up the database, build the demo city and serve it on localhost
  yizhan serve [--port N]     serve Yizhan with gunicorn and the background worker (docs/deploy.md)
  yizhan worker               background jobs and the periodic schedule (yizhan serve starts one)
  yizhan backup FILE          back the database up (restore with yizhan restore --yes FILE)
  yizhan migrate              create or upgrade the database tables
  yizhan createsuperuser      make an administrator account
  yizhan hall ...             the service hall: figures, imports, warnings sweep, seed replay
                              (yizhan hall --help lists them)
  yizhan org import-staff F   staff, badge numbers and roles from a CSV file (yizhan org --help)
  yizhan calendar ...         the working-day calendar: status of each year, import a year
  yizhan detect METHOD FILE   outbreak detection over a CSV of counts (yizhan detect --help)

The database is SQLite in ./var by default; set YIZHAN_DATABASE_URL=postgres://... for PostgreSQL.
All Django management commands are available too: `yizhan help` lists them.
"""


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "detect":
        # Each side loads only its own: numpy/scipy cost a Django command about 0.8 s, Django's
        # management about 0.3 s of `yizhan detect` (python -X importtime on the 2-core machine).
        from yizhan.detect.cli import main as detect_main  # noqa: PLC0415

        sys.exit(detect_main(argv[2:]))
    if len(argv) == 1 or argv[1] in ("-h", "--help"):
        print(OVERVIEW)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yizhan.settings")
    from django.core.management import execute_from_command_line  # noqa: PLC0415  (see above)

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
