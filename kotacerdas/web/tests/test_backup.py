"""`kotacerdas backup` and `kotacerdas restore`: every row and every file comes back, bad archives change nothing.

These run on the test database of the run: SQLite always, PostgreSQL when KOTACERDAS_DATABASE_URL
names one (the PostgreSQL step of CI), so both the online SQLite backup and pg_dump/pg_restore are
proved. The demo is loaded committed (a restore replaces the whole database).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from kotacerdas.audit.models import AuditEntry, Revision
from kotacerdas.lib import backup, tables
from kotacerdas.regions.models import OPD, Region
from tests.support.demo import load_committed_demo

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\xff" * 3000


@pytest.fixture
def install(settings: Any, tmp_path: Path) -> Path:
    """The demo, committed, and three uploaded files in a storage of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    load_committed_demo()
    region = Region.objects.get(code="13.72")
    default_storage.save(f"decrees/{region.pk}/0f1e2d3c4b5a69788796a5b4c3d2e1f0.pdf", ContentFile(PDF))
    default_storage.save(f"assessments/{region.pk}/1f1e2d3c4b5a69788796a5b4c3d2e1f0.png", ContentFile(PNG))
    default_storage.save("documents/buku-2.pdf", ContentFile(PDF[::-1]))
    return tmp_path


def database_state() -> dict[str, list[str]]:
    """Every row of every model table, in canonical form, but the data revisions: a restore moves
    every one past its earlier values on purpose (audit/revisions.py), checked by its own test."""
    return {
        m._meta.db_table: list(tables.canonical_rows(m))
        for m in tables.copied_models()
        if m._meta.db_table != "audit_revision"
    }


def file_state() -> dict[str, str]:
    state = {}
    for name in backup.stored_files():
        with default_storage.open(name, "rb") as handle:
            state[name] = hashlib.sha256(handle.read()).hexdigest()
    return state


