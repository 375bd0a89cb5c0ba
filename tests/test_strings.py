"""ui/strings.py: every UI string has one name — a name assigned twice silently relabels a column elsewhere
(目标 on the water table once read 目标量 because COL_TARGET was assigned twice)."""
import ast

from conftest import ROOT


def test_no_string_name_is_assigned_twice():
    tree = ast.parse((ROOT / "ui" / "strings.py").read_text(encoding="utf-8"))
    names = [t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)]
    twice = sorted({n for n in names if names.count(n) > 1})
    assert twice == []


def test_the_water_table_says_target_and_the_task_table_target_amount():
    from ui import strings as S

    assert (S.COL_TARGET, S.COL_TARGET_QTY) == ("目标", "目标量")
