"""Arrows between the apps run one way (the cycle check itself: tests/netzwerktimer/test_import_layers.py).

The project package (netzwerktimer: settings, URLs, the page cache) composes the apps and is left
out; the helpers it holds for all apps (dates, text, links) import no app.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "netzwerktimer"
APPS = sorted(path.parent.name for path in ROOT.glob("*/apps.py") if path.parent.name != PROJECT)


def imported_apps(app):
    """The other apps (and the project package) that any module of `app` imports, migrations aside."""
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found |= {name.split(".")[0] for name in names} & {*APPS, PROJECT}
    return found - {app}


def test_networks_imports_no_other_app():
    assert imported_apps("networks") <= {PROJECT}


def test_events_builds_on_no_app_that_builds_on_it():
    assert imported_apps("events") <= {"images", "networks", PROJECT}



def test_project_helpers_import_no_app():
    for name in ("dates", "language", "text", "links"):
        tree = ast.parse((ROOT / PROJECT / f"{name}.py").read_text(encoding="utf-8"))
        modules = {
            node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
        }
        assert not modules & set(APPS), name


def test_campaigns_borrows_nothing_from_planning():
    assert "planning" not in imported_apps("campaigns")