def run(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        call_command(*args, stdout=io.StringIO())
    assert caught.value.returncode == 2
    return str(caught.value)


def rewrite(source: Path, target: Path, *, replace: dict[str, bytes] | None = None, manifest: Any = None) -> Path:
    """A copy of the archive with members replaced (or added) and the manifest edited."""
    replace = replace or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        data = json.loads(old.read(backup.MANIFEST))
        if manifest is not None:
            manifest(data)
        for info in old.infolist():
            if info.filename != backup.MANIFEST and info.filename not in replace:
                new.writestr(info, old.read(info.filename))
        for name, content in replace.items():
            new.writestr(name, content)
        new.writestr(backup.MANIFEST, json.dumps(data))
    return target


def empty_the_install() -> None:
    call_command("flush", interactive=False, verbosity=0)
    for name in list(backup.stored_files()):
        default_storage.delete(name)


def test_a_backup_restored_into_an_empty_install_gives_back_every_row_and_every_file(install: Path) -> None:
    rows, files = database_state(), file_state()
    assert sum(map(len, rows.values())) > 1000 and len(files) == 3

    made = run("backup", str(install))
    assert Path(made["archive"]).parent == install and made["files"] == 3
    assert made["engine"] == connection.vendor
    empty_the_install()
    assert not Region.objects.exists() and not file_state()

    done = run("restore", made["archive"])

    assert done["replaced"] is False and done["files"] == 3 and done["migrations_applied"] == []
    after = database_state()
    restore_entry = after.pop(AuditEntry._meta.db_table)[-1]
    assert after == {t: r for t, r in rows.items() if t != AuditEntry._meta.db_table}
    assert database_state()[AuditEntry._meta.db_table][:-1] == rows[AuditEntry._meta.db_table]
    assert "restore" in restore_entry
    assert file_state() == files


def test_restore_with_force_replaces_changed_rows_and_files_and_is_in_the_audit_trail(install: Path) -> None:
    rows, files = database_state(), file_state()
    archive = install / "nightly.zip"
    run("backup", str(archive))
    before_restore = dict(Revision.objects.values_list("scope", "value"))
    # The install goes on after the backup: rows changed, added and removed, files replaced.
    OPD.objects.filter(pk=OPD.objects.order_by("pk").first().pk).update(name="Renamed after the backup")  # type: ignore[union-attr]
    AuditEntry.objects.filter(pk__in=AuditEntry.objects.order_by("pk").values("pk")[:5]).delete()
    Region.objects.create(code="99.01", name="Later", kind="kota", province="X", time_zone="WIB")
    first = next(iter(files))
    default_storage.delete(first)
    default_storage.save("decrees/9/later.pdf", ContentFile(PDF))

    done = run("restore", str(archive), "--force")

    assert done["replaced"] is True
    after = database_state()
    audit = AuditEntry._meta.db_table
    assert after.pop(audit)[:-1] == rows[audit]
    assert after == {t: r for t, r in rows.items() if t != audit}
    assert file_state() == files
    # Old counts came back with the data: every revision moved past anything it was, so no page
    # kept from before the restore (lib/pagecache.py) can be served for the restored data.
    restored = dict(Revision.objects.values_list("scope", "value"))
    assert before_restore and all(restored[scope] > value for scope, value in before_restore.items())
    entry = AuditEntry.objects.get(action=AuditEntry.Action.RESTORE)
    assert entry.actor is None and entry.actor_name == "system"
    assert entry.after["archive"] == str(archive) and entry.after["via"].startswith("kotacerdas restore")
    assert entry.after["archive_sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert entry.after["os_user"] and entry.after["replaced_data"] is True


def test_the_manifest_names_the_versions_migrations_counts_and_the_checksum_of_every_member(install: Path) -> None:
    archive = install / "b.zip"
    run("backup", str(archive))

    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
        for name, expected in manifest["members"].items():
            content = opened.read(name)
            assert hashlib.sha256(content).hexdigest() == expected["sha256"] and len(content) == expected["size"]
    assert manifest["format"] == "kotacerdas-backup" and manifest["format_version"] == 1
    assert manifest["kotacerdas_version"] and manifest["created_at"].endswith("+00:00")
    assert manifest["database"]["engine"] == connection.vendor
    assert manifest["tables"] == tables.row_counts()
    assert set(manifest["members"]) == {manifest["database"]["member"], *(f"media/{n}" for n in file_state())}
    assert isinstance(manifest["migrations"], dict)


def test_it_refuses_to_restore_over_an_install_that_holds_data_and_changes_nothing(install: Path) -> None:
    archive = install / "b.zip"
    run("backup", str(archive))
    Region.objects.create(code="99.01", name="Later", kind="kota", province="X", time_zone="WIB")
    rows, files = database_state(), file_state()

    message = refused("restore", str(archive))

    assert "not empty" in message and "accounts_user (6 rows)" in message and "--force" in message
    assert database_state() == rows and file_state() == files


def test_it_refuses_a_damaged_archive_and_changes_nothing(install: Path) -> None:
    archive = install / "b.zip"
    run("backup", str(archive))
    empty_the_install()
    rows = database_state()
    damaged = rewrite(archive, install / "damaged.zip", replace={"media/documents/buku-2.pdf": PDF})
    flipped = bytearray(archive.read_bytes())
    at = flipped.find(PNG[:200])
    flipped[at + 100] ^= 0xFF
    (install / "flipped.zip").write_bytes(bytes(flipped))
    (install / "cut.zip").write_bytes(archive.read_bytes()[:-3000])
    (install / "not.zip").write_bytes(b"hello")

    assert "does not match its checksum" in refused("restore", str(damaged))
    assert "damaged" in refused("restore", str(install / "flipped.zip"))
    assert "not a KotaCerdas backup" in refused("restore", str(install / "cut.zip"))
    assert "not a KotaCerdas backup" in refused("restore", str(install / "not.zip"))
    assert "no file" in refused("restore", str(install / "missing.zip"))
    assert database_state() == rows and file_state() == {}


def test_it_refuses_an_archive_of_a_newer_schema(install: Path) -> None:
    archive = install / "b.zip"
    run("backup", str(archive))
    newer = rewrite(
        archive,
        install / "newer.zip",
        manifest=lambda m: m["migrations"].setdefault("audit", []).append("9999_from_the_future"),
    )
    empty_the_install()

    message = refused("restore", str(newer))

    assert "newer KotaCerdas" in message and "audit.9999_from_the_future" in message
    assert not Region.objects.exists()


def test_it_refuses_an_archive_with_a_file_outside_the_storage_or_an_unknown_member(install: Path) -> None:
    archive = install / "b.zip"
    run("backup", str(archive))

    def add_escape(manifest: dict[str, Any]) -> None:
        manifest["members"]["media/../../escape.pdf"] = {"sha256": hashlib.sha256(PDF).hexdigest(), "size": len(PDF)}

    escaping = rewrite(archive, install / "escape.zip", replace={"media/../../escape.pdf": PDF}, manifest=add_escape)
    unlisted = rewrite(archive, install / "unlisted.zip", replace={"media/extra.pdf": PDF})
    empty_the_install()

    assert "outside the upload storage" in refused("restore", str(escaping))
    assert "do not agree with the manifest" in refused("restore", str(unlisted))
    assert not (install / "escape.pdf").exists() and not (install.parent / "escape.pdf").exists()


def test_restore_check_says_an_archive_is_sound_and_changes_nothing(install: Path) -> None:
    archive = install / "b.zip"
    run("backup", str(archive))
    empty_the_install()

    checked = run("restore", str(archive), "--check")

    assert checked["sound"] is True and checked["newer_schema"] == [] and checked["members"] == 4
    assert checked["database"]["engine"] == connection.vendor
    assert not Region.objects.exists()


def test_backup_refuses_an_existing_archive_and_a_missing_folder(install: Path) -> None:
    (install / "taken.zip").write_bytes(b"keep me")

    assert "exists already" in refused("backup", str(install / "taken.zip"))
    assert "does not exist" in refused("backup", str(install / "nowhere" / "b.zip"))
    assert "does not exist" in refused("backup", f"{install / 'nowhere'}/")
    assert not (install / "nowhere").exists()
    assert (install / "taken.zip").read_bytes() == b"keep me"


def test_an_archive_of_an_older_schema_is_restored_and_then_migrated(install: Path, settings: Any) -> None:
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    made_from_models = not recorder.has_table() or not recorder.migration_qs.exists()
    if made_from_models:
        # The test database was made from the models (`--no-migrations`, decision 0016), which
        # `makemigrations --check` proves equal to the migrations: record every migration as
        # applied, as `migrate --fake` would, and take the records out again at the end.
        # `migrate` records a squashed migration and every migration it replaces: so does this.
        settings.MIGRATION_MODULES = {}
        recorder.ensure_schema()
        for app_label, migration_name in MigrationLoader(connection).disk_migrations:
            recorder.record_applied(app_label, migration_name)
    try:
        _restore_an_archive_one_migration_behind(install)
    finally:
        if made_from_models:
            recorder.migration_qs.all().delete()


def _restore_an_archive_one_migration_behind(install: Path) -> None:
    from django.db import migrations
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    loader = MigrationLoader(None, ignore_no_migrations=True)
    assert loader.disk_migrations
    # The backup of an install one migration behind this code: the latest migration of one of
    # our apps that only changes field options (choices), so applying it again changes no table.
    # Where an app's migrations are squashed, its latest is the last one the squash replaces: an
    # install made before the squash goes on with the migrations it replaces.
    options_only = (migrations.AlterField, migrations.AlterModelOptions)
    latest = sorted(
        loader.disk_migrations[leaf].replaces[-1] if loader.disk_migrations[leaf].replaces else leaf
        for leaf in loader.graph.leaf_nodes()
        if loader.disk_migrations[leaf].__module__.startswith("kotacerdas.")
    )
    app, name = next(
        (app, name)
        for app, name in latest
        if all(isinstance(op, options_only) for op in loader.disk_migrations[app, name].operations)
    )
    MigrationRecorder.Migration.objects.filter(app=app, name=name).delete()
    archive = install / "older.zip"
    run("backup", str(archive))
    empty_the_install()

    done = run("restore", str(archive))

    assert done["migrations_applied"] == [f"{app}.{name}"]
    assert MigrationRecorder.Migration.objects.filter(app=app, name=name).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.RESTORE)
    assert entry.after["migrations_applied"] == done["migrations_applied"]


def test_a_database_member_that_is_no_database_is_refused_and_the_install_is_left_as_it_was(install: Path) -> None:
    archive = install / "b.zip"
    run("backup", str(archive))
    junk = b"not a database at all " * 500

    def matching(manifest: dict[str, Any]) -> None:
        member = manifest["database"]["member"]
        manifest["members"][member] = {"sha256": hashlib.sha256(junk).hexdigest(), "size": len(junk)}

    with zipfile.ZipFile(archive) as opened:
        member = json.loads(opened.read(backup.MANIFEST))["database"]["member"]
    broken = rewrite(archive, install / "junk.zip", replace={member: junk}, manifest=matching)
    rows, files = database_state(), file_state()

    message = refused("restore", str(broken), "--force")

    assert "could not be restored" in message or "cannot read" in message
    assert database_state() == rows and file_state() == files


def test_backup_and_restore_say_what_they_did(install: Path) -> None:
    archive = install / "b.zip"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert f"Backup written to {archive}" in out.getvalue() and "3 uploaded files" in out.getvalue()
    assert hashlib.sha256(archive.read_bytes()).hexdigest() in out.getvalue()
    empty_the_install()

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    said = out.getvalue()
    assert "every member matched its SHA-256" in said and "3 uploaded files written" in said
    assert "recorded in the audit trail" in said and "Restart the app servers and the job workers" in said
