"""SQLite: the articles' full-text index without its own copy of the text (a contentless FTS5 table).

``articles_fts`` kept the normalised title and body of every article beside its index: 14 % of the
10k bench file (67 of 479 MB, 6.7 KB an article), read by nothing (the text filter and the ranking
use the index alone: ``MATCH``, ``rowid``, ``rank``; snippets come from ``articles.body``). The index is
rebuilt from that copy into a table made with ``content=''``, which holds the same index (the same
matches and BM25 ranks) and no text.

A contentless table cannot delete or update a row by itself: the store never deletes or edits an
article; a future one that does gives FTS5's ``'delete'`` command the normalised title and body
(``textnorm.normalise_for_search``) or, from SQLite 3.43 on, makes the table with
``contentless_delete=1``.

SQLite keeps the freed pages inside the file for later writes; ``VACUUM`` returns them to the disk
(then rebuild ``events_fts``: VACUUM may renumber the events' rowids, docs/data-model.md).
PostgreSQL: nothing to do (its search table holds only ``tsvector`` documents).

Revision ID: 0006
Revises: 0005
"""
from alembic import op
from sqlalchemy import text

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_TOKENIZE = "tokenize='unicode61 remove_diacritics 2'"


def _fts_sql(bind) -> str | None:
    return bind.execute(text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'articles_fts'")).scalar()


def _rebuild(content: str) -> None:
    op.execute(f"CREATE VIRTUAL TABLE articles_fts_rebuilt USING fts5(title, body, {content}{_TOKENIZE})")
    op.execute("INSERT INTO articles_fts_rebuilt(rowid, title, body) SELECT rowid, title, body FROM articles_fts")
    op.execute("DROP TABLE articles_fts")
    op.execute("ALTER TABLE articles_fts_rebuilt RENAME TO articles_fts")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    sql = _fts_sql(bind)
    if sql is None or "content=''" in sql.replace(" ", ""):
        return  # no index yet (the store makes a contentless one), or contentless already
    _rebuild("content='', ")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite" or _fts_sql(bind) is None:
        return
    # the text again, from the articles themselves (the index holds none): normalised as at ingest
    from dashboard.textnorm import normalise_for_search

    op.execute(f"CREATE VIRTUAL TABLE articles_fts_rebuilt USING fts5(title, body, {_TOKENIZE})")
    rows = bind.execute(text("SELECT id, title, body FROM articles")).all()
    bind.exec_driver_sql("INSERT INTO articles_fts_rebuilt(rowid, title, body) VALUES (?, ?, ?)",
                         [(i, normalise_for_search(t), normalise_for_search(b)) for i, t, b in rows])
    op.execute("DROP TABLE articles_fts")
    op.execute("ALTER TABLE articles_fts_rebuilt RENAME TO articles_fts")
