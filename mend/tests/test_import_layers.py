"""Packages depend one way (docs/adr/0010-package-layout.md).

The rule, read from the source with ``ast`` (nothing is imported, so an import hidden
inside a function counts as much as one at the top of a module):

- every module belongs to a package: ``mend.<app>`` for a folder under ``mend/``, and
  each top-level module (``mend.urls``, ``mend.test`` …) stands alone;
- an app's ``tests`` folder is a package of its own, above everything (tests may drive
  the whole site; nothing imports a test);
- ``mend.lib`` and ``mend.crypto`` import no app at all;
- the package graph has no cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[1]  # the mend/ folder

# Packages below every app: they import none.
FOUNDATIONS = frozenset({"mend.lib", "mend.crypto"})

# Apps that others build on, and the apps above them that they must never import: the
# training app issues certificates and escrow assignment reads them (a provider registered by
# training, mend.certificates.paths, tells certificates what it must know of training).
BELOW: Mapping[str, frozenset[str]] = {
    "mend.certificates": frozenset({"mend.training", "mend.escrow"}),
}

# The parts at the top: no other app imports them (the project's own modules may: mend.api,
# mend.urls, mend.middleware; and tests), so each can be read, changed or removed on its own
# and two parts never lean on each other. A new part (dialogue) joins this list.
TOP = frozenset({"mend.findhelp", "mend.vault", "mend.counselor", "mend.leave", "mend.training"})

# Imports known to be wrong and not yet removed, as (importing module, imported package).
# Each says why it is still there; the test fails when one disappears, so that this list
# cannot go stale. Listed by module, not by package, so that no new module can hide behind.
ALLOWED: Mapping[tuple[str, str], str] = {}


def package_of(module: str) -> str | None:
    """The package a dotted module name belongs to (None for anything outside mend)."""
    parts = module.split(".")
    if parts[0] != "mend":
        return None
    if len(parts) == 1:
        return "mend"
    if len(parts) >= 3 and parts[2] == "tests":
        return ".".join(parts[:3])
    return ".".join(parts[:2])


def is_app(package: str) -> bool:
    """A Django app of Mend (a folder with apps.py), not a project module or a test package."""
    parts = package.split(".")
    return len(parts) == 2 and (ROOT / parts[1] / "apps.py").exists()


def module_name(path: Path) -> str:
    relative = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> Iterator[str]:
    """Every module that ``path`` imports, anywhere in its body (functions included)."""
    this = module_name(path)
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = resolve(this, is_package, node.module, node.level)
            yield base
            # ``from mend import settings`` imports the module mend.settings.
            yield from (f"{base}.{alias.name}" for alias in node.names if base == "mend")


def resolve(this: str, is_package: bool, module: str | None, level: int) -> str:
    if level == 0:
        return module or ""
    parent = this.split(".")
    parent = parent if is_package else parent[:-1]
    parent = parent[: len(parent) - (level - 1)]
    return ".".join([*parent, module] if module else parent)


def module_imports(root: Path = ROOT) -> dict[str, set[str]]:
    """module -> the packages (other than its own) that it imports."""
    imports: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        module = module_name(path)
        source = package_of(module)
        targets = {package_of(imported) for imported in imported_modules(path)}
        imports[module] = {t for t in targets if t is not None and t not in (source, "mend")}
    return imports


def package_graph(imports: Mapping[str, set[str]]) -> dict[str, set[str]]:
    """package -> the other packages it imports."""
    graph: dict[str, set[str]] = {}
    for module, targets in imports.items():
        source = package_of(module)
        assert source is not None
        graph.setdefault(source, set()).update(targets)
    return graph


def find_cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """One cycle for each strongly connected group of packages, as a path a -> ... -> a."""
    cycles = []
    for group in strongly_connected(graph):
        if len(group) > 1:
            cycles.append(cycle_through(graph, group))
    return cycles


def strongly_connected(graph: Mapping[str, set[str]]) -> list[set[str]]:
    # Reachability both ways is enough at this size (a few dozen packages).
    nodes = sorted(set(graph) | {t for targets in graph.values() for t in targets})
    reach = {node: reachable(graph, node) for node in nodes}
    groups: list[set[str]] = []
    for node in nodes:
        if not any(node in group for group in groups):
            both_ways = {other for other in nodes if other in reach[node] and node in reach[other]}
            groups.append(both_ways | {node})
    return groups


def reachable(graph: Mapping[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    stack = list(graph.get(start, ()))
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(graph.get(node, ()))
    return seen


def cycle_through(graph: Mapping[str, set[str]], group: set[str]) -> list[str]:
    """A shortest path from the group's first package back to itself, inside the group."""
    start = min(group)
    paths = [[start, target] for target in sorted(graph[start] & group)]
    while paths:
        path = paths.pop(0)
        if path[-1] == start:
            return path
        following = sorted(graph.get(path[-1], set()) & group)
        paths.extend([*path, t] for t in following if t not in path[1:])
    raise AssertionError(f"no cycle in {group}")  # pragma: no cover - a group has one


