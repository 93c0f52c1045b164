"""The English message catalog: complete, placeholders intact, and actually served to English readers.

The catalog is parsed with a small stdlib reader (the .po grammar used by gettext: comments, keywords,
continued strings); the compiled .mo is built here when it is missing or older than the .po, so the
tests do not depend on a setup step having run.
"""

import contextlib
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import translation

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# printf-style conversions as Python's % operator reads them: %(name)s, %(n)d, %(s).1f, %s, %%.
PRINTF = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<type>[diouxXeEfFgGcrsa%])")
# str.format fields: {name}, {0}, {name!r:>10}; doubled braces are literal.
BRACES = re.compile(r"(?<!\{)\{(?P<field>[A-Za-z_0-9.\[\]]*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstrs: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def sources(self) -> list[str]:
        return [self.msgid] if self.msgid_plural is None else [self.msgid, self.msgid_plural]


def _unquote(text: str, line: int) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"{PO.name}:{line}: expected a quoted string, got {text!r}")
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    return re.sub(r"\\(.)", lambda m: escapes[m.group(1)], text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """Every entry of the catalog, header included (msgid ""); obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            entry, target = None, None
            continue
        if line.startswith("#~") or (line.startswith("#") and not line.startswith("#,")):
            continue
        if entry is None:
            entry = Entry(line=number)
            entries.append(entry)
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"{path.name}:{number}: continued string outside an entry")
            _append(entry, target, _unquote(line, number))
            continue
        keyword, _sep, rest = line.partition(" ")
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if match:
            target = ("msgstr", int(match.group(1)))
        elif keyword in ("msgid", "msgid_plural", "msgctxt", "msgstr"):
            target = (keyword, None)
        else:
            raise ValueError(f"{path.name}:{number}: unknown keyword {keyword!r}")
        _append(entry, target, _unquote(rest, number), start=True)
    return entries


def _append(entry: Entry, target: tuple[str, int | None], text: str, start: bool = False) -> None:
    name, index = target
    if name == "msgstr":
        key = 0 if index is None else index
        entry.msgstrs[key] = ("" if start else entry.msgstrs.get(key, "")) + text
    else:
        setattr(entry, name, ("" if start else getattr(entry, name) or "") + text)


def printf_placeholders(text: str) -> Counter:
    """Named conversions by name and type; positional ones by their order, so reordering them is caught."""
    found: Counter = Counter()
    position = 0
    for match in PRINTF.finditer(text):
        if match["type"] == "%":
            continue
        if match["name"] is not None:
            found[(match["name"], match.group(0)[len(match["name"]) + 3:])] += 1
        else:
            found[(position, match.group(0))] += 1
            position += 1
    return found


def brace_placeholders(text: str) -> Counter:
    return Counter(m["field"] for m in BRACES.finditer(text))


@pytest.fixture(scope="session")
def catalog() -> list[Entry]:
    return parse_po(PO)


@pytest.fixture(scope="session")
def messages(catalog: list[Entry]) -> list[Entry]:
    return [e for e in catalog if e.msgid or e.msgctxt is not None]


@pytest.fixture(scope="session")
def compiled_catalog() -> Path:
    """Build the .mo from the .po when it is missing or stale, and make Django read the fresh one."""
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        # compilemessages also walks the working directory for locale folders; start it inside ours
        # so it never descends into the virtualenv.
        with contextlib.chdir(LOCALE_DIR):
            call_command("compilemessages", locale=["en"], verbosity=0)
        from django.utils.translation import trans_real

        # A catalog loaded earlier in the session, before the .mo existed, would stay cached without it.
        trans_real._translations = {}
        trans_real._default = None
    assert MO.exists() and MO.stat().st_mtime >= PO.stat().st_mtime
    return MO


def test_the_header_declares_english_with_two_plural_forms(catalog):
    header = catalog[0]
    assert header.msgid == "" and header.msgctxt is None
    assert "fuzzy" not in header.flags, "a fuzzy header is ignored by msgfmt, losing charset and plural rules"
    fields = dict(line.split(": ", 1) for line in header.msgstrs[0].splitlines() if ": " in line)
    assert fields["Language"] == "en"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


def test_every_message_is_translated_and_none_is_fuzzy(messages):
    assert len(messages) > 100, "the catalog should hold the project's messages; was makemessages run?"
    untranslated = [f"line {e.line}: {e.msgid}" for e in messages
                    if not e.msgstrs or not all(e.msgstrs.values())]
    fuzzy = [f"line {e.line}: {e.msgid}" for e in messages if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def test_plural_entries_have_both_english_forms(messages):
    for entry in messages:
        expected = {0, 1} if entry.msgid_plural is not None else {0}
        assert set(entry.msgstrs) == expected, f"line {entry.line}: {entry.msgid}"


def test_translations_are_english(messages):
    chinese = [f"line {e.line}: {s}" for e in messages for s in e.msgstrs.values() if HAN.search(s)]
    assert chinese == []


def test_placeholders_match_between_source_and_translation(messages):
    mismatched = []
    for entry in messages:
        for source in entry.sources:
            for text in entry.msgstrs.values():
                if printf_placeholders(text) != printf_placeholders(source):
                    mismatched.append(f"line {entry.line}: {source!r} -> {text!r}")
                if brace_placeholders(text) != brace_placeholders(source):
                    mismatched.append(f"line {entry.line}: {source!r} -> {text!r}")
                if source.endswith("\n") != text.endswith("\n"):
                    mismatched.append(f"line {entry.line}: trailing newline differs in {text!r}")
    assert mismatched == []


def test_the_placeholder_check_notices_a_dropped_or_renamed_placeholder():
    assert printf_placeholders("办件 %(no)s 已存在") == printf_placeholders("Case %(no)s already exists")
    assert printf_placeholders("办件 %(no)s 已存在") != printf_placeholders("Case %(n)s already exists")
    assert printf_placeholders("用时 %(s).1f 秒") != printf_placeholders("Took %(s)d s")
    assert printf_placeholders("%s 与 %d") != printf_placeholders("%d and %s")
    assert printf_placeholders("100%% 按时") == printf_placeholders("100%% on time")
    assert brace_placeholders("{name} 不存在") != brace_placeholders("{nam} does not exist")


def test_msgfmt_accepts_the_catalog():
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext (msgfmt) is needed to compile the catalogs"
    result = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(PO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_django_serves_every_translation_in_english(compiled_catalog, messages):
    wrong = []
    with translation.override("en"):
        for e in messages:
            if e.msgid_plural is not None:
                got = [translation.ngettext(e.msgid, e.msgid_plural, n) for n in (1, 2)]
                want = [e.msgstrs[0], e.msgstrs[1]]
            elif e.msgctxt is not None:
                got, want = translation.pgettext(e.msgctxt, e.msgid), e.msgstrs[0]
            else:
                got, want = translation.gettext(e.msgid), e.msgstrs[0]
            if got != want:
                wrong.append(f"line {e.line}: {e.msgid!r} -> {got!r}, catalog says {want!r}")
    assert wrong == []


def test_formatted_messages_read_in_english_and_chinese(compiled_catalog):
    from yizhan.hall.models import Case

    with translation.override("en"):
        assert str(Case._meta.verbose_name) == "Case"
        assert translation.gettext("办件编号 %(no)s 已存在") % {"no": "KP2010-0001"} == (
            "Case number KP2010-0001 already exists")
        assert translation.ngettext("已吊销 %(n)d 个令牌", "已吊销 %(n)d 个令牌", 3) % {"n": 3} == "Revoked 3 tokens"
        assert translation.ngettext("已吊销 %(n)d 个令牌", "已吊销 %(n)d 个令牌", 1) % {"n": 1} == "Revoked 1 token"
    with translation.override("zh-hans"):
        assert str(Case._meta.verbose_name) == "办件"


@pytest.mark.django_db
def test_the_landing_page_speaks_english_to_an_english_browser(compiled_catalog):
    page = Client().get("/", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="en">' in html
    for text in ("Admin", "API documentation", "API description (OpenAPI JSON)", "Language", "Switch",
                 "Service hall figures (", "whole center", "On-the-spot rate"):
        assert text in html
    assert "管理后台" not in html and "接口文档" not in html
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.strip() == "Yizhan · Administrative Service Center"
    labels = [str(f["label"]) for f in page.context["figures"]]
    assert labels and not [label for label in labels if HAN.search(label)]


@pytest.mark.django_db
def test_the_period_form_explains_a_reversed_period_in_the_readers_language(compiled_catalog):
    query = {"first": "2010-03-05", "last": "2010-03-01"}
    english = Client().get("/", query, headers={"Accept-Language": "en"}).content.decode()
    assert "The start date cannot be after the end date" in english
    assert ">From<" in english.replace(":", "") and ">To<" in english.replace(":", "")
    chinese = Client().get("/", query, headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "起始日期不能晚于结束日期" in chinese and "The start date" not in chinese


@pytest.mark.django_db
def test_the_landing_page_speaks_chinese_by_default_and_to_a_chinese_browser(compiled_catalog):
    for headers in ({"Accept-Language": "zh-hans"}, {"Accept-Language": "zh-CN,zh;q=0.9"}, {}):
        page = Client().get("/", headers=headers)
        assert page.status_code == 200
        html = page.content.decode()
        assert '<html lang="zh-hans">' in html, headers
        assert "管理后台" in html and "接口文档" in html and "即办率" in html
        assert "API documentation" not in html and "On-the-spot rate" not in html


def test_every_message_of_the_source_is_in_the_catalog(tmp_path, messages):
    """makemessages, run on a copy of the code, finds no message the catalog lacks: a new string
    never reaches an English reader in Chinese because nobody translated it."""
    if shutil.which("xgettext") is None:
        pytest.fail("gettext's xgettext is needed (scripts/setup installs gettext)")
    copy = tmp_path / "yizhan"
    shutil.copytree(Path(settings.BASE_DIR), copy,
                    ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.po", "*.csv", "*.json"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run([sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-location", "-v", "0"],
                   cwd=copy, check=True, env=env)
    found = {e.msgid for e in parse_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")[1:]}
    missing = sorted(found - {e.msgid for e in messages})
    assert missing == [], f"{len(missing)} messages lack an English entry: {missing[:30]}"
