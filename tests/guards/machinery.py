"""The machinery of the guards: the demo site walked as each demo role, and an HTML reader.

The guards look at the whole product rather than one view: they load the Kota Solok demo once per
test, walk the pages every demo role can reach (starting from the URL conf and following the links
the pages themselves offer, which is how the URL keyword arguments get real values) and hand the
rendered pages to the checks. Only the standard library parses HTML: no new dependency.
"""

from __future__ import annotations

import functools
import logging
import re
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.core.signals import got_request_exception
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, get_urlconf, resolve

from tests.support.browser import browser_page as shared_browser_page

REGION = "13.72"
# The demo roles, the ones who can do the most first: a form is exercised by the first role that sees it.
ROLES = ("solok.editor", "solok.admin", "kementerian", "mentor.ugm", "solok.dewan")
SEEDS = ("/", f"/wilayah/{REGION}/", "/kerangka/", "/asesmen/templat/", "/audit/", "/pendampingan/kendala-eskalasi/")
# Never followed: leaving the session, switching the language, downloads (files, not pages).
SKIPPED_NAMES = {"logout", "set_language", "reports:download"}
PER_NAME = 2  # pages kept per URL name and role: two objects can show two states (a planned and a held session)


# ---------------------------------------------------------------- HTML reading


@dataclass
class Control:
    """One named control of a form, as the browser would submit it."""

    tag: str  # input, textarea, select, button
    kind: str  # the input type ("text", "date", "hidden", "file", ...), "textarea", "select", "submit"
    name: str
    value: str = ""
    checked: bool = False
    disabled: bool = False
    options: list[str] = field(default_factory=list)  # select: option values
    selected: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    method: str
    action: str | None
    enctype: str
    controls: list[Control] = field(default_factory=list)


