"""Backups that restore: one dated archive of the database and the files, and its restore.

The archive, pimpasa-backup-YYYYMMDD-HHMMSS.tar.gz, written 0600:

    database.dump      PostgreSQL: pg_dump, custom format (pg_restore reads it)
    database.sqlite3   or SQLite: a copy made with SQLite's online backup (consistent while the site runs)
    private/...        PRIVATE_STORAGE_ROOT as it is stored (encrypted evidence stays encrypted), without
                       exports/ (workbooks expire within days and are asked for again)
    media/...          MEDIA_ROOT (the CMS's images and documents)
    manifest.json      what it is: format, versions, applied migrations, rows per table, SHA-256 of
                       every other member

Keys are never inside: SECRET_KEY, PIMPASA_FERNET_KEYS and any other key are environment only and are
backed up apart (docs/deployment.md, "Backups"). A restored database is readable only with the keys it
was written with. The cache tables' rows (page cache, limit counters) are left out: they rebuild.

`restore` reads and checks the whole archive before touching anything (a foreign, corrupt, truncated or
tampered archive, or a member escaping its folder, is refused with the reason), restores only into an
empty database and empty folders unless forced, loads the database in one transaction, and moves the
files into place only after the database has been restored.
"""

import datetime
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import django
import wagtail
from django.conf import settings
from django.db import connections, transaction
from django.db.backends.postgresql.client import DatabaseClient as PostgresClient
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "pimpasa-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
FOLDERS = {"private": "PRIVATE_STORAGE_ROOT", "media": "MEDIA_ROOT"}
# Under PRIVATE_STORAGE_ROOT: Excel workbooks, deleted after PIMPASA_EXPORT_RETENTION_DAYS anyway.
SKIPPED_PRIVATE = ("exports",)
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass
class Restored:
    manifest: dict
    counts: dict  # table -> rows after the restore


# --- what is where ------------------------------------------------------------------------------


def engine(alias="default"):
    vendor = connections[alias].vendor
    if vendor not in DUMPS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def cache_tables():
    """The database caches' tables: their rows are left out of a backup (they rebuild)."""
    return sorted(
        config["LOCATION"]
        for config in settings.CACHES.values()
        if config["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    )


def table_counts(connection):
    """Rows per table, every table of the database but the caches'."""
    skipped = set(cache_tables())
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in skipped or table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(connection):
    """The last applied migration of each app, as the backup's database has them."""
    latest = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        latest[app] = max(latest.get(app, name), name)
    return latest


def _versions(connection):
    versions = {
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            versions["postgresql"] = cursor.fetchone()[0]
        versions["pg_dump"] = _run(["pg_dump", "--version"], os.environ).strip()
    else:
        versions["sqlite"] = sqlite3.sqlite_version
    return versions


def _pg_env(settings_dict):
    """libpq's environment for the database in `settings_dict` (password, SSL options as Django passes them)."""
    _args, env = PostgresClient.settings_to_cmd_args_env(settings_dict, [])
    env = {**os.environ, **(env or {})}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("NAME", "PGDATABASE")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _run(command, env):
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed: install Debian's postgresql-client (apt-get install "
            "postgresql-client), of the server's major version or newer."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")
    return result.stdout


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- backing up ---------------------------------------------------------------------------------


def create_backup(folder, alias="default", now=None):
    """Write one archive into `folder` (made 0700 if new); return its path."""
    connection = connections[alias]
    vendor = engine(alias)
    folder = Path(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = timezone.localtime(now or timezone.now(), datetime.UTC).strftime("%Y%m%d-%H%M%S")
    target = folder / f"pimpasa-backup-{stamp}.tar.gz"
    if target.exists():
        raise BackupError(f"{target} exists already.")
    with tempfile.TemporaryDirectory(prefix=".pimpasa-backup-", dir=folder) as staging:
        dump = Path(staging) / DUMPS[vendor]
        if vendor == "postgresql":
            counts = _dump_postgresql(connection, dump)
        else:
            counts = _dump_sqlite(connection, dump)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "engine": vendor,
            "versions": _versions(connection),
            "migrations": applied_migrations(connection),
            "counts": counts,
            "keys_included": False,
            "files": {},
        }
        partial = target.with_name(target.name + ".part")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
                manifest["files"][dump.name] = _add(archive, dump, dump.name)
                for prefix, setting in FOLDERS.items():
                    for path, name in _files_under(Path(getattr(settings, setting)), prefix):
                        checksum = _add(archive, path, name)
                        if checksum:
                            manifest["files"][name] = checksum
                data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = len(data), 0o600, int(timezone.now().timestamp())
                archive.addfile(info, _BytesReader(data))
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return target


def _dump_postgresql(connection, dump):
    """pg_dump in the snapshot the rows are counted in, so the manifest's counts are the dump's."""
    env = _pg_env(connection.settings_dict)
    excluded = [f"--exclude-table-data={table}" for table in cache_tables()]
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        counts = table_counts(connection)
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
             *excluded, f"--file={dump}"],
            env,
        )  # fmt: skip
    os.chmod(dump, 0o600)
    return counts


def _dump_sqlite(connection, dump):
    """SQLite's online backup (a consistent copy while others write), then the cache rows dropped."""
    connection.ensure_connection()
    copy = sqlite3.connect(dump)
    try:
        connection.connection.backup(copy)
        for table in cache_tables():
            if _sqlite_has(copy, table):
                copy.execute(f'DELETE FROM "{table}"')  # noqa: S608 (a table name from settings)
        copy.commit()
        copy.execute("VACUUM")
    finally:
        copy.close()
    os.chmod(dump, 0o600)
    reader = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    try:
        names = [row[0] for row in reader.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        skipped = set(cache_tables())
        return {
            name: reader.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]  # noqa: S608
            for name in sorted(names)
            if name not in skipped and not name.startswith("sqlite_")
        }
    finally:
        reader.close()


def _sqlite_has(database, table):
    return database.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
    ).fetchone()


