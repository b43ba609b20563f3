"""Developments counted ahead: ``developments.countries`` and ``developments.shown``, the narrow
``development_countries`` index, and the rollups ``development_months`` and ``development_cells``.

Before them, every page that counted the developments of a filter read every development it held
(at 100k articles the map took 1.5-2.2 s after a filter change, the timeline 2.2-3.3 s): now a
filter of countries and whole months is answered from a few thousand rows (``store.rollups``).

The lead report's tracker fields go on its development (``outcome_event_id``, ``tracker_status``,
``first_deadline``): the Expected page counts and pages the expected developments from one index.

The new columns are filled from each development's reports, the tables from the developments.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _rollup_columns() -> list:
    return [sa.Column("countries", sa.Text, nullable=False), sa.Column("month_start", sa.String(7), nullable=False),
            sa.Column("month_end", sa.String(7), nullable=False), sa.Column("shown", sa.Boolean, nullable=False),
            sa.Column("n", sa.Integer, nullable=False)]


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    present = inspector.get_table_names()
    columns = {c["name"] for c in inspector.get_columns("developments")}
    # plain ADD COLUMN (no table rebuild on SQLite: a million developments stay where they are)
    if "countries" not in columns:
        op.add_column("developments", sa.Column("countries", sa.Text))
    if "shown" not in columns:
        op.add_column("developments", sa.Column("shown", sa.Boolean, nullable=False, server_default=sa.text("true")))
    for name, kind in (("outcome_event_id", sa.String(120)), ("tracker_status", sa.String(16)),
                       ("first_deadline", sa.Date)):
        if name not in columns:
            op.add_column("developments", sa.Column(name, kind))
    indexes = {i["name"] for i in inspector.get_indexes("developments")}
    if "ix_developments_expected" not in indexes:
        op.create_index("ix_developments_expected", "developments",
                        [sa.text("significance DESC"), "date_end", "lead_event_id", "shown", "outcome_event_id",
                         "tracker_status", "first_deadline"], sqlite_where=sa.text("status = 'expected'"),
                        postgresql_where=sa.text("status = 'expected'"))
    if "ix_developments_order" not in {i["name"] for i in inspector.get_indexes("developments")}:
        op.create_index("ix_developments_order", "developments",
                        [sa.text("significance DESC"), sa.text("date_start DESC"), "id", "shown"])
    if "development_countries" not in present:
        op.create_table(
            "development_countries",
            sa.Column("country", sa.String(8), nullable=False),
            sa.Column("date_start", sa.Date),
            sa.Column("date_end", sa.Date),
            sa.Column("shown", sa.Boolean, nullable=False),
            sa.Column("development_id", sa.Integer, nullable=False),
        )
        op.create_index("ix_development_countries", "development_countries",
                        ["country", "date_start", "date_end", "shown", "development_id"])
        op.create_index("ix_development_countries_development", "development_countries", ["development_id"])
    if "development_months" not in present:
        op.create_table("development_months", *_rollup_columns(),
                        sa.Column("category", sa.String(32), nullable=False),
                        sa.Column("reports", sa.Integer, nullable=False))
    if "development_cells" not in present:
        op.create_table("development_cells", *_rollup_columns(),
                        sa.Column("cell_row", sa.Integer, nullable=False),
                        sa.Column("cell_col", sa.Integer, nullable=False),
                        sa.Column("lat_sum", sa.Float, nullable=False), sa.Column("lon_sum", sa.Float, nullable=False),
                        sa.Column("sources", sa.Integer, nullable=False),
                        sa.Column("fatalities", sa.Integer, nullable=False))
    from dashboard.store import rollups

    rollups.fill_facts(bind)
    op.execute("UPDATE developments SET (outcome_event_id, tracker_status, first_deadline) = "
               "(SELECT e.outcome_event_id, e.tracker_status, e.first_deadline FROM events e "
               "WHERE e.id = developments.lead_event_id)")
    # the tables are written from the developments by 0009, which comes with it: the code that writes
    # them writes the indicator's rollups too, which need 0009's column (and so does the planner's
    # ANALYZE of the new index, after they are written)


def downgrade() -> None:
    for table in ("development_cells", "development_months", "development_countries"):
        op.drop_table(table)
    op.drop_index("ix_developments_order", "developments")
    op.drop_index("ix_developments_expected", "developments")
    with op.batch_alter_table("developments") as batch:
        for name in ("first_deadline", "tracker_status", "outcome_event_id", "shown", "countries"):
            batch.drop_column(name)
