"""The direction of imports, for the whole package: views -> ui -> store / ingest / tagging / geo.

Each part of ``dashboard`` may import only the parts listed for it in ``ALLOWED``; only the UI side
(``ui``, ``views``, ``app``) imports Streamlit; pages hold no SQL. A new part must be placed here.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dashboard"

LEAVES = {"vocab", "textnorm", "settings", "urls", "volume"}
PURE = LEAVES | {"names", "filters"}
# part -> the parts of dashboard it may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    "vocab": set(),
    "textnorm": set(),
    "settings": set(),
    "urls": set(),
    "volume": set(),
    "grouping": {"textnorm"},
    "indicator": set(),
    "names": {"geo", "vocab"},
    "filters": {"names", "vocab"},
    "geo": {"vocab", "textnorm"},
    "tagging": {"vocab", "textnorm"},
    "store": {"vocab", "filters", "textnorm", "names", "urls", "grouping", "indicator"},
    "ingest": PURE | {"tagging", "store", "geo"},
    "figures": PURE,
    "charts": PURE | {"store", "geo", "figures"},
    "export": PURE | {"store", "indicator"},
    "briefing": PURE | {"store", "geo", "figures", "charts", "export", "indicator"},
    "devserver": {"settings"},
    "cli_users": {"store", "vocab"},
    "__main__": PURE | {"cli_users", "store", "ingest", "tagging", "geo", "export", "briefing", "charts", "figures", "indicator"},
    "ui": PURE | {"store", "ingest", "tagging", "geo", "figures", "charts", "export", "briefing", "indicator"},
    "views": PURE | {"ui", "figures", "charts", "geo", "indicator"},
    "app": {"ui"},
    "__init__": set(),
}
STREAMLIT_ALLOWED = {"ui", "views", "app"}


def _part(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path) -> set[str]:
    """Top-level names imported by a file; ``dashboard.x`` (however written) as ``dashboard.x``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                names.add(".".join(parts[:2]) if parts[0] == "dashboard" else parts[0])
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: inside its own part
                names.add(f"dashboard.{_part(path)}")
            elif node.module == "dashboard":
                names.update(f"dashboard.{alias.name}" for alias in node.names)
            elif node.module:
                parts = node.module.split(".")
                names.add(".".join(parts[:2]) if parts[0] == "dashboard" else parts[0])
    return names


def _files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_part_is_placed():
    parts = {_part(p) for p in _files()}
    assert parts <= set(ALLOWED), f"place these parts in ALLOWED: {sorted(parts - set(ALLOWED))}"


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_one_way(path):
    part = _part(path)
    internal = {name.split(".")[1] for name in _imports(path) if name.startswith("dashboard.")} - {part}
    wrong = internal - ALLOWED[part]
    assert not wrong, f"dashboard/{path.relative_to(PACKAGE)} ({part}) may not import {sorted(wrong)}"
    if part not in STREAMLIT_ALLOWED:
        assert "streamlit" not in _imports(path), f"dashboard/{path.relative_to(PACKAGE)} imports streamlit"


def test_the_rules_catch_a_wrong_import(tmp_path):
    """The checker itself: a store module importing the UI is reported."""
    bad = PACKAGE / "store" / "_probe_wrong_way.py"
    bad.write_text("from dashboard.ui import data\nimport streamlit\n", encoding="utf-8")
    try:
        with pytest.raises(AssertionError, match="may not import"):
            test_imports_run_one_way(bad)
    finally:
        bad.unlink()


def test_importing_the_data_side_does_not_load_streamlit():
    code = (
        "import sys\n"
        "import dashboard.store, dashboard.store.queries, dashboard.ingest.pipeline, dashboard.tagging, dashboard.geo\n"
        "import dashboard.export, dashboard.__main__\n"
        "print('streamlit' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


def test_pages_hold_no_sql():
    for page in (PACKAGE / "views").glob("*.py"):
        imports = _imports(page)
        assert "sqlalchemy" not in imports and "sqlite3" not in imports, page.name
        source = page.read_text(encoding="utf-8")
        sql = re.search(r"\b(SELECT\s[^\n]*\sFROM|INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET)\b", source,
                        re.IGNORECASE)
        assert sql is None, f"{page.name} holds SQL: {sql.group(0) if sql else ''}"


def test_only_the_store_writes_sql():
    """Outside ``dashboard/store`` nothing builds statements on the store's tables."""
    builders = re.compile(r"\b(select|insert|update|delete)\(\s*s\.\w+|conn\.execute\(|exec_driver_sql\(")
    offenders = []
    for path in _files():
        if _part(path) == "store":
            continue
        source = path.read_text(encoding="utf-8")
        if "dashboard.store import schema" in source or builders.search(source):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert not offenders, f"SQL outside the store: {offenders}"


def test_only_filter_state_reads_the_address():
    """URL decoding lives in ``dashboard/ui/filter_state.py`` alone: no other file touches
    ``st.query_params`` (links are built with ``page_link(query_params=...)``, which only encodes)."""
    home = PACKAGE / "ui" / "filter_state.py"
    offenders = [str(path.relative_to(PACKAGE)) for path in _files()
                 if path != home and re.search(r"\bst\.query_params\b", path.read_text(encoding="utf-8"))]
    assert not offenders, f"URL state read or written outside filter_state: {offenders}"
