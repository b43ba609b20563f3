"""The data side never imports Streamlit; pages hold no SQL."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA_SIDE = ["store", "ingest", "tagging", "geo"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("part", DATA_SIDE)
def test_data_side_source_does_not_import_streamlit(part):
    folder = ROOT / "dashboard" / part
    files = list(folder.rglob("*.py"))
    assert files, f"dashboard/{part} has no Python files"
    offenders = [str(p.relative_to(ROOT)) for p in files if "streamlit" in _imports(p)]
    assert not offenders, f"these files import streamlit: {offenders}"


@pytest.mark.parametrize("module", ["figures.py", "charts.py", "export.py", "filters.py", "textnorm.py"])
def test_shared_modules_outside_ui_do_not_import_streamlit(module):
    """Figure builders, chart shaping and exports are shared by pages, briefings and the CLI."""
    assert "streamlit" not in _imports(ROOT / "dashboard" / module)


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
    for page in (ROOT / "dashboard" / "views").glob("*.py"):
        imports = _imports(page)
        assert "sqlalchemy" not in imports and "sqlite3" not in imports, page.name
        source = page.read_text(encoding="utf-8")
        sql = re.search(r"\b(SELECT\s[^\n]*\sFROM|INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET)\b", source,
                        re.IGNORECASE)
        assert sql is None, f"{page.name} holds SQL: {sql.group(0) if sql else ''}"
