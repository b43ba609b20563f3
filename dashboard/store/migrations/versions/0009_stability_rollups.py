"""The stability indicator counted ahead: ``developments.indicator`` and the rollups
``stability_months``, ``stability_values``, ``stability_due`` and ``stability_media``.

Before them the Overview counted the indicator's inputs from every report of the last twelve
months at each page view (at 100k articles 15 s for the countries and 7 s for the sub-national
units after every filter change, and about 0.8 s each for the overdue deadlines and GDELT's rows): now a filter of countries, dates and the confidence switch is
answered from a few thousand rows (``store.stability``).

The column is filled from each development's reports, the tables from the developments.

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _key_columns() -> list:
    return [sa.Column("level", sa.String(8), nullable=False), sa.Column("unit", sa.String(32), nullable=False),
            sa.Column("month", sa.String(7), nullable=False), sa.Column("shown", sa.Boolean, nullable=False)]


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    present = inspector.get_table_names()
    if "indicator" not in {c["name"] for c in inspector.get_columns("developments")}:
        op.add_column("developments", sa.Column("indicator", sa.Text))  # plain ADD COLUMN: no table rebuild
    if "stability_months" not in present:
        op.create_table("stability_months", *_key_columns(),
                        sa.Column("category", sa.String(32), nullable=False), sa.Column("n", sa.Integer, nullable=False),
                        sa.Column("fatalities", sa.Integer, nullable=False),
                        sa.Column("civilians", sa.Integer, nullable=False))
        op.create_index("ix_stability_months", "stability_months", ["level", "month"])
    if "stability_values" not in present:
        op.create_table("stability_values", *_key_columns(),
                        sa.Column("kind", sa.String(8), nullable=False), sa.Column("value", sa.Text, nullable=False),
                        sa.Column("n", sa.Integer, nullable=False))
        op.create_index("ix_stability_values", "stability_values", ["level", "month"])
    if "stability_due" not in present:
        op.create_table("stability_due", sa.Column("level", sa.String(8), nullable=False),
                        sa.Column("unit", sa.String(32), nullable=False), sa.Column("deadline", sa.Date, nullable=False),
                        sa.Column("shown", sa.Boolean, nullable=False), sa.Column("n", sa.Integer, nullable=False))
        op.create_index("ix_stability_due", "stability_due", ["level", "deadline"])
    if "stability_media" not in present:
        op.create_table("stability_media", *_key_columns(), sa.Column("n", sa.Integer, nullable=False),
                        sa.Column("conflict", sa.Integer, nullable=False),
                        sa.Column("goldstein_sum", sa.Float, nullable=False),
                        sa.Column("goldstein_n", sa.Integer, nullable=False),
                        sa.Column("tone_sum", sa.Float, nullable=False), sa.Column("tone_n", sa.Integer, nullable=False))
        op.create_index("ix_stability_media", "stability_media", ["level", "month"])
    from dashboard.store import developments, rollups

    developments.fill_indicator(bind)
    rollups.rebuild(bind)  # every rollup (0008's too)
    if bind.dialect.name == "sqlite":  # the planner's statistics for 0008's indexes: in full, since a
        # sampled ANALYZE (analysis_limit) guessed 401 developments per date precision and sent the
        # Overview's indicator through developments first (15 -> 37 s cold at 100k); 2 s at 100k
        op.execute("PRAGMA analysis_limit=0")
        for table in ("developments", "development_countries"):
            op.execute(f"ANALYZE {table}")


def downgrade() -> None:
    for table in ("stability_media", "stability_due", "stability_values", "stability_months"):
        op.drop_table(table)
    with op.batch_alter_table("developments") as batch:
        batch.drop_column("indicator")