def without_allowed(imports: Mapping[str, set[str]]) -> dict[str, set[str]]:
    return {m: {t for t in targets if (m, t) not in ALLOWED} for m, targets in imports.items()}


class ImportLayerTests(SimpleTestCase):
    def test_it_finds_no_cycle_between_packages(self) -> None:
        cycles = find_cycles(package_graph(without_allowed(module_imports())))
        self.assertEqual([" -> ".join(cycle) for cycle in cycles], [])

    def test_it_finds_no_app_imported_by_lib_or_crypto(self) -> None:
        graph = package_graph(without_allowed(module_imports()))
        wrong = sorted(
            f"{source} -> {target}"
            for source in FOUNDATIONS
            for target in graph.get(source, set())
            if target not in FOUNDATIONS
        )
        self.assertEqual(wrong, [])

    def test_it_keeps_each_app_below_the_apps_that_build_on_it(self) -> None:
        graph = package_graph(without_allowed(module_imports()))
        wrong = sorted(
            f"{low} -> {high}"
            for low, highs in BELOW.items()
            for high in highs
            if high in reachable(graph, low)
        )
        self.assertEqual(wrong, [])

    def test_no_app_imports_a_part_at_the_top(self) -> None:
        graph = package_graph(without_allowed(module_imports()))
        wrong = sorted(
            f"{source} -> {target}"
            for source, targets in graph.items()
            if is_app(source)
            for target in targets & TOP
            if target != source
        )
        self.assertEqual(wrong, [])

    def test_the_top_rule_sees_an_app_and_leaves_the_project_and_tests_alone(self) -> None:
        self.assertTrue(is_app("mend.escrow"))
        self.assertFalse(is_app("mend.api"))
        self.assertFalse(is_app("mend.escrow.tests"))
        self.assertLessEqual(TOP, {f"mend.{p.parent.name}" for p in ROOT.glob("*/apps.py")})

    def test_it_allows_only_edges_that_still_exist(self) -> None:
        imports = module_imports()
        stale = [f"{m} -> {t}" for m, t in ALLOWED if t not in imports.get(m, set())]
        self.assertEqual(stale, [])

    def test_it_sees_the_packages_it_checks(self) -> None:
        graph = package_graph(module_imports())
        self.assertIn("mend.directory", graph["mend.search"])
        self.assertIn("mend.search.tests", graph)
        self.assertLessEqual({"mend.lib", "mend.crypto", "mend.accounts", "mend.vault"}, set(graph))
        self.assertIn("mend.certificates", graph["mend.escrow"])
        # The dialogue sits above accounts and audit, and reaches crypto only through its
        # pure module; nothing below imports it.
        self.assertLessEqual({"mend.accounts", "mend.audit", "mend.crypto"}, graph["mend.dialogue"])
        below = {"mend.lib", "mend.crypto", "mend.accounts", "mend.audit", "mend.vault"}
        self.assertEqual([p for p in below if "mend.dialogue" in graph.get(p, set())], [])

    def test_the_counselor_workspace_sits_above_the_escrow(self) -> None:
        graph = package_graph(module_imports())
        self.assertIn("mend.escrow", graph["mend.counselor"])  # its data is the escrow's
        self.assertNotIn("mend.counselor", graph["mend.escrow"])
        self.assertNotIn("mend.counselor", reachable(graph, "mend.escrow"))


class CycleFinderTests(SimpleTestCase):
    """The finder itself, on graphs made up for the purpose."""

    def test_it_names_a_two_package_cycle(self) -> None:
        graph = {"mend.a": {"mend.b"}, "mend.b": {"mend.a"}, "mend.c": {"mend.a"}}
        self.assertEqual(find_cycles(graph), [["mend.a", "mend.b", "mend.a"]])

    def test_it_names_a_longer_cycle_by_its_shortest_path(self) -> None:
        graph = {"mend.a": {"mend.b", "mend.c"}, "mend.b": {"mend.c"}, "mend.c": {"mend.a"}}
        self.assertEqual(find_cycles(graph), [["mend.a", "mend.c", "mend.a"]])

    def test_it_finds_none_in_a_layered_graph(self) -> None:
        graph = {"mend.a": {"mend.b", "mend.lib"}, "mend.b": {"mend.lib"}, "mend.lib": set()}
        self.assertEqual(find_cycles(graph), [])

    def test_it_counts_an_import_inside_a_function(self) -> None:
        imported = set(imported_modules(ROOT / "search" / "apps.py"))  # in ready()
        self.assertIn("mend.directory.signals", imported)

    def test_it_maps_modules_to_packages(self) -> None:
        self.assertEqual(package_of("mend.search.index"), "mend.search")
        self.assertEqual(package_of("mend.search.tests.test_index"), "mend.search.tests")
        self.assertEqual(package_of("mend.urls"), "mend.urls")
        self.assertIsNone(package_of("django.db"))

    def test_it_resolves_relative_imports(self) -> None:
        self.assertEqual(resolve("mend.search.index", False, "models", 1), "mend.search.models")
        self.assertEqual(resolve("mend.search", True, "models", 1), "mend.search.models")
        self.assertEqual(resolve("mend.search.index", False, None, 2), "mend")
