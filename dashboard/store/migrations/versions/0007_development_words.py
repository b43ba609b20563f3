"""The words by which a new report finds the developments it may join: ``development_words``.

Before it, a new report was compared with every development of its country whose period met its
own: at the 10k bench that was 5.8 million comparisons per 1,000 articles, and a load slowed as the
store grew (38 articles a second at 10k, hours at 1M). With the table, a report is compared only
with the developments that share enough words with it (prefix filtering, ``dashboard.grouping``) or
lie at a town on its day in its category: the same decisions, from short lists.

The table is filled from every development's lead report.

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
    if "development_words" not in sa.inspect(bind).get_table_names():
        op.create_table(
            "development_words",
            sa.Column("word", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("development_id", sa.Integer, primary_key=True, autoincrement=False),
            sqlite_with_rowid=False,
        )
    from dashboard.store.developments import rebuild_words

    rebuild_words(bind)


def downgrade() -> None:
    op.drop_table("development_words")
