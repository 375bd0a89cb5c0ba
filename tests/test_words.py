"""No page shows a word the user did not ask for: no `None`, `nan` or `NaT` from a missing value, and none of
Streamlit's English defaults. Every page for every role with AppTest (each table's missing-value text set and
its cells), and in Chromium the text a browser draws around the widgets (the file uploader's words)."""
import re

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, signed_in
from riverchief import access

APP = str(ROOT / "app.py")
MISSING = re.compile(r"(?<![A-Za-z])(None|nan|NaN|NaT|null|undefined)(?![A-Za-z])")
ENGLISH = re.compile(r"Upload|Browse files|per file|Drag and drop|Press Enter|Choose an option|No results|"
                     r"Select all|Clear all|Add row|Delete|Download|Search|Running|Error|Traceback")
PAGES = ("light_board", "glance", "meeting", "item", "progress", "water", "river_map", "score", "report", "rounds",
         "data_admin", "accounts", "audit")


def _elements(node):
    for child in getattr(node, "children", {}).values():
        yield child
        yield from _elements(child)


def _texts(at) -> list[tuple[str, str]]:
    """(what, text) of everything a page put on screen but the tables' cells."""
    out = []
    for root in (at.main, at.sidebar):
        for e in _elements(root):
            proto = getattr(e, "proto", None)
            if proto is None or e.type in ("dataframe", "arrow_data_frame"):
                continue
            for field in ("body", "label", "value", "help", "placeholder", "delta", "text"):
                value = getattr(proto, field, None)
                if isinstance(value, str) and value:
                    out.append((f"{e.type}.{field}", value))
            for option in getattr(proto, "options", []) or []:
                if isinstance(option, str):
                    out.append((f"{e.type}.option", option))
    return out


def _tables(at) -> list:
    return [e for root in (at.main, at.sidebar) for e in _elements(root) if e.type in ("dataframe", "arrow_data_frame")]


def _round(monkeypatch, root):
    """July's round with an entry returned and one accepted, so the round's pages show every part."""
    import datetime as dt

    from riverchief.access import Principal
    from riverchief.office import rounds
    from riverchief.reporting import Report

    monkeypatch.setenv("RIVERBOARD_DATA_DIR", str(root))
    office = Principal("hzb", "区河长办", access.OFFICE)
    rnd = rounds.open_round(office, root, dt.date(2023, 7, 31), dt.date(2027, 8, 5))
    rounds.save(Principal("slj", "区水利局", access.UNIT, "D1"), root, rnd["id"], {("item", "B"): Report(progress=0.3)},
                submit=True)
    e = rounds.entries(rnd["id"], "D1").iloc[0]
    rounds.review(office, int(e["id"]), int(e["row_version"]), False, "请核实")


@pytest.mark.parametrize("role,unit", [(access.OFFICE, None), (access.UNIT, "D1"), (access.LEADER, None),
                                       (access.ANALYST, None)])
def test_every_page_in_plain_chinese_for_every_role(monkeypatch, tiny_dir, role, unit):
    _round(monkeypatch, tiny_dir)
    at = signed_in(AppTest.from_file(APP, default_timeout=60), role, unit)
    at.run()
    seen = 0
    for page in PAGES:
        try:
            at.switch_page(f"app_pages/{page}.py")
        except ValueError:
            continue  # not the role's page
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        said = [(w, t[max(0, m.start() - 60):m.end() + 20]) for w, t in _texts(at)
                for m in [MISSING.search(t) or ENGLISH.search(t)] if m]
        assert said == [], (page, said[:5])
        for table in _tables(at):
            assert table.proto.HasField("placeholder") and table.proto.placeholder in ("", "—"), (page, "placeholder")
            frame = table.value
            for col in frame.columns:
                if frame[col].dtype == object or str(frame[col].dtype) in ("str", "string"):
                    bad = [v for v in frame[col].dropna() if isinstance(v, str) and MISSING.fullmatch(v.strip())]
                    assert bad == [], (page, col, bad[:3])
        seen += 1
    assert seen >= 6
