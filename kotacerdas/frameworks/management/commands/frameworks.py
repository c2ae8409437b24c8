"""``kotacerdas frameworks``: list, show and load framework versions; start and publish drafts.

``draft`` and ``publish`` act as the system (audited with no user), for the ministry's scripted
updates; the web pages do the same for a signed-in ministry admin.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db.models import Count

from kotacerdas.frameworks import services, sipd
from kotacerdas.frameworks.loader import FrameworkFileError, load_all
from kotacerdas.frameworks.models import Framework, Status
from kotacerdas.lib.commands import JsonCommand, validation_message
from kotacerdas.lib.uploads import UnreadableFile

NEEDS_CODE = {"show", "draft", "publish", "load-sipd", "sipd-search"}
ACTIONS = ["list", "show", "load", "draft", "publish", "load-sipd", "sipd", "sipd-search"]


class Command(JsonCommand):
    help = (
        "Reference frameworks: list versions, show one, load the data files (idempotent), "
        "start a draft of a framework, or publish its draft. SIPD code lists: load-sipd FILE --version 2024 "
        "(all or nothing), sipd (the loaded versions), sipd-search TEXT [--version 2024]."
    )

    def add_base_argument(self, parser: Any, *args: Any, **kwargs: Any) -> None:
        # load-sipd takes --version (the list's version, as the ministry names it); Django's own
        # --version (the program's version) is dropped from this command for it.
        if "--version" in args:
            return
        super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("action", choices=ACTIONS)
        parser.add_argument(
            "code",
            nargs="?",
            help="Framework code, e.g. kominfo-6 (for show, draft, publish); the file for load-sipd; "
            "the text to look for for sipd-search.",
        )
        parser.add_argument(
            "--version",
            dest="sipd_version",
            help="load-sipd: the version of the list (a year, or a year and a suffix: 2024, 2024-rev1); "
            "sipd-search: the version to search (default: the newest).",
        )
        # Not --version: Django's commands already use it for their own version.
        parser.add_argument(
            "--framework-version",
            dest="fw_version",
            type=int,
            help="For show: the version to show; for draft: the version to copy (default: the newest).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action in NEEDS_CODE and not options["code"]:
            raise CommandError(f"code: {action} needs a framework code, e.g. kotacerdas frameworks {action} kominfo-6")
        if action == "load":
            self._load(options)
        elif action == "load-sipd":
            self._load_sipd(options)
        elif action == "sipd":
            self._sipd_list(options)
        elif action == "sipd-search":
            self._sipd_search(options)
        elif action == "list":
            self._list(options)
        elif action == "show":
            self._show(options)
        elif action == "draft":
            self._draft(options)
        else:
            self._publish(options)

    def _version(self, options: dict[str, Any]) -> Framework:
        """The asked version of ``code``, or its newest; CommandError naming the argument otherwise."""
        code, number = options["code"], options["fw_version"]
        versions = Framework.objects.filter(code=code)
        if not versions.exists():
            raise CommandError(f"code: no framework {code!r}; see kotacerdas frameworks list.")
        if number is not None:
            versions = versions.filter(version=number)
        framework = versions.order_by("-version").prefetch_related("entries").first()
        if framework is None:
            raise CommandError(f"--framework-version: framework {code!r} has no version {number}.")
        return framework

    def _load(self, options: dict[str, Any]) -> None:
        try:
            result = load_all()
        except FrameworkFileError as error:
            raise CommandError(str(error)) from None
        payload: dict[str, Any] = {"created": result.created, "skipped": result.skipped}
        self.emit(options, payload, f"Loaded {len(result.created)} new; {len(result.skipped)} already present.")

    def _load_sipd(self, options: dict[str, Any]) -> None:
        label = options["sipd_version"]
        if not label:
            raise CommandError("--version: give the version of the list, e.g. --version 2024.")
        path = Path(options["code"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"FILE: cannot read {path}: {error.strerror or error}") from None
        try:
            result = sipd.load_sipd(actor=None, data=data, name=path.name, label=label)
        except UnreadableFile as error:
            raise CommandError(f"FILE: {error}") from None
        if not result.ok:
            if options.get("json"):
                self.emit(options, result.as_dict(), "")
            raise CommandError("Nothing was loaded:\n" + "\n".join(result.problem_lines()))
        counts = ", ".join(f"{n} {level}" for level, n in result.counts.items())
        self.emit(options, result.as_dict(), f"Loaded SIPD code list {label}: {counts}.")

    def _sipd_list(self, options: dict[str, Any]) -> None:
        rows = [
            {
                "version": t.label,
                "year": t.year,
                "sample": t.is_sample,
                "file": t.source_file,
                "loaded_at": t.loaded_at.isoformat(),
                "codes": t.code_count,
            }
            for t in sipd.tables().annotate(code_count=Count("codes"))
        ]
        text = "\n".join(
            f"{r['version']:<14} {r['year']} {r['codes']:>6} codes {'(sample) ' if r['sample'] else ''}{r['file']}"
            for r in rows
        )
        self.emit(options, rows, text or "No SIPD code list; run kotacerdas frameworks load-sipd FILE --version 2024.")

    def _sipd_search(self, options: dict[str, Any]) -> None:
        label = options["sipd_version"]
        table = sipd.tables().filter(label=label).first() if label else sipd.tables().first()
        if table is None:
            raise CommandError(
                f"--version: no SIPD code list {label!r}; see kotacerdas frameworks sipd."
                if label
                else "No SIPD code list; run kotacerdas frameworks load-sipd FILE --version 2024."
            )
        found = sipd.search(table, options["code"])
        rows = [{"code": c.code, "level": c.level, "name": c.name} for c in found]
        text = "\n".join(f"{r['code']:<20} {r['level']:<13} {r['name']}" for r in rows)
        self.emit(options, {"version": table.label, "codes": rows}, text or "No code found.")

    def _list(self, options: dict[str, Any]) -> None:
        rows = [
            {"kind": f.kind, "code": f.code, "version": f.version, "year": f.year, "status": f.status, "title": f.title}
            for f in Framework.objects.order_by("kind", "code", "version")
        ]
        text = "\n".join(f"{r['kind']:<13} {r['code']:<20} v{r['version']} {r['status']:<9} {r['title']}" for r in rows)
        self.emit(options, rows, text or "No frameworks; run kotacerdas frameworks load.")

    def _show(self, options: dict[str, Any]) -> None:
        framework = self._version(options)
        entries = list(framework.entries.all())
        codes = {e.pk: e.code for e in entries}
        rows = [
            {
                "code": e.code,
                "name": e.name,
                "name_en": e.name_en,
                "parent": codes.get(e.parent_id) if e.parent_id else None,
                "level": e.level,
                "weight": str(e.weight) if e.weight is not None else None,
                "lower_bound": str(e.lower_bound) if e.lower_bound is not None else None,
                "lower_inclusive": e.lower_inclusive,
            }
            for e in entries
        ]
        payload = {**_summary(framework), "entries": rows}
        text = "\n".join(
            [
                f"{framework.title} v{framework.version} ({framework.status})",
                *[f"  {'  ' if r['parent'] else ''}{r['code']}  {r['name']}" for r in rows],
            ]
        )
        self.emit(options, payload, text)

    def _draft(self, options: dict[str, Any]) -> None:
        source = self._version(options)
        try:
            draft = services.start_draft(actor=None, source=source)
        except ValidationError as error:
            raise CommandError(f"code: {validation_message(error)}") from None
        payload = {**_summary(draft), "source_version": source.version, "entries": draft.entries.count()}
        self.emit(
            options,
            payload,
            f"Started draft {draft.code} v{draft.version} from v{source.version} ({payload['entries']} entries). "
            f"Change it in the web app, then run: kotacerdas frameworks publish {draft.code}",
        )

    def _publish(self, options: dict[str, Any]) -> None:
        code = options["code"]
        if options["fw_version"] is not None:
            raise CommandError("--framework-version: publish takes no version; a framework has one draft at a time.")
        if not Framework.objects.filter(code=code).exists():
            raise CommandError(f"code: no framework {code!r}; see kotacerdas frameworks list.")
        draft = Framework.objects.filter(code=code, status=Status.DRAFT).first()
        if draft is None:
            raise CommandError(
                f"code: framework {code!r} has no draft to publish; start one with kotacerdas frameworks draft {code}"
            )
        try:
            published = services.publish(actor=None, framework=draft)
        except ValidationError as error:
            raise CommandError(
                f"code: {code} v{draft.version} cannot be published: {validation_message(error)}"
            ) from None
        self.emit(options, _summary(published), f"Published {published.code} v{published.version}.")


def _summary(framework: Framework) -> dict[str, Any]:
    return {
        "kind": framework.kind,
        "code": framework.code,
        "version": framework.version,
        "year": framework.year,
        "status": framework.status,
        "title": framework.title,
        "published_at": framework.published_at.isoformat() if framework.published_at else None,
    }
