"""docs/configuration.md names every environment setting that dieuhanh/settings.py (and gunicorn.conf.py) reads.

Settings are added often (security, logging, backups, caching); this test keeps the page true. It reads settings.py
as source (not the loaded module): a setting read only when another is set (say, inside `if not DEBUG:`) is found
too. The names found are those read through `os.environ.get(...)`, `os.getenv(...)`, `os.environ[...]`,
`"NAME" in os.environ`, and any helper of settings.py whose name starts with `env` (`env_bool("DEBUG", ...)`) — in
settings.py and in the project's modules it imports from (`from dieuhanh.ops.logs import log_format_from_env` reads
LOG_FORMAT there).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "dieuhanh" / "settings.py"
GUNICORN = ROOT / "gunicorn.conf.py"  # the production server's settings, from the environment too
CONFIGURATION = ROOT / "docs" / "configuration.md"


def _is_environ(node: ast.AST) -> bool:
    """`os.environ` (or a bare `environ` imported from os)."""
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ")


def _text(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def env_names(source: str) -> set[str]:
    """The environment variables a settings module's source reads."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            reads = (
                (isinstance(func, ast.Attribute) and func.attr in {"get", "pop", "setdefault"}
                 and _is_environ(func.value))
                or (isinstance(func, ast.Attribute) and func.attr == "getenv")
                or (isinstance(func, ast.Name) and (func.id.startswith("env") or func.id == "getenv"))
            )
            if reads and _text(node.args[0]):
                names.add(_text(node.args[0]))
        elif isinstance(node, ast.Subscript) and _is_environ(node.value) and _text(node.slice):
            names.add(_text(node.slice))
        elif (isinstance(node, ast.Compare) and _text(node.left) and len(node.comparators) == 1
              and isinstance(node.ops[0], ast.In | ast.NotIn) and _is_environ(node.comparators[0])):
            names.add(_text(node.left))
    return names


def imported_project_modules(source: str) -> list[Path]:
    """The files of the `dieuhanh.*` modules a source imports from."""
    paths = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "dieuhanh":
            base = ROOT.joinpath(*node.module.split("."))
            paths += [p for p in (base.with_suffix(".py"), base / "__init__.py") if p.exists()]
    return paths


def settings_env_names() -> set[str]:
    names: set[str] = set()
    for path in (SETTINGS, GUNICORN):
        if not path.exists():
            continue
        source = path.read_text(encoding="utf-8")
        names |= env_names(source)
        for module in imported_project_modules(source):
            names |= env_names(module.read_text(encoding="utf-8"))
    return names


def documented_names(markdown: str) -> set[str]:
    """Names written as code (`NAME`) on the page."""
    return set(re.findall(r"`([A-Z][A-Z0-9_]*)`", markdown))


def test_it_finds_every_way_settings_read_the_environment():
    source = '''
import os
from os import environ
def env_bool(name, default): return os.environ.get(name, str(default)) == "1"
def env_int(name, default): return int(os.environ.get(name, default))
A = os.environ.get("A_GET", "x")
B = os.environ["B_ITEM"]
C = env_bool("C_BOOL", False)
D = env_int("D_INT", 3)
E = os.getenv("E_GETENV")
if "F_IN" in os.environ: pass
G = environ.get("G_BARE")
H = {"not": "an env name"}.get("H_DICT")
'''
    assert env_names(source) == {"A_GET", "B_ITEM", "C_BOOL", "D_INT", "E_GETENV", "F_IN", "G_BARE"}


def test_it_reads_the_real_settings():
    names = settings_env_names()
    # Read in three different ways by settings.py today: if these are not found, the parser is broken.
    assert {"DATABASE_URL", "DEBUG", "REDIS_URL", "SECRET_KEY", "LOGIN_FAILURE_LIMIT"} <= names


def test_it_documents_every_setting():
    names = settings_env_names()
    missing = sorted(names - documented_names(CONFIGURATION.read_text(encoding="utf-8")))
    assert not missing, (
        f"dieuhanh/settings.py (or gunicorn.conf.py) reads {', '.join(missing)} from the environment, but "
        "docs/configuration.md does not name it: add a row (default and meaning) to its group there.")
