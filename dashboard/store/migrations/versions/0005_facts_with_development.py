"""The developments of a filter from one covering index: ``ix_events_id_facts_development`` (id,
dates, precision, status, category, position, verification, confidence, development_id) replaces
``ix_events_id_facts`` (the same without development_id).

The map, the timeline's band and the development counts ask which developments have a report in
the filter; under a country, place or topic filter the events come by id from the link tables, and
the old index lacked ``development_id``, so every one of them was read from the wide event row
(10k bench, BA + 2023: the map's located developments 143 -> 38 ms with the one-pass read).

Revision ID: 0005
Revises: 0004
"""
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_FACTS = ["id", "date_start", "date_end", "date_precision", "status", "category", "lat", "lon", "verification",
          "confidence"]


def _statistics(name: str) -> None:
    """SQLite: planner statistics for the new index (without them it may read the wide rows instead).
    Not sampled: a sampled count of the index's rows becomes the planner's count of the table's rows,
    and an estimate below the true count (87,032 of 141,393 at 10k) made it scan the whole table for
    a dataset absent from it (90 ms a page instead of 0.2)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ANALYZE {name}")


def upgrade() -> None:
    op.create_index("ix_events_id_facts_development", "events", [*_FACTS, "development_id"], unique=True,
                    if_not_exists=True)
    op.drop_index("ix_events_id_facts", table_name="events", if_exists=True)
    _statistics("ix_events_id_facts_development")


def downgrade() -> None:
    op.create_index("ix_events_id_facts", "events", _FACTS, unique=True)
    op.drop_index("ix_events_id_facts_development", table_name="events")
    _statistics("ix_events_id_facts")
