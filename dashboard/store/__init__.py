"""The store: schema, engine, writes and queries. No Streamlit import here."""

from dashboard.store.engine import (
    DatabaseBusy,
    QueryTimeout,
    SchemaMismatch,
    create_schema,
    is_sqlite,
    open_engine,
)

__all__ = ["DatabaseBusy", "QueryTimeout", "SchemaMismatch", "create_schema", "is_sqlite", "open_engine"]
