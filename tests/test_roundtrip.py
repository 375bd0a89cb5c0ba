"""The round trip that holds the import to generality: the demo district's tables written out as office files
by habit writers hypothesis combines at random (tests/habits.py), imported into an empty district, and
compared with the originals — every value comes back. A bounded number of examples runs in `make test`;
`ROUNDTRIP_EXAMPLES=200 .venv/bin/python -m pytest tests/test_roundtrip.py` runs longer, by hand."""
import datetime as dt
import os
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from habits import habits, office_files
from loaders.importer import prepare, publish
from loaders.issues import grouped_lines
from riverchief import publishing, versions

EXAMPLES = int(os.environ.get("ROUNDTRIP_EXAMPLES", "8"))


@pytest.fixture(scope="module")
def original(demo_dir):
    """A part of the demo: eight rivers (with their parents), their sections and tasks of the last notice, a
    year of their readings; every township and unit."""
    t = versions.read_tables(versions.current_version(demo_dir), carry=())
    rivers = t["rivers"].head(8)
    rivers = t["rivers"][t["rivers"]["river_id"].isin(set(rivers["river_id"]) | set(rivers["parent_river_id"].dropna()))]
    sections = t["sections"][t["sections"]["river_id"].isin(rivers["river_id"])]
    items = t["items"]
    notice = max(items["notice_date"])
    items = items[(items["notice_date"] == notice) & (items["list"] == "task") & items["river_id"].isin(rivers["river_id"])
                  & items["co_unit_ids"].isna() & items["co_river_ids"].isna()].head(25)
    readings = t["readings"][t["readings"]["section_id"].isin(sections["section_id"])  # a lab's monthly samples
                             & (t["readings"]["sampled_at"].dt.year == notice.year) & (t["readings"]["method"] == "手工")]
    return dict(townships=t["townships"], units=t["units"], rivers=rivers.reset_index(drop=True),
                sections=sections, items=items, readings=readings, notice=notice, district=t["district"]["name"].iloc[0])


def _rows(t: dict, wide: bool) -> dict[str, list]:
    """What must come back, by name (ids are the importer's to make)."""
    river = dict(zip(t["rivers"]["river_id"], t["rivers"]["name"]))
    unit = dict(zip(t["units"]["unit_id"], t["units"]["name"]))
    section = dict(zip(t["sections"]["section_id"], t["sections"]["name"]))
    r = t["readings"]
    day = (lambda d: dt.date(d.year, d.month, 1)) if wide else (lambda d: d.date())  # months across: the 1st
    return {
        "townships": sorted(t["townships"]["name"]),
        "units": sorted(zip(t["units"]["name"], t["units"]["kind"])),
        "rivers": sorted((n, lv, river.get(p), int(c)) for n, lv, p, c in
                         zip(t["rivers"]["name"], t["rivers"]["level"], t["rivers"]["parent_river_id"], t["rivers"]["target_class"])),
        "sections": sorted((n, river[rv], round(lo, 5), round(la, 5), int(c)) for n, rv, lo, la, c in
                           zip(t["sections"]["name"], t["sections"]["river_id"], t["sections"]["lon"], t["sections"]["lat"],
                               t["sections"]["target_class"])),
        "items": sorted((ti, river[rv], unit[u], s, d if isinstance(d, dt.date) else None, round(float(p), 3))
                        for ti, rv, u, s, d, p in zip(t["items"]["title"], t["items"]["river_id"], t["items"]["unit_id"],
                                                      t["items"]["start_date"], t["items"]["deadline"], t["items"]["progress"])),
        "readings": sorted((section[s], day(pd.Timestamp(d)), round(float(tp), 6), bool(tb), round(float(nh), 6), bool(nb))
                           for s, d, tp, tb, nh, nb in zip(r["section_id"], r["sampled_at"], r["tp"], r["tp_bdl"], r["nh3n"],
                                                           r["nh3n_bdl"])),
    }


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])
@given(h=habits())
def test_every_value_comes_back_whatever_the_habits(original, h):
    files = office_files(original, original["district"], original["notice"], h)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        publishing.init_district(root, original["district"])
        prepared = prepare(sorted(files.items()), root)
        assert prepared.ok, (h, grouped_lines(prepared.issues), [u.label for u in prepared.unknown])
        publish(prepared, root, "测试")
        version = versions.current_version(root)
        got = _rows({**versions.read_tables(version, carry=()), "readings": versions.read_tables(version, carry=())["readings"]},
                    wide=False)
        want = _rows(original, wide=h.readings == "wide")
        for table in want:
            assert got[table] == want[table], (table, h, [x for x in want[table] if x not in got[table]][:3],
                                               [x for x in got[table] if x not in want[table]][:3])
        again = prepare(list(reversed(sorted(files.items()))), root)  # the same files again, in another order
        assert again.unchanged, (h, again.changes)
