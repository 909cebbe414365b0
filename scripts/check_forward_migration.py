"""A database built by the previous release migrates forward with nothing lost.

Builds the demo site with the previous release's code (``setup_demo`` on a fresh SQLite file), counts the rows of
every table, migrates the same file with this tree, and checks: every table the old release had holds the same
rows, no content type is left behind, ``ledger_check`` passes, the demo logins work and reach the moved screens.

    python scripts/check_forward_migration.py [--previous REF]

REF is a git commit or tag of the previous release (default: ``PREVIOUS_RELEASE`` below). Run by ``.ci/run``.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREVIOUS_RELEASE = "537c806"  # the last release before the apps were split (issue "The house")
PYTHON = ROOT / ".venv" / "bin" / "python"


def run(cwd: Path, *args: str, database: Path) -> str:
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"sqlite:///{database}", "CELERY_BROKER_URL": ""}
    env.pop("CELERY_BROKER_URL")
    done = subprocess.run([str(PYTHON), "manage.py", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed in {cwd}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def row_counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        return {table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                for table in tables}


def content_types(database: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(database) as connection:
        return set(connection.execute("SELECT app_label, model FROM django_content_type"))


CHECK_SITE = """
from django.contrib.auth.models import Group
from django.test import Client
from accounts.roles_setup import wanted_permissions
from demo.management.commands.setup_demo import DEMO_PASSWORD
for name, page in [("city", "/admin/workflow/quotausenotice/"), ("daoli", "/admin/institutions/institution/"),
                   ("hr", "/admin/positions/positionplan/"), ("auditor", "/admin/allocation/allocationscenario/")]:
    client = Client()
    login = client.post("/admin/login/", {"username": name, "password": DEMO_PASSWORD, "next": page})
    assert login.status_code == 302, (name, login.status_code)
    answer = client.get(page)
    assert answer.status_code == 200, (name, page, answer.status_code)
for group in Group.objects.all():
    wanted = {p.pk for p in wanted_permissions(group.name)}
    assert set(group.permissions.values_list("pk", flat=True)) == wanted, group.name
print("logins work; every role group holds exactly its permissions")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--previous", default=PREVIOUS_RELEASE)
    previous = parser.parse_args().previous
    with tempfile.TemporaryDirectory() as scratch:
        old_tree, database = Path(scratch) / "previous", Path(scratch) / "site.sqlite3"
        old_tree.mkdir()
        archive = subprocess.run(["git", "archive", previous], cwd=ROOT, capture_output=True, check=False)
        if archive.returncode != 0:
            sys.exit(f"cannot read the previous release {previous!r}: {archive.stderr.decode()}")
        subprocess.run(["tar", "-x", "-C", str(old_tree)], input=archive.stdout, check=True)
        (old_tree / ".venv").symlink_to(ROOT / ".venv")
        stub = Path(scratch) / "stubs"
        (stub / "django_htmx").mkdir(parents=True)  # installed by the previous release, unused and since removed
        (stub / "django_htmx" / "__init__.py").write_text("")
        os.environ["PYTHONPATH"] = str(stub)

        print(f"== the previous release ({previous}) builds the demo site")
        run(old_tree, "migrate", "--noinput", database=database)
        run(old_tree, "setup_demo", database=database)
        before, types_before = row_counts(database), content_types(database)
        os.environ.pop("PYTHONPATH")

        print("== this tree migrates it forward")
        run(ROOT, "migrate", "--noinput", database=database)
        after, types_after = row_counts(database), content_types(database)

        # Grants follow the role table (checked below); new models bring their content types and permissions.
        recomputed = {"django_migrations", "auth_group_permissions", "django_content_type", "auth_permission"}
        lost = {table: (count, after.get(table)) for table, count in before.items()
                if table not in recomputed and after.get(table) != count}
        if lost:
            sys.exit(f"rows changed in {len(lost)} tables (before, after): {lost}")
        print(f"   {len(before) - 1} tables, {sum(before.values())} rows: all there")
        stale = {label for label, _model in types_after} - {label for label, _model in types_before} - {
            "accounts", "allocation", "workflow", "reconciliation", "reforms", "standards", "outbox", "finance",
            "integrations", "mandates", "powers", "tracking", "axes"}  # the apps since that release; axes: logins
        left_behind = [(label, model) for label, model in types_after if (label, model) in types_before
                       and label in ("positions", "quotas", "core") and model in (
                           "quotausenotice", "turnoverloan", "allocationscenario", "userprofile")]
        if left_behind or stale:
            sys.exit(f"content types left behind: {left_behind}; unexpected apps: {stale}")
        moved = {("positions", m): "workflow" for m in ("hiringplan", "hiringplanline", "quotausenotice",
                 "staffmovement", "loancase", "turnoverloan", "loanreturn", "loanreturnoffer", "requestevent",
                 "workflowpolicy")}
        moved[("positions", "positiondirectionnotice")] = "reconciliation"
        moved[("core", "userprofile")] = "accounts"
        moved.update({("quotas", m): "allocation" for m in ("regionindicator", "allocationscenario", "scenarioarea",
                      "scenarioresult", "historicalregionindicator", "historicalallocationscenario",
                      "historicalscenarioarea")})
        missing = [(label, model) for label, model in types_before
                   if (moved.get((label, model), label), model) not in types_after]
        if missing:
            sys.exit(f"content types lost: {missing}")
        print(run(ROOT, "ledger_check", database=database).strip().splitlines()[-1])
        print(run(ROOT, "shell", "--no-imports", "-c", CHECK_SITE, database=database).strip())
    print("forward migration: ok")


if __name__ == "__main__":
    main()