def _files_under(root, prefix):
    if not root.is_dir():
        return
    for folder, directories, files in os.walk(root):
        relative = Path(folder).relative_to(root)
        if relative == Path(".") and prefix == "private":
            directories[:] = [name for name in directories if name not in SKIPPED_PRIVATE]
        directories.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path, str(PurePosixPath(prefix, *relative.parts, name))


class _BytesReader:
    def __init__(self, data):
        self.data, self.position = data, 0

    def read(self, size=-1):
        end = len(self.data) if size < 0 else self.position + size
        chunk, self.position = self.data[self.position : end], min(end, len(self.data))
        return chunk


class _HashingReader:
    """Hands tarfile the file's bytes and hashes exactly what went into the archive."""

    def __init__(self, file):
        self.file, self.digest = file, hashlib.sha256()

    def read(self, size=-1):
        chunk = self.file.read(size)
        self.digest.update(chunk)
        return chunk


def _add(archive, path, name):
    """Add one file; its SHA-256, or None if it vanished meanwhile (a purged evidence file)."""
    try:
        file = open(path, "rb")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        return None
    with file:
        info = archive.gettarinfo(fileobj=file, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mode = 0o600
        reader = _HashingReader(file)
        archive.addfile(info, reader)
    return reader.digest.hexdigest()


# --- checking an archive ------------------------------------------------------------------------


def _safe_name(name):
    """The member's path if it stays inside the restore folder and is one we write; else None."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or not path.parts:
        return None
    if name == MANIFEST or name in DUMPS.values():
        return path
    if path.parts[0] in FOLDERS and len(path.parts) > 1:
        return path
    return None


def read_archive(archive_path, into):
    """Check the archive and extract it into `into`; return its manifest. Raise BackupError(reason).

    Everything is read and every checksum compared before the caller changes anything.
    """
    archive_path, into = Path(archive_path), Path(into)
    try:
        with tarfile.open(archive_path, mode="r:gz") as archive:
            members = archive.getmembers()  # reads to the end: a truncated archive fails here
            names = [member.name for member in members]
            if names.count(MANIFEST) != 1:
                raise BackupError("This is not a Pimpasa backup: it has no manifest.json.")
            manifest = _parse_manifest(archive.extractfile(archive.getmember(MANIFEST)).read())
            expected = manifest["files"]
            for member in members:
                if member.name == MANIFEST:
                    continue
                path = _safe_name(member.name)
                if path is None:
                    raise BackupError(
                        f"Refused: the member {member.name!r} would be written outside the backup's folders."
                    )
                if not member.isfile():
                    raise BackupError(
                        f"Refused: the member {member.name!r} is not a regular file (a link or a device)."
                    )
                if member.name not in expected:
                    raise BackupError(f"Refused: the member {member.name!r} is not listed in the manifest.")
                if names.count(member.name) != 1:
                    raise BackupError(f"Refused: the member {member.name!r} appears more than once.")
            missing = sorted(set(expected) - set(names))
            if missing:
                raise BackupError(
                    f"The archive is incomplete: {len(missing)} listed file(s) missing, e.g. {missing[0]}."
                )
            if DUMPS[manifest["engine"]] not in expected:
                raise BackupError("The archive holds no database dump.")
            for member in members:
                if member.name == MANIFEST:
                    continue
                target = into.joinpath(*PurePosixPath(member.name).parts)
                target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                digest = hashlib.sha256()
                source = archive.extractfile(member)
                descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                if digest.hexdigest() != expected[member.name]:
                    raise BackupError(
                        f"Checksum mismatch for {member.name}: the archive was altered or damaged."
                    )
    except (tarfile.TarError, EOFError, OSError, ValueError, zlib.error) as error:
        raise BackupError(f"The archive cannot be read (truncated or corrupt): {error}") from None
    return manifest


def _parse_manifest(data):
    try:
        manifest = json.loads(data)
    except ValueError:
        raise BackupError("This is not a Pimpasa backup: its manifest.json is not JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("This is not a Pimpasa backup: its manifest names another format.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"This backup's format version {manifest.get('format_version')!r} is not one this Pimpasa "
            f"reads ({FORMAT_VERSION})."
        )
    if manifest.get("engine") not in DUMPS or not isinstance(manifest.get("files"), dict):
        raise BackupError("The backup's manifest is incomplete (engine or files missing).")
    if not isinstance(manifest.get("counts"), dict) or not isinstance(manifest.get("migrations"), dict):
        raise BackupError("The backup's manifest is incomplete (counts or migrations missing).")
    return manifest


# --- restoring ----------------------------------------------------------------------------------


def restore_backup(archive_path, *, force=False, alias="default"):
    """Restore `archive_path` into this site's database and folders; return what was restored.

    Refuses a non-empty database or a non-empty private/media folder unless `force`: then the
    database's objects that the backup holds are replaced (PostgreSQL: pg_restore --clean; SQLite: the
    file is replaced) and the folders' current contents are moved aside to <folder>.before-restore-<stamp>.
    """
    connection = connections[alias]
    vendor = engine(alias)
    roots = {prefix: Path(getattr(settings, setting)) for prefix, setting in FOLDERS.items()}
    workspace_parent = roots["private"].parent
    workspace_parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".pimpasa-restore-", dir=workspace_parent) as workspace:
        workspace = Path(workspace)
        os.chmod(workspace, 0o700)
        manifest = read_archive(archive_path, workspace)
        if manifest["engine"] != vendor:
            raise BackupError(
                f"This backup was made from {manifest['engine']}; this site uses {vendor}. Restore it "
                f"into a {manifest['engine']} database."
            )
        _check_migrations_known(manifest)
        tables = connection.introspection.table_names()
        if tables and not force:
            raise BackupError(
                f"The database is not empty ({len(tables)} tables). Restore into a new, empty database, "
                "or pass --force to replace its contents."
            )
        for prefix, root in roots.items():
            if root.is_dir() and any(root.iterdir()) and not force:
                raise BackupError(
                    f"The folder {root} ({FOLDERS[prefix]}) is not empty. Restore into an empty one, or "
                    "pass --force to move its contents aside."
                )
        dump = workspace / DUMPS[vendor]
        if vendor == "postgresql":
            _restore_postgresql(connection, dump, clean=bool(tables))
        else:
            _restore_sqlite(connection, dump)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        for prefix, root in roots.items():
            _put_folder(workspace / prefix, root, stamp)
    counts = table_counts(connection)
    differing = {
        table: (rows, counts.get(table))
        for table, rows in manifest["counts"].items()
        if counts.get(table) != rows
    }
    if differing:
        table, (wanted, found) = next(iter(differing.items()))
        raise BackupError(
            f"Restored, but {len(differing)} table(s) differ from the manifest, e.g. {table}: "
            f"{found} rows instead of {wanted}."
        )
    return Restored(manifest=manifest, counts=counts)


def _check_migrations_known(manifest):
    """A backup from a newer Pimpasa (migrations this code lacks) would leave a schema it cannot use."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(
        f"{app}.{name}" for app, name in manifest["migrations"].items() if (app, name) not in known
    )
    if unknown:
        raise BackupError(
            f"This backup comes from a newer Pimpasa (migration {unknown[0]} is unknown here): restore it "
            "with the version that made it, or a later one."
        )


