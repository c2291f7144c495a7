"""The house shape, checked on every test run: small modules, one place that commits, a light CLI.

(The import direction is import-linter's job: `lint-imports` in CI.)
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import fanzha

SRC = Path(fanzha.__file__).parent
MAX_LINES = 400
# Modules allowed past the limit, each with the reason it is better whole. Keep this empty if you can.
LONG_MODULES: dict[str, str] = {}
# Libraries a command imports when it runs, never when the CLI starts (`fanzha --help`).
HEAVY = ("sqlalchemy", "alembic", "polars", "numpy", "scipy", "sklearn", "fastapi", "starlette", "httpx")
HEAVY += ("matplotlib", "uvicorn", "pydantic_settings", "psycopg", "fanzha.text.model", "fanzha.uow")


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def test_no_module_passes_the_line_limit() -> None:
    too_long = {
        str(p.relative_to(SRC)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert {k: v for k, v in too_long.items() if k not in LONG_MODULES} == {}
    assert set(LONG_MODULES) <= set(too_long), "an exception that no longer needs to be one"


def test_only_the_unit_of_work_commits() -> None:
    """Services stage; the unit of work commits (edges call `uow.commit()`); nothing calls the session's."""
    committing = {
        str(p.relative_to(SRC))
        for p in _modules()
        if re.search(r"\bsession\.commit\(|\bconnection\.commit\(", p.read_text(encoding="utf-8"))
    }
    assert committing == {"uow.py"}


def test_domains_never_commit() -> None:
    domains = ("warning", "dispatch", "funds", "auth", "audit", "event", "detection", "risk")
    found = [
        str(p.relative_to(SRC))
        for name in domains
        for p in (SRC / name).rglob("*.py")
        if ".commit(" in p.read_text(encoding="utf-8")
    ]
    assert found == []


def test_the_cli_starts_without_the_heavy_libraries() -> None:
    """`fanzha --help` builds every command; none of them may import a heavy library to do so."""
    code = "import sys, fanzha.cli.main; print(' '.join(sorted(sys.modules)))"
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        ).stdout.split()
    )
    assert sorted(m for m in HEAVY if m in loaded) == []
