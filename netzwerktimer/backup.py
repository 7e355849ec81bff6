"""Backups of all data: the database (pg_dump or SQLite's backup API) and uploaded files.

A backup is one folder holding database.pgdump or database.sqlite3, media.tar.gz
and manifest.json (row counts, used to verify a restore).
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone


class BackupError(Exception):
    pass


def row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed
    }


def _pg_args(db):
    args = ["--host", db.get("HOST") or "localhost", "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return args


def _pg_env(db):
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _run(command, env=None):
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603 (fixed argv)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def backup_create(*, target_dir):
    """Write a new backup folder below target_dir and return its path."""
    db = settings.DATABASES["default"]
    folder = Path(target_dir) / f"netzwerktimer-{timezone.now():%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True)
    if connection.vendor == "postgresql":
        if not shutil.which("pg_dump"):
            raise BackupError("pg_dump is not installed")
        _run(
            [
                "pg_dump",
                *_pg_args(db),
                "--format=custom",
                "--no-owner",
                "--file",
                str(folder / "database.pgdump"),
                db["NAME"],
            ],
            env=_pg_env(db),
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(folder / "database.sqlite3") as target:
            connection.connection.backup(target)
    else:
        raise BackupError(f"no backup method for {connection.vendor}")
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname="media")
    manifest = {"created": timezone.now().isoformat(), "vendor": connection.vendor, "rows": row_counts()}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return folder


def backup_restore(*, folder):
    """Replace the database and uploaded files with the backup's; verify the row counts."""
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"backup is of {manifest['vendor']}, the database is {connection.vendor}")
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        connection.close()
        _run(
            [
                "pg_restore",
                *_pg_args(db),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                db["NAME"],
                str(folder / "database.pgdump"),
            ],
            env=_pg_env(db),
        )
    else:
        connection.ensure_connection()
        with sqlite3.connect(folder / "database.sqlite3") as source:
            source.backup(connection.connection)
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / "media.tar.gz", "r:gz") as archive:
        if media.exists():
            shutil.rmtree(media)
        media.parent.mkdir(parents=True, exist_ok=True)
        archive.extractall(media.parent, filter="data")
        if media.name != "media" and (media.parent / "media").exists():
            (media.parent / "media").rename(media)
    restored = row_counts()
    if restored != manifest["rows"]:
        raise BackupError(f"row counts differ after restore: {restored} != {manifest['rows']}")
    return restored