def _restore_postgresql(connection, dump, *, clean):
    """One transaction: pg_restore stops at the first error and leaves the database as it was."""
    connection.close()
    command = ["pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
    if clean:
        command += ["--clean", "--if-exists"]
    env = _pg_env(connection.settings_dict)
    _run([*command, f"--dbname={env['PGDATABASE']}", str(dump)], env)


def _restore_sqlite(connection, dump):
    """Check the copy, then swap it in for the database file in one rename."""
    checked = sqlite3.connect(dump)
    try:
        result = checked.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        checked.close()
    if result != "ok":
        raise BackupError(f"The database in the backup is damaged: {result}")
    target = Path(connection.settings_dict["NAME"])
    connection.close()
    staged = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(dump, staged)
    os.chmod(staged, 0o600)
    # The old file's write-ahead log would be replayed onto the new file: it goes with the old file.
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(staged, target)


def _put_folder(source, root, stamp):
    """Move the restored folder into place; what was there (forced) is moved aside, never deleted."""
    if root.is_dir() and any(root.iterdir()):
        root.rename(root.with_name(f"{root.name}.before-restore-{stamp}"))
    elif root.is_dir():
        root.rmdir()
    if source.is_dir():
        root.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(source), str(root))
        os.chmod(root, 0o700)
    else:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
