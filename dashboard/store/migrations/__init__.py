"""Schema migrations of the store (Alembic): a baseline of schema version 5 and one revision per change since.

Applied by :func:`dashboard.store.engine.open_engine` (and ``python -m dashboard migrate``); a new change
of ``schema.py`` gets its own revision file in ``versions/`` (``NNNN_what.py``, ``down_revision`` the last
one), and ``tests/test_migrations.py`` checks that the migrations build exactly what ``schema.py`` says.
"""
