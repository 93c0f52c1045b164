from django.utils.translation import gettext_lazy as _

from yizhan.subcommands import FILE_ARGUMENT_HELP, import_file
from yizhan.subsidies.pupils import import_pupils

help = _("导入学生名册（CSV：resident_id,name,school_code,township_code,boarder,grade）")


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE", help=str(FILE_ARGUMENT_HELP))


def run(options: dict, stdout) -> None:
    stdout.write(str(import_file(options["file"], import_pupils)))
