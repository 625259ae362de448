"""Guard rails read from the source, as Zulip lints its dangerous constructs (ADR 0012).

1. A protected model (a survivor's or a counselor's data) is queried through
   ``Model.objects`` only in its own app's ``access.py`` (the one door, STYLE rule 5),
   ``actions.py`` (the writes) or ``sql.py`` (hand-written SQL), and in the modules listed
   in ``MAY_QUERY`` with the reason each needs it. A view that wants such rows asks the
   access helper, which answers 404 to everyone but their owner.
2. ``.save()`` names its ``update_fields`` (STYLE rule 4), so that a save never writes
   back a stale copy of a field another request changed; the few calls that save a whole
   new object, or pass the fields on, are listed in ``MAY_SAVE_WHOLE`` with the reason.

3. Who someone is comes from ``mend/accounts/roles.py`` only (one module of role checks,
   ADR 0012): no other module compares a ``.role`` (or a ``Role.X``) by hand, but the few
   listed in ``MAY_COMPARE_ROLES``. Queries that filter by role (``role=Role.COUNSELOR``)
   are not comparisons and are not checked.

4. A page script's words (``"mend_strings"`` in a view's context) are built by
   ``mend.lib.runtime.page_strings``, so every page has the runtime's shared words for a
   failure it does not handle itself (docs/frontend.md, "One config, one set of words").

The lists fail the test when an entry no longer matches anything, so they cannot go
stale. Tests and migrations are not checked: they build and change data on purpose.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[1]  # the mend/ folder

#: Protected models, by the app that owns them.
PROTECTED = {
    "vault": {"Record", "RecordVersion", "Attachment"},
    "escrow": {
        "EscrowAccount",
        "EmailChallenge",
        "VerifiedAddress",
        "Entry",
        "EntryTag",
        "SealedShare",
        "MatchGroup",
        "Membership",
        "Message",
        "Notice",
    },
    "accounts": {"KeyRing"},
    "training": {"Membership", "Attempt", "Completion"},
    "certificates": {"Certificate"},
    "dialogue": {
        "Case",
        "Participant",
        "Consent",
        "Item",
        "ReaderKey",
        "Assessment",
        "PlanItem",
        "StopRecord",
    },
}
#: The modules of an app that may query its protected models.
DOORS = ("access.py", "actions.py", "sql.py")

#: Other modules that query protected models: path (under mend/) -> why.
MAY_QUERY = {
    "escrow/verification.py": "the escrow's verification actions (do_redeem_invitation, "
    "do_send_address_code, do_confirm_address_code), kept apart from actions.py for their "
    "mail and address-hashing rules (merged, actions.py would pass 700 lines: STYLE rule 2)",
    "escrow/tasks.py": "the worker's tasks: the match notices and counselor assignment are "
    "actions that run after commit, without a request, in the module the task backend "
    "registers them from",
    "counselor/actions.py": "the counselor workspace's actions on the escrow's data (keys, "
    "decisions, closing, re-sealing): an app's actions.py, but the models are another "
    "app's; every caller loads through escrow/access.py",
    "dialogue/retention.py": "deletes closed cases' words when they are due (a task the "
    "worker runs by module path, and its command), kept apart from actions.py, which is "
    "long enough already (STYLE rule 2)",
    "escrow/testing.py": "test support only (a survivor's browser in Python, used by tests "
    "and bench/): it builds entries as the browser would",
}

#: Calls of .save() without update_fields: "path:function" -> why.
MAY_SAVE_WHOLE = {
    "accounts/actions.py:do_create_staff": "creates a new staff account (an INSERT of an "
    "object built there: nothing stale to write back)",
    "audit/models.py:save": "the append-only audit row's own save(), which refuses updates "
    "and passes its arguments on",
    "test.py:login_with_otp": "test support: a test client's session, not a model",
}


#: Hand-written role comparisons outside roles.py: "path:function" -> why.
MAY_COMPARE_ROLES = {
    "dialogue/models.py:plays": "a party's role in a dialogue case (PartyRole: survivor, "
    "responsible, lead, co), not an account role; the Participant's own predicates",
    "dialogue/models.py:is_facilitator_role": "a party's role in a dialogue case (lead or "
    "co), not an account role",
    "crypto/dialogue.py:key_statement": "the protocol's party-role label checked before it "
    "is signed; crypto imports no app, and this is a label, not a check of who may act",
    "accounts/actions.py:do_set_staff_role": "compares the role asked for with the stored "
    "one, to skip a change that changes nothing: data, not a check of who may do what",
}


def modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(ROOT.rglob("*.py")):
        if {"tests", "migrations"} & set(path.parts):
            continue
        relative = path.relative_to(ROOT).as_posix()
        yield relative, ast.parse(path.read_text(encoding="utf-8"), relative)


def imported_apps(tree: ast.AST) -> dict[str, str]:
    """Local names bound by ``from mend.APP.models import X`` (X -> APP) and by
    ``from mend.APP import models`` (the module's name -> APP)."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mend."):
            parts = node.module.split(".")
            for alias in node.names:
                if (len(parts) == 3 and parts[2] == "models") or (
                    len(parts) == 2 and alias.name == "models"
                ):
                    names[alias.asname or alias.name] = parts[1]
    return names


def owner_app(name: str, imported: dict[str, str], own_app: str) -> str | None:
    """Which app's protected model ``name`` is here, if any (two apps may both have a
    Membership: the import decides; without one, the file's own app or the only owner)."""
    if name in imported:
        return imported[name] if name in PROTECTED.get(imported[name], set()) else None
    owners = [app for app, models in PROTECTED.items() if name in models]
    if own_app in owners:
        return own_app
    return owners[0] if len(owners) == 1 else None


def queried_models(tree: ast.AST, own_app: str = "") -> set[tuple[str, str]]:
    """The protected models used as ``Model.objects`` (or ``module.Model.objects``), as
    (app, model)."""
    imported = imported_apps(tree)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            owner = node.value
            if isinstance(owner, ast.Name):
                app = owner_app(owner.id, imported, own_app)
                name = owner.id
            elif isinstance(owner, ast.Attribute) and isinstance(owner.value, ast.Name):
                module_app = imported.get(owner.value.id)
                name = owner.attr
                app = module_app if name in PROTECTED.get(module_app or "", set()) else None
                app = app or owner_app(name, {}, own_app)
            else:
                continue
            if app is not None:
                found.add((app, name))
    return found


def may_query(path: str, app: str) -> bool:
    own_app, _, module = path.partition("/")
    return (own_app == app and module in DOORS) or path in MAY_QUERY


def whole_saves(tree: ast.AST) -> Iterator[str]:
    """The functions (by name) that call ``.save()`` without ``update_fields``."""
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "save"
                    and not any(k.arg == "update_fields" for k in node.keywords)
                ):
                    yield function.name


