"""The floors of the code, read from the imports themselves: arrows only point down, folders on the same floor
never import each other, and a third-party package is imported only on the floors whose work it does — Streamlit
only where pages are drawn (README, "Code layout")."""
import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Higher imports lower; equal floors are siblings and stay apart. scripts/ and tests/ stand outside and may
# import any floor.
FLOORS = {"app": 4, "server": 4, "app_pages": 4, "ui": 3, "loaders": 2, "exports": 2, "rendering": 1, "riverchief": 0}
# Where each third-party package may be imported: drawing pages (Streamlit, the map), serving them, writing files
# for people (Word, PowerPoint, chart images), reading the office's files, the domain's engines. A package not
# named here, nor in EVERYWHERE, fails the test until it is given its floors.
ONLY_IN = {
    "streamlit": {"app", "server", "app_pages", "ui"}, "starlette": {"server"},
    "streamlit_folium": {"ui"}, "folium": {"ui"}, "branca": {"ui"}, "xstatic": {"ui"}, "js_lib_leaflet": {"ui"},
    "plotly": {"app_pages", "ui", "exports", "rendering"},
    "kaleido": {"exports"}, "docx": {"exports"}, "pptx": {"exports"}, "openpyxl": {"loaders", "exports", "rendering"},
    "python_calamine": {"loaders"}, "pandera": {"loaders"}, "geopandas": {"loaders"}, "pyogrio": {"loaders"},
    "pyproj": {"loaders"},
    "duckdb": {"riverchief"}, "sqlalchemy": {"riverchief"}, "alembic": {"riverchief"}, "pwdlib": {"riverchief"},
    "httpx": {"riverchief"},
}
EVERYWHERE = {"pandas", "numpy", "pyarrow", "shapely", "tomli_w", "coordTransform"}  # data and its formats


def _folder(path: Path) -> str:
    rel = path.relative_to(ROOT)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, top-level package) of every import in a file, inside functions too."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def wrong_way(paths) -> list[str]:
    out = []
    for path in paths:
        here = _folder(path)
        for line, target in imports_of(path):
            if target in FLOORS and target != here and FLOORS[target] >= FLOORS[here]:
                kind = "sideways" if FLOORS[target] == FLOORS[here] else "upward"
                out.append(f"{path.relative_to(ROOT)}:{line} imports {target} ({kind})")
            elif target not in FLOORS and target not in sys.stdlib_module_names and target not in EVERYWHERE \
                    and here not in ONLY_IN.get(target, ()):
                out.append(f"{path.relative_to(ROOT)}:{line} imports {target} (third-party, not on this floor)")
    return out


def _sources():
    return [ROOT / "app.py", ROOT / "server.py", *(p for folder in FLOORS if (ROOT / folder).is_dir()
                               for p in sorted((ROOT / folder).rglob("*.py")))]


def test_every_import_points_down():
    assert wrong_way(_sources()) == []


def test_every_folder_is_on_a_floor():
    """A new top-level package has to be given its floor here, or the test above would not see it."""
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert packages - set(FLOORS) - {"scripts", "tests"} == set()


@pytest.mark.parametrize("writer,source,kind", [
    ("riverchief/x.py", "from ui import strings\n", "upward"),
    ("exports/x.py", "def f():\n    import loaders.convert\n", "sideways"),
    ("rendering/x.py", "from exports.safe import clean\n", "upward"),
    ("riverchief/x.py", "import streamlit as st\n", "third-party, not on this floor"),
    ("loaders/x.py", "def f():\n    from streamlit import session_state\n", "third-party, not on this floor"),
    ("rendering/x.py", "import docx\n", "third-party, not on this floor"),
    ("ui/x.py", "import requests\n", "third-party, not on this floor"),  # not given its floors yet
])
def test_the_check_finds_a_wrong_import(tmp_path, monkeypatch, writer, source, kind):
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    path = tmp_path / writer
    path.parent.mkdir()
    path.write_text(source, encoding="utf-8")
    assert [w.split(" (")[1] for w in wrong_way([path])] == [f"{kind})"]


OUTSIDE_THE_FRAME = {"start.py", "recover.py"}  # shown before there is a data version to open a page on


@pytest.mark.parametrize("page", sorted(p.name for p in (ROOT / "app_pages").glob("*.py")))
def test_one_frame_call_opens_a_page(page):
    text = (ROOT / "app_pages" / page).read_text(encoding="utf-8")
    opens = text.count("frame.page(")
    assert opens == (0 if page in OUTSIDE_THE_FRAME else 1)
    assert "frame.header(" not in text and 'st.session_state["version"]' not in text


def test_the_readme_layout_names_every_module():
    """README's "Code layout" names every folder and module of the tree (a new file has to be said there)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Code layout"):readme.index("## Tests")]
    missing = [str(p.relative_to(ROOT)) for folder in [*FLOORS, "scripts"] if (ROOT / folder).is_dir()
               for p in sorted((ROOT / folder).glob("*.*")) if p.suffix in (".py", ".sh", ".toml")
               and p.stem not in ("__init__", "__main__") and p.name not in layout]
    assert missing == []
    assert all(f"{folder}/" in layout for folder in FLOORS if (ROOT / folder).is_dir())


def test_every_document_the_code_cites_is_in_the_repository():
    """`docs/DOMAIN.md §3` in a comment: the file exists and has that section."""
    cited = []
    for path in [*_sources(), *(ROOT / "riverchief" / "sql").glob("*.sql"), *(ROOT / "riverchief").glob("*.toml"),
                 *(ROOT / "scripts").glob("*.py"), *(ROOT / "tests").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        cited += [(path.name, doc, section) for doc, section in
                  re.findall(r"\b(?:docs/)?([A-Z][A-Za-z]+\.md|[a-z]+\.md)(?: (§\d+[a-z]?))?", text)
                  if doc != "README.md"]
    missing = []
    for where, doc, section in cited:
        target = ROOT / "docs" / doc
        if not target.is_file():
            missing.append(f"{where}: docs/{doc}")
        elif section and f"## {section} " not in target.read_text(encoding="utf-8"):
            missing.append(f"{where}: docs/{doc} {section}")
    assert len(cited) >= 10 and missing == []