TEXT_KINDS = {"text", "search", "email", "url", "tel", "number", "date", "datetime-local", "time", "month", "week"}
TEXT_KINDS |= {"textarea", "password", "range", "color"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
INVISIBLE = {"script", "style", "template", "head", "noscript"}
LITERAL = {"code", "kbd", "samp", "pre"}  # shown on purpose as typed: column names, file formats


class PageReader(HTMLParser):
    """Reads links, forms, element ids and the text a person sees from one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.text: list[str] = []  # visible text nodes, in order
        self.literal_text: list[str] = []  # visible text inside <code>, <kbd>, <samp>, <pre>
        self.foreign_text: list[str] = []  # visible text of elements marked with another lang
        self.attribute_text: list[str] = []  # visible/audible attribute texts: placeholder, title, aria-label, alt
        self.title = ""
        self._form: Form | None = None
        self._select: Control | None = None
        self._option: str | None = None
        self._option_selected = False
        self._textarea: Control | None = None
        self._invisible = 0
        self._hidden_stack: list[str] = []  # open elements carrying the `hidden` attribute
        self._lang_stack: list[tuple[str, str]] = []  # open elements carrying a `lang` attribute
        self._in_title = False
        self._literal = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag in INVISIBLE:
            self._invisible += 1
            return
        if tag == "title":
            self._in_title = True
        if tag in LITERAL:
            self._literal += 1
        if "hidden" in a and tag not in VOID:
            self._hidden_stack.append(tag)
        if "lang" in a and tag not in VOID:
            self._lang_stack.append((tag, a["lang"]))
        if not self._hidden() and not (tag == "input" and a.get("type") == "hidden"):
            # Inside an element marked as another language (a whole page in English, ?lang=en on
            # the portal), its attribute texts are that language on purpose too.
            foreign = bool(self._lang_stack) and not self._lang_stack[-1][1].startswith("id")
            for name in ("placeholder", "title", "aria-label", "alt"):
                if a.get(name):
                    (self.foreign_text if foreign else self.attribute_text).append(a[name])
            if tag == "input" and a.get("type") in {"submit", "button", "reset"} and a.get("value"):
                self.attribute_text.append(a["value"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(
                method=a.get("method", "get").lower(),
                action=a.get("action") if "action" in a else None,
                enctype=a.get("enctype", ""),
            )
            self.forms.append(self._form)
        elif tag in {"input", "button", "select", "textarea"}:
            kind = {"textarea": "textarea", "select": "select"}.get(
                tag, a.get("type", "submit" if tag == "button" else "text")
            )
            control = Control(
                tag=tag,
                kind=kind.lower(),
                name=a.get("name", ""),
                value=a.get("value", "" if tag != "input" or kind not in {"checkbox", "radio"} else "on"),
                checked="checked" in a,
                disabled="disabled" in a,
                multiple="multiple" in a,
            )
            if self._form is not None:
                self._form.controls.append(control)
            if tag == "select":
                self._select = control
            elif tag == "textarea":
                self._textarea = control
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            self._option_selected = "selected" in a
            if self._option is not None:
                self._add_option(self._option)

    def _add_option(self, value: str) -> None:
        assert self._select is not None
        self._select.options.append(value)
        if self._option_selected:
            self._select.selected.append(value)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in INVISIBLE:
            self._invisible = max(0, self._invisible - 1)
            return
        if tag in LITERAL:
            self._literal = max(0, self._literal - 1)
        if self._hidden_stack and self._hidden_stack[-1] == tag:
            self._hidden_stack.pop()
        if self._lang_stack and self._lang_stack[-1][0] == tag:
            self._lang_stack.pop()
        if tag == "title":
            self._in_title = False
        elif tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "option":
            self._option = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data
            return  # what a field holds is data, not the page's own text
        if self._in_title:
            self.title += data
        if self._invisible or self._hidden() or not data.strip():
            return
        if self._lang_stack and not self._lang_stack[-1][1].startswith("id"):
            self.foreign_text.append(data)  # marked as another language on purpose: "(Nature)", "English"
            return
        (self.literal_text if self._literal else self.text).append(data)

    def _hidden(self) -> bool:
        return bool(self._hidden_stack)


def read_page(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    reader.close()
    return reader


# ---------------------------------------------------------------- the URL conf


@dataclass
class Pattern:
    name: str  # namespaced: "plans:programme"
    route: str
    keywords: tuple[str, ...]


def url_patterns() -> list[Pattern]:
    """Every named pattern of the URL conf, walked from the root resolver."""
    found: list[Pattern] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or ""
                walk(entry.url_patterns, prefix + str(entry.pattern), f"{namespace}{ns}:" if ns else namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                route = prefix + str(entry.pattern)
                found.append(Pattern(namespace + entry.name, route, tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))))

    walk(get_resolver().url_patterns, "", "")
    return found


def resolve_path(path: str) -> tuple[str, dict[str, Any], str] | None:
    """(namespaced name, kwargs, route) of a local path, or None."""
    resolved = _resolved(path, get_urlconf())
    return None if resolved is None else (resolved[0], dict(resolved[1]), resolved[2])


@functools.lru_cache(maxsize=8192)
def _resolved(path: str, urlconf: Any) -> tuple[str, dict[str, Any], str] | None:
    """Each path once: the walk meets the same links (the menu, the breadcrumbs) on every page,
    some 22,500 resolves for the 846 pages of five roles."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    return match.view_name, match.kwargs, match.route


# ---------------------------------------------------------------- the demo site


@dataclass
class Page:
    role: str
    url: str
    name: str  # namespaced URL name
    route: str
    html: str
    reader: PageReader
    status: int = 200  # the walk keeps one 403 and one 404 page per role, for the text checks


@dataclass
class Site:
    pages: list[Page]
    clients: dict[str, Client]
    unrendered: list[str]  # URL names no role could GET as a page (POST-only actions, downloads...)
    errors: list[str]  # GETs that answered 500


def _local(href: str, base: str) -> str | None:
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.netloc != "testserver" or parts.path.startswith("/static/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _in_scope(name: str, kwargs: dict[str, Any], path: str) -> bool:
    if name in SKIPPED_NAMES:
        return False
    if kwargs.get("code", REGION) != REGION:  # the demo's region only (the sample region is a copy of the shape)
        return False
    last = path.split("?")[0].rsplit("/", 1)[-1]
    return "." not in last  # ekspor.xlsx, notulen.pdf, kalender.ics: files, not pages


def crawl_as(client: Client, role: str, patterns: list[Pattern], errors: list[str]) -> list[Page]:
    """Every page ``role`` reaches by links from the seeds, up to PER_NAME per URL name."""
    pages: list[Page] = []
    per_name: dict[str, int] = {}
    seen: set[str] = set()
    queue: deque[str] = deque(SEEDS)
    harvested: dict[str, dict[str, Any]] = {}
    refusals: set[int] = set()
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        resolved = resolve_path(path.split("?")[0])
        if resolved is None:
            continue
        name, kwargs, route = resolved
        if not _in_scope(name, kwargs, path) or per_name.get(name, 0) >= PER_NAME:
            continue
        response = client.get(path)
        if response.status_code >= 500:
            errors.append(f"GET {path} as {role}: {response.status_code}")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        if response.status_code in {403, 404} and response.status_code not in refusals:
            refusals.add(response.status_code)  # one of each error page per role: they share a template
            html = response.content.decode()
            pages.append(Page(role, path, name, route, html, read_page(html), response.status_code))
        if response.status_code != 200:
            continue
        per_name[name] = per_name.get(name, 0) + 1
        html = response.content.decode()
        reader = read_page(html)
        pages.append(Page(role, path, name, route, html, reader))
        targets = list(reader.links) + [f.action for f in reader.forms if f.action]
        for href in targets:
            local = _local(href, path)
            if local is None:
                continue
            target = resolve_path(local.split("?")[0])
            if target is not None:
                harvested.setdefault(target[0], target[1])
            if local not in seen:
                queue.append(local)
    # Patterns the links never led to: fill their keywords from what the links did show.
    reached = {p.name for p in pages if p.status == 200}
    for pattern in patterns:
        if pattern.name in reached or pattern.name in SKIPPED_NAMES:
            continue
        filled = _fill(pattern, harvested)
        if filled is None:
            continue
        filled_path = _reverse(pattern, filled)
        if filled_path is None or not _in_scope(pattern.name, filled, filled_path):
            continue
        response = client.get(filled_path)
        if response.status_code >= 500:
            errors.append(f"GET {filled_path} as {role}: {response.status_code}")
        elif response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            html = response.content.decode()
            pages.append(Page(role, filled_path, pattern.name, pattern.route, html, read_page(html)))
    return pages


def _fill(pattern: Pattern, harvested: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    if not pattern.keywords:
        return {}
    namespace = pattern.name.split(":")[0]
    # A sibling in the same app whose keywords cover this pattern's (same meaning for the same name).
    for name, kwargs in sorted(harvested.items(), key=lambda item: item[0].split(":")[0] != namespace):
        if set(pattern.keywords) <= set(kwargs) and (name.split(":")[0] == namespace or pattern.keywords == ("code",)):
            return {k: kwargs[k] for k in pattern.keywords}
    return None


def _reverse(pattern: Pattern, kwargs: dict[str, Any]) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(pattern.name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def client_for(username: str) -> Client:
    from kotacerdas.accounts.models import User

    client = Client(raise_request_exception=False, headers={"accept-language": "id"})
    client.force_login(User.objects.get(username=username))
    return client


def walk_site(roles: tuple[str, ...] = ROLES) -> Site:
    patterns = url_patterns()
    clients = {role: client_for(role) for role in roles}
    errors: list[str] = []
    pages: list[Page] = []
    for role in roles:
        pages += crawl_as(clients[role], role, patterns, errors)
    rendered = {p.name for p in pages if p.status == 200}
    unrendered = sorted(p.name for p in patterns if p.name not in rendered)
    return Site(pages, clients, unrendered, errors)


@contextmanager
def quiet_requests() -> Iterator[None]:
    """No log lines for the 403/404/405 the walk provokes on purpose; the guards report what matters."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


@contextmanager
def exceptions_caught() -> Iterator[list[str]]:
    """The exceptions views raise while this block runs, as 'Type: message' lines."""
    caught: list[str] = []

    def record(sender: Any, request: Any = None, **kwargs: Any) -> None:
        import sys

        error = sys.exc_info()[1]
        if error is not None:
            caught.append(f"{type(error).__name__}: {str(error)[:300]}")

    got_request_exception.connect(record)
    try:
        yield caught
    finally:
        got_request_exception.disconnect(record)


# ---------------------------------------------------------------- the browser

# How chromium is found and launched, and when a browser test skips, is in tests/support/browser.py.

BROWSER_ROLES = ("solok.editor", "kementerian")


def main_pages() -> list[tuple[str, str]]:
    """(what, path) of the demo's main pages: the ones every role opens most. Reads the database,
    so call it before any Playwright block (the sync API runs an event loop; Django then refuses
    ORM calls)."""
    from django.urls import reverse

    from kotacerdas.assessments.models import Run
    from kotacerdas.engagements.models import Engagement
    from kotacerdas.plans.models import Edition, Programme
    from kotacerdas.quickwins.models import SelectionRound

    code = REGION
    edition = Edition.objects.filter(region__code=code).order_by("-year").first()
    assert edition is not None, "the demo has no master plan edition"
    programme = Programme.objects.filter(edition=edition).order_by("code").first()
    assert programme is not None
    selection = SelectionRound.objects.filter(region__code=code).order_by("-year").first()
    assert selection is not None
    solve = selection.solves.order_by("-number").first()
    engagement = Engagement.objects.filter(region__code=code).order_by("-pk").first()
    assert engagement is not None
    session = engagement.sessions.order_by("starts_on").first()
    assert session is not None
    run = Run.objects.filter(region__code=code).order_by("-year", "-pk").first()
    assert run is not None
    e = {"code": code, "year": edition.year}
    p = e | {"pcode": programme.code}
    pages = [
        ("region home", reverse("regions:home", kwargs={"code": code})),
        ("plan outline", reverse("plans:edition", kwargs=e)),
        ("programme list", reverse("plans:programmes", kwargs=e)),
        ("programme detail", reverse("plans:programme", kwargs=p)),
        ("plan budgets", reverse("plans:budgets", kwargs=e)),
        ("programme budgets", reverse("plans:programme_budgets", kwargs=p)),
        ("programme indicators", reverse("plans:programme_indicators", kwargs=p)),
        ("programme edit", reverse("plans:programme_edit", kwargs=p)),
        ("action plan", reverse("plans:programme_actions", kwargs=p)),
        ("quick-win round", reverse("quickwins:round", kwargs={"code": code, "year": selection.year})),
        ("engagement", reverse("engagements:detail", kwargs={"code": code, "pk": engagement.pk})),
        ("session", reverse("engagements:session", kwargs={"code": code, "pk": session.pk})),
        ("attendance", reverse("engagements:attendance", kwargs={"code": code, "pk": session.pk})),
        ("assessments", reverse("assessments:runs", kwargs={"code": code})),
        ("assessment", reverse("assessments:run", kwargs={"code": code, "pk": run.pk})),
        ("documents", reverse("reports:documents", kwargs={"code": code})),
        ("audit trail", reverse("regions:audit", kwargs={"code": code})),
    ]
    if solve is not None:
        kwargs = {"code": code, "year": selection.year, "number": solve.number}
        pages.insert(8, ("quick-win result", reverse("quickwins:result", kwargs=kwargs)))
    return pages


def session_cookies(roles: tuple[str, ...] = BROWSER_ROLES) -> dict[str, tuple[str, str]]:
    """role → (cookie name, value) of a signed-in session, made through the ORM before the browser."""
    cookies = {}
    for role in roles:
        client = client_for(role)
        morsel = next(iter(client.cookies.values()))
        cookies[role] = (morsel.key, morsel.value)
    return cookies


@contextmanager
def browser_page(
    base_url: str, cookie: tuple[str, str], width: int = 390, *, bypass_csp: bool = False
) -> Iterator[Any]:
    """A page of the system chromium, signed in with ``cookie``, asking for Bahasa Indonesia."""
    with shared_browser_page(viewport={"width": width, "height": 844}, bypass_csp=bypass_csp) as page:
        page.context.add_cookies([{"name": cookie[0], "value": cookie[1], "url": base_url}])
        page.set_default_timeout(15_000)
        yield page
