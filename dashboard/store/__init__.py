"""The store: schema, engine, writes and queries. No Streamlit import here."""

from dashboard.store.engine import QueryTimeout, SchemaMismatch, create_schema, is_sqlite, open_engine

__all__ = ["QueryTimeout", "SchemaMismatch", "create_schema", "is_sqlite", "open_engine"]
