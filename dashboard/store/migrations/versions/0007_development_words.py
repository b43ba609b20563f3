"""The rare words by which a new report finds the developments it may join: ``development_words``
and ``development_word_counts``.

Before them, a new report was compared with every development of its country whose period met its
own: at the 10k bench 5.8 million comparisons per 1,000 articles, and a load slowed as the store
grew (39 articles a second at 10k; at 1M it would take days). Now a report is compared with the
stored developments that share a rare word with it (fewer than ``developments.RARE_BELOW`` leads
have it) or lie at a town on its day in its category; within one write, with every report of it.

Both tables are filled from every development's lead report.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    present = sa.inspect(bind).get_table_names()
    if "development_words" not in present:
        op.create_table(
            "development_words",
            sa.Column("word", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("development_id", sa.Integer, primary_key=True, autoincrement=False),
            sqlite_with_rowid=False,
        )
    if "development_word_counts" not in present:
        op.create_table(
            "development_word_counts",
            sa.Column("word", sa.Integer, nullable=False),
            sa.Column("year", sa.Integer, nullable=False),
            sa.Column("n", sa.Integer, nullable=False),
        )
        op.create_index("ix_development_word_counts", "development_word_counts", ["year", "word", "n"])
    from dashboard.store.developments import rebuild_words

    rebuild_words(bind)


def downgrade() -> None:
    op.drop_table("development_word_counts")
    op.drop_table("development_words")
