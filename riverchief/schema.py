"""The data model: every table the store holds, its columns and their types.

Reference tables are one file each; `items` and `problems` are monthly snapshots (one partition per
notice date); `readings` is a time series (one partition per year); `readings_monthly` is the
aggregate built at publish time, so pages never scan raw readings. docs/DATA.md explains each column.
"""
from __future__ import annotations

import pyarrow as pa

S, F, I, B, D, T = pa.string(), pa.float64(), pa.int32(), pa.bool_(), pa.date32(), pa.timestamp("s")

TABLES: dict[str, pa.Schema] = {
    "district": pa.schema([("code", S), ("name", S), ("geom_wkt", S)]),
    "townships": pa.schema([("township_id", S), ("name", S), ("kind", S), ("geom_wkt", S)]),
    "units": pa.schema([("unit_id", S), ("name", S), ("kind", S), ("township_id", S)]),
    "rivers": pa.schema([
        ("river_id", S), ("name", S), ("level", S), ("length_km", F), ("lead_unit_id", S),
        ("chief", S), ("target_class", I), ("township_id", S), ("parent_river_id", S), ("geom_wkt", S),
    ]),
    "sections": pa.schema([
        ("section_id", S), ("name", S), ("river_id", S), ("township_id", S), ("lon", F), ("lat", F),
        ("water_body", S), ("target_class", I), ("control_level", S),
    ]),
    "items": pa.schema([
        ("notice_date", D), ("item_id", S), ("list", S), ("list_year", I), ("title", S),
        ("river_id", S), ("township_id", S), ("unit_id", S), ("start_date", D), ("deadline", D),
        ("target_qty", F), ("target_unit", S), ("done_qty", F), ("progress", F), ("status", S),
        ("done_date", D), ("funds_wan", F), ("funds_spent_wan", F), ("source", S), ("exposed", B),
        ("at_risk", B), ("at_risk_note", S), ("month_reported", B),
        # several units or rivers named in one cell: the first is unit_id / river_id, the others here (ids, "、")
        ("co_unit_ids", S), ("co_river_ids", S), ("funds_plan_wan", F), ("override_light", S),
        ("override_reason", S), ("override_by", S), ("override_at", T),
        ("light", S), ("light_reason", S), ("expected", F), ("lit_with", S), ("lit_tolerance", F),
    ]),
    "problems": pa.schema([
        ("notice_date", D), ("problem_id", S), ("title", S), ("source", S), ("chief_level", S),
        ("severity", S), ("river_id", S), ("township_id", S), ("unit_id", S), ("lon", F), ("lat", F),
        ("found_date", D), ("deadline", D), ("progress", F), ("status", S), ("rectified_date", D),
        ("closed_date", D), ("reopened_date", D), ("light", S), ("light_reason", S), ("lit_with", S),
        ("lit_tolerance", F),
    ]),
    # 回头看: re-inspections of closed problems; a relapse re-opens the problem (status 反弹重办).
    "lookbacks": pa.schema([("lookback_id", S), ("date", D), ("problem_id", S), ("result", S),
                            ("inspector", S), ("notes", S)]),
    # 巡河: every patrol by a river chief (区级 / 镇级 / 村级) and what it reported.
    "patrols": pa.schema([("patrol_id", S), ("date", D), ("chief", S), ("chief_level", S), ("river_id", S),
                          ("township_id", S), ("problems_reported", I), ("serious_reported", I)]),
    # 督办: instructions (批示), interviews of red-light unit heads (约谈), reminders of yellow-light units
    # (提醒) and written notices (通报) — who, when, on which unit and item.
    "supervision": pa.schema([
        ("record_id", S), ("kind", S), ("date", D), ("notice_date", D), ("unit_id", S), ("item_id", S),
        ("by_whom", S), ("person", S), ("content", S),
    ]),
    # Year-end inputs of the assessment (考核): the district chiefs' rating of each unit, and public
    # complaints that came back (repeated) while not rectified, or caused a negative impact.
    "ratings": pa.schema([("year", I), ("unit_id", S), ("rating", S), ("by_whom", S)]),
    "complaints": pa.schema([
        ("complaint_id", S), ("date", D), ("unit_id", S), ("river_id", S), ("title", S), ("repeated", B),
        ("rectified", B), ("negative_impact", B),
    ]),
    "readings": pa.schema([
        ("section_id", S), ("sampled_at", T), ("tp", F), ("tp_bdl", B), ("nh3n", F), ("nh3n_bdl", B),
        ("codmn", F), ("codmn_bdl", B), ("do", F),
        ("method", S),  # 手工 (a laboratory sample) or 自动 (an automatic station's value): readings by source
    ]),
    # The month's value of each factor per section, by the monthly rule (riverchief/water.monthly_values):
    # <f>_src says which source it came from (手工 / 自动), <f>_n how many samples or valid days are behind it.
    "readings_monthly": pa.schema([
        ("section_id", S), ("month", D), ("n", I), ("tp", F), ("nh3n", F), ("codmn", F), ("do", F),
        ("tp_bdl_n", I), ("nh3n_bdl_n", I), ("tp_class", I), ("nh3n_class", I), ("codmn_class", I),
        ("do_class", I), ("water_class", I), ("tp_src", S), ("nh3n_src", S), ("codmn_src", S), ("do_src", S),
        ("tp_n", I), ("nh3n_n", I), ("codmn_n", I), ("do_n", I),
    ]),
}

# How each table is laid out on disk inside a version.
# Computed at publish by the light rule, never supplied; a row whose facts did not change keeps them (lit_with:
# the rule's edition and tolerance that gave the light, in words; lit_tolerance: that tolerance).
COMPUTED_COLUMNS = ("light", "light_reason", "expected", "lit_with", "lit_tolerance")
SNAPSHOT_TABLES = ("items", "problems")  # items/notice=YYYY-MM-DD/part-0.parquet
SERIES_TABLES = ("readings",)  # readings/year=YYYY/part-0.parquet
DERIVED_TABLES = ("readings_monthly",)  # built by the store, never supplied
SOURCE_TABLES = tuple(t for t in TABLES if t not in DERIVED_TABLES)

# The three lists (三张清单) and their names as notices write them: the one home of both.
LIST_NAMES = {"major": "重大事项重大项目", "task": "“一河一策”任务", "problem": "突出问题整改"}
LISTS = tuple(LIST_NAMES)
SUPERVISION_KINDS = ("批示", "约谈", "提醒", "交办", "通报")  # 交办: a 督办通知（交办单） sent to a unit
