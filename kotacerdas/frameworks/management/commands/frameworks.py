"""``kotacerdas frameworks``: list, show and load framework versions; start and publish drafts.

``draft`` and ``publish`` act as the system (audited with no user), for the ministry's scripted
updates; the web pages do the same for a signed-in ministry admin.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from kotacerdas.frameworks import services
from kotacerdas.frameworks.loader import FrameworkFileError, load_all
from kotacerdas.frameworks.models import Framework, Status
from kotacerdas.lib.commands import JsonCommand, validation_message

NEEDS_CODE = {"show", "draft", "publish"}


class Command(JsonCommand):
    help = (
        "Reference frameworks: list versions, show one, load the data files (idempotent), "
        "start a draft of a framework, or publish its draft."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("action", choices=["list", "show", "load", "draft", "publish"])
        parser.add_argument("code", nargs="?", help="Framework code, e.g. kominfo-6 (for show, draft, publish).")
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
