"""No app imports a sibling that imports it back: the arrows between the apps run one way.

Every import in every module of every app (functions' own imports included) is an arrow
from the importing app to the imported one; a strongly connected group of two or more apps
is a cycle. Migrations are history and left out. The project package `netzwerktimer/`
counts as an app for its helpers (text, links, caching, mail …) that the apps import; its
modules that compose the apps (settings, URLs, sitemaps, the Celery and WSGI entry points)
import every app by their nature and are left out.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "netzwerktimer"
COMPOSING = {"settings.py", "urls.py", "sitemaps.py", "celery.py", "wsgi.py", "asgi.py", "gunicorn_conf.py"}


def app_names():
    return sorted(path.parent.name for path in ROOT.glob("*/apps.py")) + [PROJECT]


def app_modules(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        relative = path.relative_to(ROOT / app)
        if "migrations" in relative.parts:
            continue
        if app == PROJECT and len(relative.parts) == 1 and relative.name in COMPOSING:
            continue
        yield path


def imported_names(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def app_arrows():
    """{(importing app, imported app): ["module.py:line", …] of every such import}."""
    apps = set(app_names())
    arrows = {}
    for app in sorted(apps):
        for path in app_modules(app):
            for line, name in imported_names(ast.parse(path.read_text(), filename=str(path))):
                target = name.split(".")[0]
                if target in apps and target != app:
                    arrows.setdefault((app, target), []).append(f"{path.relative_to(ROOT)}:{line}")
    return arrows


def strongly_connected(nodes, arrows):
    """Tarjan's algorithm: the groups of apps that reach each other."""
    following = {node: sorted(b for a, b in arrows if a == node) for node in nodes}
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in following[node]:
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            groups.append(sorted(group))

    for node in nodes:
        if node not in index:
            visit(node)
    return groups


def import_cycles():
    """Each cycle as its apps and the arrows between them, with the import that draws each arrow."""
    arrows = app_arrows()
    cycles = []
    for group in strongly_connected(app_names(), arrows):
        if len(group) > 1:
            inside = sorted((a, b, where) for (a, b), where in arrows.items() if a in group and b in group)
            cycles.append((group, [f"{a} → {b} ({', '.join(where)})" for a, b, where in inside]))
    return sorted(cycles)


def test_the_walk_sees_the_apps_and_their_arrows():
    arrows = app_arrows()
    assert {"events", "feeds", "networks", "importer", "outreach", PROJECT} <= set(app_names())
    assert ("feeds", "events") in arrows
    assert ("events", "networks") in arrows
    assert ("events", PROJECT) in arrows  # netzwerktimer's helpers, e.g. text normalisation


def test_cycle_detection_finds_a_cycle_through_three_apps():
    arrows = {("a", "b"): [], ("b", "c"): [], ("c", "a"): [], ("c", "d"): []}
    assert sorted(strongly_connected(["a", "b", "c", "d"], arrows)) == [["a", "b", "c"], ["d"]]


def test_events_imports_nothing_of_feeds_and_netzwerktimer_nothing_of_events():
    arrows = app_arrows()
    assert ("events", "feeds") not in arrows
    assert (PROJECT, "events") not in arrows


def test_no_app_level_import_cycle():
    cycles = import_cycles()
    assert cycles == [], "\n".join(f"{' ↔ '.join(group)}:\n  " + "\n  ".join(lines) for group, lines in cycles)

