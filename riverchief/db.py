"""One DuckDB connection per published version: a view per table over its Parquet files.

Paths come from the store, never from users; every value a user chooses is a bound parameter.
Each query runs on its own cursor, so threads (Streamlit sessions) can share the connection.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from riverchief import schema
from riverchief.sql import checked, load_sql
from riverchief.versions import Version


_SQL_TYPES = {"string": "VARCHAR", "double": "DOUBLE", "int32": "INTEGER", "bool": "BOOLEAN", "date32[day]": "DATE",
              "timestamp[s]": "TIMESTAMP"}


def _quote(path: str) -> str:
    return "'" + path.replace("'", "''") + "'"


class Database:
    def __init__(self, version: Version):
        self.version = version
        self._con = duckdb.connect(":memory:")
        for name in schema.TABLES:
            if name in schema.SNAPSHOT_TABLES or name in schema.SERIES_TABLES:
                files = version.path / name / "*" / "*.parquet"
            else:
                files = version.path / f"{name}.parquet"
            source = f"read_parquet({_quote(str(files))})"
            have = {row[0] for row in self._con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
            # a version written before a column existed: the column reads as empty, so queries written for the
            # current model run on it (until the next publish writes it whole)
            missing = "".join(f", CAST(NULL AS {_SQL_TYPES[str(t.type)]}) AS {t.name}" for t in schema.TABLES[name]
                              if t.name not in have)
            self._con.execute(f"CREATE VIEW {name} AS SELECT *{missing} FROM {source}")
        self._con.execute(load_sql("macros"))

    def query(self, name: str, **params) -> pd.DataFrame:
        """Run riverchief/sql/<name>.sql with its named parameters bound."""
        return self.execute(checked(name, params), **params)

    def query_large(self, name: str, **params) -> pd.DataFrame:
        """`query` for results of a million rows, through Arrow: 3.5× faster than `.df()` and a third less peak
        memory on a province's item trajectory. Column types follow Arrow (an untyped NULL column comes back as
        text), so a query moves here only once its columns are checked."""
        with self._con.cursor() as cur:
            return cur.sql(checked(name, params), params=params).to_arrow_table().to_pandas(date_as_object=False)

    def execute(self, sql: str, **params) -> pd.DataFrame:
        """Run one statement over the version's views (tests, benchmarks, ad-hoc checks)."""
        with self._con.cursor() as cur:
            return cur.execute(sql, params).df()
