"""Guard rails that keep the house as it is: the rooms import only downward (the import
contracts in pyproject.toml, checked by lint-imports, which `bash run lint` also runs), the
read side never writes, the migrations stand alone, and tests share helpers through helper
modules and fixtures, never by importing conftest or another test module."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT

LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")
ROOMS = ("domain", "config", "db", "files", "queries", "services", "notifications", "demo",
         "flows", "web", "cli")


def lint_imports(packages_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    """lint-imports with pyproject.toml's contracts, on the installed rooms or on copies of
    them laid out as chidao/<room> under `packages_dir` (found first on PYTHONPATH)."""
    env = dict(os.environ)
    if packages_dir is not None:
        env["PYTHONPATH"] = str(packages_dir)
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        cwd=packages_dir or ROOT, env=env, capture_output=True, text=True, timeout=120)


def contracts(output: str, verdict: str) -> list[str]:
    """The names of the contracts lint-imports reports as `verdict` (KEPT or BROKEN)."""
    return [line.removesuffix(verdict).strip() for line in output.splitlines()
            if line.endswith(f" {verdict}")]


def test_the_rooms_keep_the_import_contracts():
    done = lint_imports()
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(contracts(done.stdout, "KEPT")) >= 3 and contracts(done.stdout, "BROKEN") == []


@pytest.mark.parametrize(("module", "wrong_import", "broken"), [
    ("domain/status.py", "chidao.web.access",
     ["Each room imports only the rooms below it", "The domain imports nothing of chidao"]),
    ("queries/inbox.py", "chidao.db.bulk", ["The read side (queries) never writes"]),
    ("services/issue.py", "chidao.flows.cascade", ["Each room imports only the rooms below it"]),
])
def test_a_wrong_import_breaks_the_contracts(tmp_path, module, wrong_import, broken):
    for room in ROOMS:
        shutil.copytree(ROOT / room, tmp_path / "chidao" / room,
                        ignore=shutil.ignore_patterns("__pycache__", "templates", "examples",
                                                      "migrations"))
    shutil.copy(ROOT / "__init__.py", tmp_path / "chidao" / "__init__.py")
    wrong = tmp_path / "chidao" / module
    wrong.write_text(wrong.read_text(encoding="utf-8") + f"\nimport {wrong_import}\n",
                     encoding="utf-8")
    line = len(wrong.read_text(encoding="utf-8").splitlines())
    done = lint_imports(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    found = contracts(done.stdout, "BROKEN")
    assert len(found) == len(broken), found
    for name in broken:
        assert any(contract.startswith(name) for contract in found), found
    source = "chidao." + module.removesuffix(".py").replace("/", ".")
    assert f"{source} -> {wrong_import} (l.{line})" in done.stdout  # read from the copy


WRITE_METHODS = {"add", "add_all", "commit", "delete", "merge", "flush", "bulk_save_objects",
                 "bulk_insert_mappings", "bulk_update_mappings"}
DML = {"insert", "update", "delete"}


def writes(source: str) -> list[str]:
    """What in `source` writes to the database: SQLAlchemy's insert/update/delete (imported,
    or called on a table or on the sqlalchemy module), the write helpers of chidao.db, and
    session methods that write (add, commit, delete, ...)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if (node.module.startswith(("sqlalchemy", "sqlmodel")) and alias.name in DML
                        or node.module.startswith("chidao.db")
                        and alias.name in {"transaction", "insert_rows", "insert_fanout",
                                           "update_rows"}):
                    found.append(f"l.{node.lineno} imports {node.module}.{alias.name}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method, receiver = node.func.attr, ast.unparse(node.func.value)
            if (method in WRITE_METHODS and "session" in receiver.lower()
                    or method in DML and ("table" in receiver or receiver in {"sa", "sqlalchemy"})):
                found.append(f"l.{node.lineno} calls {receiver}.{method}()")
        elif isinstance(node, ast.Name) and node.id == "transaction":
            found.append(f"l.{node.lineno} uses transaction")
    return found


def test_the_read_side_never_writes():
    found = {path.name: writes(path.read_text(encoding="utf-8"))
             for path in sorted((ROOT / "queries").glob("*.py"))}
    assert len(found) > 5  # the read side's modules were all read
    assert {name: w for name, w in found.items() if w} == {}


@pytest.mark.parametrize("source", [
    "from sqlalchemy import insert",
    "from sqlalchemy.dialects.postgresql import insert",
    "from sqlmodel import delete",
    "from chidao.db.database import transaction",
    "from chidao.db.bulk import insert_rows",
    "session.add(row)",
    "session.commit()",
    "self.session.delete(row)",
    "unit_table.update().values(name='x')",
    "sa.delete(unit_table)",
    "with transaction(engine) as session: pass",
])
def test_the_write_check_sees_each_way_of_writing(source):
    assert writes(source) != []


def test_the_write_check_lets_reads_and_plain_python_through():
    assert writes("from sqlalchemy import select\nrows = session.execute(select(t)).all()\n"
                  "counts.update(more)\nseen.add(3)\nwith reading(engine) as session: pass") == []


def chidao_imports(source: str) -> list[str]:
    """Modules of chidao (or of its rooms by their old top-level names) that `source` imports."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names.append("." * node.level + (node.module or ""))
    return [name for name in names if name.split(".")[0] in {"chidao", *ROOMS, ""}]


def test_the_migrations_import_no_live_code():
    versions = sorted((ROOT / "db" / "migrations" / "versions").glob("*.py"))
    assert len(versions) >= 10
    found = {path.name: chidao_imports(path.read_text(encoding="utf-8")) for path in versions}
    assert {name: imports for name, imports in found.items() if imports} == {}
    assert chidao_imports("import chidao.domain.dbtypes\nfrom domain import dbtypes") == [
        "chidao.domain.dbtypes", "domain"]


def shared_from_tests(path: Path) -> list[str]:
    """What `path` imports from a conftest or a test module (or a test imported by name)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            joined = base if base.endswith(".") else f"{base}."
            names = [base] + [f"{joined}{alias.name}" for alias in node.names]
        else:
            continue
        found += [name for name in names if name.split(".")[-1] == "conftest"
                  or name.split(".")[-1].startswith("test_")]
    return found


def test_tests_share_helpers_through_helper_modules_and_fixtures():
    modules = sorted((ROOT / "tests").rglob("*.py"))
    assert len(modules) > 40
    found = {str(path.relative_to(ROOT)): shared_from_tests(path) for path in modules}
    assert {name: imports for name, imports in found.items() if imports} == {}


def test_the_test_import_check_sees_conftest_and_test_modules(tmp_path):
    module = tmp_path / "test_x.py"
    module.write_text("from tests.conftest import at\n"
                      "from tests.integration.test_cascade import runs\n"
                      "import tests.e2e.test_browser\n"
                      "from . import conftest\n"
                      "from tests.support.cascade import at\n", encoding="utf-8")
    assert shared_from_tests(module) == [
        "tests.conftest", "tests.integration.test_cascade", "tests.e2e.test_browser", ".conftest"]
