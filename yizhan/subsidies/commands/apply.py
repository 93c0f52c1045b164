from django.core.management.base import CommandError
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from yizhan.ledger.money import yuan
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.subcommands import FILE_ARGUMENT_HELP, import_file
from yizhan.subsidies.applications import apply
from yizhan.subsidies.models import Programme, Term
from yizhan.subsidies.pupils import batch_lines

help = _("按名单为学校申报一个资助批次（CSV：resident_id[,name]）")


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE", help=str(FILE_ARGUMENT_HELP))
    parser.add_argument("--school", required=True, metavar="CODE")
    parser.add_argument("--programme", required=True, metavar="CODE")
    parser.add_argument("--term", required=True, metavar="CODE")


def _get(model, option: str, **lookup):
    found = model.objects.filter(**lookup).first()
    if found is None:
        raise CommandError(_g("%(o)s：不存在：%(v)s") % {"o": option, "v": next(iter(lookup.values()))})
    return found


def run(options: dict, stdout) -> None:
    school = _get(OrgUnit, "--school", code=options["school"], kind=UnitKind.SCHOOL)
    programme = _get(Programme, "--programme", code=options["programme"])
    term = _get(Term, "--term", code=options["term"])
    lines = import_file(options["file"], batch_lines)
    batch = apply(programme=programme, term=term, school=school, lines=lines, actor_label="subsidies apply")
    stdout.write(_g("已申报批次 %(b)s：%(n)d 人，¥%(a)s，审批期限 %(d)s") % {
        "b": batch.case.case_no, "n": batch.pupils, "a": yuan(batch.amount_fen),
        "d": batch.case.promised_timer.deadline})
