"""No screen answers a hostile value with a server error.

Each person of a few small worlds (the hall, the property company, the reporting network, the quality
system, the party committee) opens every screen their navigation offers and the pages those link to
one level down; every form found there is then sent once per field and hostile value, the other
fields as the page filled them. A refusal (a 4xx, or the form shown again naming the field) is what
a person should see; a 5xx is a failure, reported with the form, the field and the value."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from tests.anniversaries.conftest import Party
from tests.factories import Hall
from tests.quality.conftest import QualityWorld
from tests.surveillance.conftest import Network
from tests.tenants.conftest import Property
from yizhan.ui.nav import items_for

NUL, LONG, FAR, IMPOSSIBLE, HUGE, NEGATIVE, QUOTED = "\x00", "名" * 1000, "9999-12-31", "2026-02-30", "1e30", "-5", "x'--"
# The values each kind of field is sent: those a person (or a crafted request) could put there that
# reach a different parser. Free text also gets the number and the quote, as amounts and codes are
# often typed as text.
HOSTILE = {
    "text": (NUL, LONG, HUGE, QUOTED),
    "textarea": (NUL, LONG),
    "date": (FAR, IMPOSSIBLE, NUL),
    "datetime-local": (FAR, "2026-12-32T10:00", NUL),
    "number": (HUGE, NEGATIVE, QUOTED),
    "choice": (QUOTED, NEGATIVE, NUL),
}
# Forms that end the session or change the language would change what the next request sees.
SKIPPED_ACTIONS = ("/logout/", "/i18n/")


class Forms(HTMLParser):
    """Every form of a page: its action, method and the values a browser would submit unchanged; and
    the page's links within the site."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[dict] = []
        self.links: set[str] = set()
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href", "").startswith("/") and "export=" not in a["href"]:
            self.links.add(a["href"])
        if tag == "form":
            action = urljoin(self.page_url, a.get("action") or self.page_url)
            self._form = {"action": action, "method": (a.get("method") or "get").lower(), "fields": {}, "kinds": {}}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if not name:
            return
        fields = self._form["fields"]
        kind = {"input": a.get("type") or "text", "textarea": "textarea"}.get(tag, "choice")
        self._form["kinds"].setdefault(name, kind if kind in HOSTILE else (
            "text" if kind in ("search", "email", "tel", "url", "password") else "choice"))
        if tag == "input" and a.get("type") not in ("submit", "button", "file", "image", "reset"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                fields.setdefault(name, "")
                return
            fields[name] = a.get("value") or ("on" if a.get("type") == "checkbox" else "")
        elif tag == "select":
            self._select = name
            fields.setdefault(name, "")
        elif tag == "option" and self._select and (a.get("selected") is not None or not fields[self._select]):
            fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def read(client: Client, url: str) -> Forms | None:
    page = client.get(url)
    assert page.status_code < 500, (url, page.status_code)
    if page.status_code != 200 or not page["Content-Type"].startswith("text/html"):
        return None
    reader = Forms(url)
    reader.feed(page.content.decode())
    return reader


def server_errors(client: Client, user) -> tuple[int, list[tuple]]:
    """Send every form of `user`'s screens with each hostile value of its kind in each field; the
    requests sent and those answered with a 5xx."""
    client.force_login(user)
    screens = [item["url"] for item in items_for(user) if not item["public"]]
    pages = {url: read(client, url) for url in screens}
    for url in screens:
        page = pages[url]
        for link in sorted(page.links if page else ()):
            path = urlsplit(link).path
            if path not in pages and not any(s in path for s in SKIPPED_ACTIONS) and len(pages) < 25:
                pages[link] = read(client, link)
    sent, failed, seen = 0, [], set()
    for page in filter(None, pages.values()):
        for form in page.forms:
            # A form on several pages (a filter, the language switch) is sent once.
            key = (urlsplit(form["action"]).path, form["method"], frozenset(form["fields"]))
            if any(s in form["action"] for s in SKIPPED_ACTIONS) or key in seen:
                continue
            seen.add(key)
            for field in form["fields"]:
                if field == "csrfmiddlewaretoken":
                    continue
                for value in HOSTILE[form["kinds"].get(field, "choice")]:
                    data = {**form["fields"], field: value}
                    send = client.post if form["method"] == "post" else client.get
                    response = send(form["action"], data)
                    sent += 1
                    if response.status_code >= 500:
                        failed.append((form["action"], field, value[:20], response.status_code))
                    client.force_login(user)  # a form may have signed the person out
    return sent, failed


WORLDS = {
    "hall": (Hall, ("clerk", "supervisor", "head")),
    "tenants": (Property, ("manager", "patroller")),
    "surveillance": (Network, ("clinic", "township", "epi")),
    "quality": (QualityWorld, ("manager",)),
    "anniversaries": (Party, ("officer",)),
}


@pytest.mark.slow
@pytest.mark.once_on_postgresql  # PostgreSQL refuses more (a NUL in text, lengths): the stricter test
@pytest.mark.parametrize("world", WORLDS)
def test_no_form_of_the_main_screens_answers_a_hostile_value_with_a_server_error(world, db, django_user_model):
    build, people = WORLDS[world]
    made = build(django_user_model)
    if isinstance(made, Network):
        made.people()
    client = Client(raise_request_exception=False)
    total, failures = 0, []
    for username in people:
        user = getattr(made, username, None) or django_user_model.objects.get(username=username)
        sent, failed = server_errors(client, user)
        total += sent
        failures += failed
    assert total >= 10, total  # the sweep reached the forms of the screens
    assert failures == [], failures


def test_a_nul_in_a_screens_query_string_is_a_bad_request_not_a_server_error(client, db, django_user_model):
    hall = Hall(django_user_model)
    client.force_login(hall.clerk)
    for path in ("/appointments/?window=%00", "/workbench/?limit=1%00", "/followups/?kind=%00"):
        page = client.get(path)
        assert page.status_code == 400, path
        assert "请求的内容无法处理" in page.content.decode(), path
