"""ui/strings.py: every UI string has one name — a name assigned twice silently relabels a column elsewhere
(目标 on the water table once read 目标量 because COL_TARGET was assigned twice)."""
import ast
import re

from conftest import ROOT


def _assigned() -> list[tuple[str, ast.expr]]:
    tree = ast.parse((ROOT / "ui" / "strings.py").read_text(encoding="utf-8"))
    return [(t.id, node.value) for node in tree.body if isinstance(node, ast.Assign)
            for t in node.targets if isinstance(t, ast.Name)]


def test_no_string_name_is_assigned_twice():
    names = [n for n, _ in _assigned()]
    twice = sorted({n for n in names if names.count(n) > 1})
    assert twice == []


def test_no_text_has_two_names():
    """The same words under two names drift apart; shared words are the vocabulary at the top."""
    by_text = {}
    for name, value in _assigned():
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            by_text.setdefault(value.value, []).append(name)
    assert {text: names for text, names in by_text.items() if len(names) > 1} == {}


def test_every_name_is_used_outside_the_file():
    code = "\n".join(p.read_text(encoding="utf-8") for p in ROOT.rglob("*.py")
                     if ".venv" not in p.parts and p != ROOT / "ui" / "strings.py")
    used = set(re.findall(r"\bS\.([A-Z][A-Z0-9_]*)", code))
    inner = (ROOT / "ui" / "strings.py").read_text(encoding="utf-8")
    unused = [n for n, _ in _assigned() if n not in used and len(re.findall(rf"\b{n}\b", inner)) < 2]
    assert unused == []


def test_the_water_table_says_target_and_the_task_table_target_amount():
    from ui import strings as S

    assert (S.COL_TARGET, S.COL_TARGET_QTY) == ("目标", "目标量")
