"""The write services on their own: drafts only, atomic, audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kotacerdas.audit.models import AuditEntry
from kotacerdas.frameworks import services
from kotacerdas.frameworks.models import Framework, FrameworkEntry

pytestmark = pytest.mark.django_db


def published(code):
    return Framework.objects.get(code=code, version=1)


def state():
    return (
        list(Framework.objects.values_list("code", "version", "title", "status").order_by("id")),
        list(FrameworkEntry.objects.values_list("framework_id", "code", "name", "weight").order_by("id")),
        AuditEntry.objects.count(),
    )


def test_no_service_changes_a_published_version(frameworks):
    framework = published("kominfo-6")
    entry = framework.entries.get(code="ECO")
    before = state()
    for change in (
        lambda: services.update_draft(actor=None, framework=framework, data={"title": "X"}),
        lambda: services.update_entry(actor=None, entry=entry, expected_version=entry.version, changes={"name": "X"}),
        lambda: services.add_entry(actor=None, framework=framework, data={"code": "X", "name": "X"}),
        lambda: services.remove_entry(actor=None, entry=entry, expected_version=1),
        lambda: services.publish(actor=None, framework=framework),
    ):
        with pytest.raises(ValidationError):
            change()
    assert state() == before


def test_a_draft_can_be_started_from_an_older_version_and_gets_the_next_number(frameworks):
    v1 = published("ukuran-rkci")
    v2 = services.start_draft(actor=None, source=v1)
    services.update_entry(
        actor=None,
        entry=v2.entries.get(code="SEDANG"),
        expected_version=v2.entries.get(code="SEDANG").version,
        changes={"lower_bound": Decimal(250_000)},
    )
    services.publish(actor=None, framework=v2)
    v3 = services.start_draft(actor=None, source=v1)
    assert v3.version == 3
    assert v3.entries.get(code="SEDANG").lower_bound == Decimal(200_000)


def test_update_entry_takes_only_the_editable_fields(frameworks):
    draft = services.start_draft(actor=None, source=published("evaluasi-tahunan"))
    entry = draft.entries.get(code="OUTPUT")
    other = services.start_draft(actor=None, source=published("ukuran-rkci"))
    services.update_entry(
        actor=None,
        entry=entry,
        expected_version=entry.version,
        changes={"code": "CHANGED", "framework": other, "order": 99, "weight": Decimal(25)},
    )
    entry.refresh_from_db()
    assert (entry.code, entry.framework_id, entry.order, entry.weight) == ("OUTPUT", draft.pk, 2, Decimal(25))


def test_add_entry_checks_the_code_and_the_parent(frameworks):
    taxonomy = services.start_draft(actor=None, source=published("kominfo-6"))
    levels = services.start_draft(actor=None, source=published("rkci-maturity"))
    element = taxonomy.entries.get(code="ECO-1")
    foreign = published("kominfo-6").entries.get(code="ECO")
    before = state()
    for framework, data, parent, field in [
        (taxonomy, {"code": "two words", "name": "x"}, None, "code"),
        (taxonomy, {"code": "eco", "name": "x"}, None, "code"),
        (taxonomy, {"code": "X", "name": "x"}, element, "parent"),  # elements have no elements
        (taxonomy, {"code": "X", "name": "x"}, foreign, "parent"),  # a dimension of another version
        (levels, {"code": "X", "name": "x", "level": 6}, levels.entries.get(code="L1"), "parent"),
        (taxonomy, {"code": "X", "name": ""}, None, "name"),
    ]:
        with pytest.raises(ValidationError) as error:
            services.add_entry(actor=None, framework=framework, data=data, parent=parent)
        assert field in error.value.message_dict, (data, field)
    assert state() == before


def test_publish_problems_come_in_the_active_language_with_local_numbers(frameworks):
    from django.utils import translation

    draft = services.start_draft(actor=None, source=published("evaluasi-tahunan"))
    services.update_entry(
        actor=None,
        entry=draft.entries.get(code="OUTPUT"),
        expected_version=draft.entries.get(code="OUTPUT").version,
        changes={"weight": Decimal("15.5")},
    )
    template = "Weights add up to %(total)s%%, not 100%%."
    for language, total in (("id", "95,50"), ("en", "95.50")):
        with translation.override(language):
            assert services.publish_problems(draft) == [translation.gettext(template) % {"total": total}]


def test_only_ministry_staff_change_a_framework(cast):
    from django.core.exceptions import PermissionDenied

    draft = services.start_draft(actor=None, source=published("kominfo-6"))
    entry = FrameworkEntry.objects.filter(framework=draft).first()
    before = state()
    for who in ("owner", "editor", "mentor"):
        actor = getattr(cast, who)
        with pytest.raises(PermissionDenied):
            services.start_draft(actor=actor, source=published("kominfo-6"))
        with pytest.raises(PermissionDenied):
            services.update_draft(actor=actor, framework=draft, data={"title": "Judul lain"})
        with pytest.raises(PermissionDenied):
            services.add_entry(actor=actor, framework=draft, data={"code": "X", "name": "X"})
        with pytest.raises(PermissionDenied):
            services.update_entry(
                actor=actor, entry=entry, expected_version=entry.version, changes={"name": "Nama lain"}
            )
        with pytest.raises(PermissionDenied):
            services.publish(actor=actor, framework=draft)
    assert state() == before
    services.update_draft(actor=cast.ministry, framework=draft, data={"title": "Judul lain"})
    assert Framework.objects.get(pk=draft.pk).title == "Judul lain"