def is_role(node: ast.expr) -> bool:
    """``x.role``, ``role``, ``Role.X`` or ``getattr(x, "role", …)``."""
    if isinstance(node, ast.Attribute):
        return node.attr == "role" or (isinstance(node.value, ast.Name) and node.value.id == "Role")
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        named = node.args[1:2]
        return node.func.id == "getattr" and any(
            isinstance(a, ast.Constant) and a.value == "role" for a in named
        )
    return isinstance(node, ast.Name) and node.id == "role"


def role_comparisons(tree: ast.AST) -> Iterator[str]:
    """The functions (by name; "<module>" at the top) that compare a role by hand."""
    scopes: list[tuple[str, ast.AST]] = [("<module>", tree)]
    scopes += [
        (node.name, node)
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    for name, scope in scopes:
        body = (
            [scope]
            if name != "<module>"
            else [
                n
                for n in ast.iter_child_nodes(scope)
                if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            ]
        )
        for part in body:
            for node in ast.walk(part):
                if isinstance(node, ast.Compare) and any(
                    is_role(side) for side in [node.left, *node.comparators]
                ):
                    yield name
                    break


class ProtectedModelTests(SimpleTestCase):
    def test_protected_models_are_queried_only_behind_their_doors(self) -> None:
        wrong = sorted(
            f"{path}: {app}.{model}.objects"
            for path, tree in modules()
            for app, model in queried_models(tree, path.partition("/")[0])
            if not may_query(path, app)
        )
        self.assertEqual(wrong, [])

    def test_every_listed_exception_still_queries_a_protected_model(self) -> None:
        querying = {path for path, tree in modules() if queried_models(tree)}
        self.assertEqual(sorted(set(MAY_QUERY) - querying), [])

    def test_the_check_sees_a_query_in_a_view(self) -> None:
        tree = ast.parse("def home(r):\n    return Entry.objects.filter(owner=r.user)")
        self.assertEqual(queried_models(tree), {("escrow", "Entry")})
        self.assertFalse(may_query("escrow/views.py", "escrow"))
        self.assertTrue(may_query("escrow/access.py", "escrow"))
        self.assertFalse(may_query("vault/access.py", "escrow"))  # another app's door

    def test_the_check_sees_a_model_named_through_its_module(self) -> None:
        tree = ast.parse("models.KeyRing.objects.all()")
        self.assertEqual(queried_models(tree), {("accounts", "KeyRing")})

    def test_the_check_tells_two_apps_models_of_one_name_apart_by_their_import(self) -> None:
        escrow = ast.parse("from mend.escrow.models import Membership\nMembership.objects.all()")
        training = ast.parse("from mend.training import models\nmodels.Membership.objects.all()")
        self.assertEqual(queried_models(escrow, "training"), {("escrow", "Membership")})
        self.assertEqual(queried_models(training, "escrow"), {("training", "Membership")})


class SaveTests(SimpleTestCase):
    def test_every_save_names_its_fields(self) -> None:
        wrong = sorted(
            f"{path}:{function}"
            for path, tree in modules()
            for function in whole_saves(tree)
            if f"{path}:{function}" not in MAY_SAVE_WHOLE
        )
        self.assertEqual(wrong, [])

    def test_every_listed_whole_save_still_exists(self) -> None:
        saving = {
            f"{path}:{function}" for path, tree in modules() for function in whole_saves(tree)
        }
        self.assertEqual(sorted(set(MAY_SAVE_WHOLE) - saving), [])

    def test_the_check_sees_a_save_without_fields(self) -> None:
        tree = ast.parse("def rename(r):\n    r.title = 'x'\n    r.save()")
        self.assertEqual(list(whole_saves(tree)), ["rename"])
        fine = ast.parse("def rename(r):\n    r.save(update_fields=['title'])")
        self.assertEqual(list(whole_saves(fine)), [])


class RoleCheckTests(SimpleTestCase):
    def compared(self) -> set[str]:
        return {
            f"{path}:{function}"
            for path, tree in modules()
            if path != "accounts/roles.py"
            for function in role_comparisons(tree)
        }

    def test_no_module_but_roles_compares_a_role_by_hand(self) -> None:
        self.assertEqual(sorted(self.compared() - set(MAY_COMPARE_ROLES)), [])

    def test_every_listed_role_comparison_still_exists(self) -> None:
        self.assertEqual(sorted(set(MAY_COMPARE_ROLES) - self.compared()), [])

    def test_the_check_sees_each_way_of_comparing_a_role(self) -> None:
        for source in (
            "def f(u):\n    return u.role == Role.LEARNER",
            "def f(u):\n    return u.role in {'counselor', 'facilitator'}",
            "def f(role):\n    return role not in STAFF_ROLES",
            "def f(u):\n    return getattr(u, 'role', None) != 'survivor'",
            "def f(c):\n    return Role.COUNSELOR == c.holder.kind",
        ):
            self.assertEqual(list(role_comparisons(ast.parse(source))), ["f"], source)
        fine = ast.parse("def f(u):\n    return is_learner(u) and User.objects.filter(role=r)")
        self.assertEqual(list(role_comparisons(fine)), [])


def strings_built_by_hand(tree: ast.AST) -> Iterator[int]:
    """The lines where a ``"mend_strings"`` entry is not a call of ``page_strings``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "mend_strings":
                    func = value.func if isinstance(value, ast.Call) else None
                    name = getattr(func, "attr", getattr(func, "id", ""))
                    if name != "page_strings":
                        yield node.lineno


class PageStringsTests(SimpleTestCase):
    def test_every_page_scripts_words_start_from_the_runtimes(self) -> None:
        wrong = [
            f"{path}:{line}" for path, tree in modules() for line in strings_built_by_hand(tree)
        ]
        self.assertEqual(wrong, [])

    def test_the_check_sees_words_built_by_hand(self) -> None:
        by_hand = ast.parse('c = {"mend_strings": {k: str(v) for k, v in words.items()}}')
        self.assertEqual(list(strings_built_by_hand(by_hand)), [1])
        fine = ast.parse('c = {"mend_strings": runtime.page_strings(words)}')
        self.assertEqual(list(strings_built_by_hand(fine)), [])
