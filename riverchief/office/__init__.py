"""The office's transactional store: accounts, login sessions, the monthly reporting round and the audit
log. SQLite in the data folder by default, PostgreSQL when the office gives a URL; the schema is made
and changed by Alembic migrations (migrations/), never by hand-written DDL."""
