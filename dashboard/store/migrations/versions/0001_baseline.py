"""Baseline: the schema as release 5 made it (``meta.schema_version`` 5), the SQLite full-text indexes included.

A store made by that release is stamped at this revision without change; an empty one is built by it.
Frozen: later changes are later revisions.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_SQLITE_FTS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5(search_text, content='events', "
    "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS events_fts_ad AFTER DELETE ON events BEGIN "
    "INSERT INTO events_fts(events_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS events_fts_au AFTER UPDATE OF search_text ON events BEGIN "
    "INSERT INTO events_fts(events_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); "
    "INSERT INTO events_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END",
]


def upgrade() -> None:

    op.create_table('articles',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('outlet', sa.Text(), nullable=True),
    sa.Column('published', sa.Date(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('word_count', sa.Integer(), nullable=False),
    sa.Column('imported_from', sa.Text(), nullable=True),
    sa.Column('ingested_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('content_hash'),
    sa.UniqueConstraint('url')
    )
    op.create_index('ix_articles_published', 'articles', ['published'], unique=False)
    op.create_table('developments',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('date_start', sa.Date(), nullable=True),
    sa.Column('date_end', sa.Date(), nullable=True),
    sa.Column('date_precision', sa.String(length=8), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('lead_event_id', sa.String(length=120), nullable=True),
    sa.Column('n_events', sa.Integer(), nullable=False),
    sa.Column('n_sources', sa.Integer(), nullable=False),
    sa.Column('fatalities', sa.Integer(), nullable=True),
    sa.Column('verification', sa.String(length=16), nullable=False),
    sa.Column('is_key', sa.Boolean(), nullable=False),
    sa.Column('grouping', sa.String(length=16), nullable=False),
    sa.Column('significance', sa.Float(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_developments_dates', 'developments', ['date_precision', 'date_start'], unique=False)
    op.create_index('ix_developments_lead', 'developments', ['lead_event_id'], unique=False)
    op.create_index('ix_developments_significance', 'developments', ['significance'], unique=False)
    op.create_table('edits',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('entity', sa.String(length=16), nullable=False),
    sa.Column('record_id', sa.String(length=120), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('editor', sa.String(length=120), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_edits_record', 'edits', ['entity', 'record_id'], unique=False)
    op.create_table('feeds',
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('etag', sa.Text(), nullable=True),
    sa.Column('last_modified', sa.Text(), nullable=True),
    sa.Column('last_poll', sa.DateTime(), nullable=True),
    sa.Column('last_success', sa.DateTime(), nullable=True),
    sa.Column('items_added', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('url')
    )
    op.create_table('meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('article_bands',
    sa.Column('band', sa.BigInteger(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.UniqueConstraint('band', 'article_id', name='uq_article_band')
    )
    op.create_index('ix_article_bands_article', 'article_bands', ['article_id'], unique=False)
    op.create_table('article_links',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('other_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('shared_bands', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['other_id'], ['articles.id'], ondelete='CASCADE'),
    sa.UniqueConstraint('article_id', 'other_id', 'kind', name='uq_article_link')
    )
    op.create_table('article_tags',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('label', sa.Text(), nullable=True),
    sa.Column('span_start', sa.Integer(), nullable=True),
    sa.Column('span_end', sa.Integer(), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.Column('role', sa.Text(), nullable=True),
    sa.Column('mentions', sa.Integer(), nullable=False),
    sa.Column('verification', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.UniqueConstraint('article_id', 'kind', 'value', name='uq_article_tag')
    )
    op.create_index('ix_article_tags_kind_value', 'article_tags', ['kind', 'value', 'article_id'], unique=False)
    op.create_table('events',
    sa.Column('id', sa.String(length=120), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('date_start', sa.Date(), nullable=True),
    sa.Column('date_end', sa.Date(), nullable=True),
    sa.Column('date_precision', sa.String(length=8), nullable=True),
    sa.Column('date_text', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=True),
    sa.Column('location', sa.Text(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('geo_precision', sa.String(length=16), nullable=True),
    sa.Column('source_url', sa.Text(), nullable=True),
    sa.Column('source_name', sa.Text(), nullable=True),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('evidence_start', sa.Integer(), nullable=True),
    sa.Column('verification', sa.String(length=16), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('imported_from', sa.Text(), nullable=True),
    sa.Column('review_flag', sa.Text(), nullable=True),
    sa.Column('outcome_event_id', sa.String(length=120), nullable=True),
    sa.Column('tracker_status', sa.String(length=16), nullable=True),
    sa.Column('first_deadline', sa.Date(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('dataset', sa.String(length=16), server_default='import', nullable=False),
    sa.Column('source_id', sa.String(length=120), nullable=True),
    sa.Column('event_type', sa.Text(), nullable=True),
    sa.Column('sub_event_type', sa.Text(), nullable=True),
    sa.Column('fatalities', sa.Integer(), nullable=True),
    sa.Column('num_sources', sa.Integer(), nullable=True),
    sa.Column('source_updated', sa.BigInteger(), nullable=True),
    sa.Column('attributes', sa.Text(), nullable=True),
    sa.Column('pending_version', sa.Text(), nullable=True),
    sa.Column('development_id', sa.Integer(), nullable=True),
    sa.Column('cues', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['development_id'], ['developments.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_events_article', 'events', ['article_id'], unique=False)
    op.create_index('ix_events_category', 'events', ['category'], unique=False)
    op.create_index('ix_events_dataset', 'events', ['dataset', 'date_start'], unique=False)
    op.create_index('ix_events_date', 'events', ['date_start', 'date_end'], unique=False)
    op.create_index('ix_events_development', 'events', ['development_id'], unique=False)
    op.create_index('ix_events_id_facts', 'events', ['id', 'date_start', 'date_end', 'date_precision', 'status', 'category', 'lat', 'lon', 'verification', 'confidence'], unique=True)
    op.create_index('ix_events_located', 'events', ['lat', 'lon', 'category'], unique=False)
    op.create_index('ix_events_precision_date', 'events', ['date_precision', 'date_start', 'date_end'], unique=False)
    op.create_index('ix_events_status_deadline', 'events', ['status', 'date_end'], unique=False)
    op.create_table('event_actors',
    sa.Column('event_id', sa.String(length=120), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
    sa.UniqueConstraint('event_id', 'actor', name='uq_event_actors')
    )
    op.create_index('ix_event_actors_actor', 'event_actors', ['actor', 'event_id'], unique=False)
    op.create_table('event_countries',
    sa.Column('event_id', sa.String(length=120), nullable=False),
    sa.Column('country', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
    sa.UniqueConstraint('event_id', 'country', name='uq_event_countries')
    )
    op.create_index('ix_event_countries_country', 'event_countries', ['country', 'event_id'], unique=False)
    op.create_table('event_places',
    sa.Column('event_id', sa.String(length=120), nullable=False),
    sa.Column('place', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
    sa.UniqueConstraint('event_id', 'place', name='uq_event_places')
    )
    op.create_index('ix_event_places_place', 'event_places', ['place', 'event_id'], unique=False)
    op.create_table('event_topics',
    sa.Column('event_id', sa.String(length=120), nullable=False),
    sa.Column('topic', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
    sa.UniqueConstraint('event_id', 'topic', name='uq_event_topics')
    )
    op.create_index('ix_event_topics_topic', 'event_topics', ['topic', 'event_id'], unique=False)
    op.execute(sa.text("INSERT INTO meta (key, value) VALUES ('schema_version', '5')"))
    if op.get_bind().dialect.name == "sqlite":
        for ddl in _SQLITE_FTS:
            op.execute(ddl)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("events_fts_au", "events_fts_ad"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for name in ("events_fts", "articles_fts"):
            op.execute(f"DROP TABLE IF EXISTS {name}")
    op.drop_index('ix_event_topics_topic', table_name='event_topics')
    op.drop_table('event_topics')
    op.drop_index('ix_event_places_place', table_name='event_places')
    op.drop_table('event_places')
    op.drop_index('ix_event_countries_country', table_name='event_countries')
    op.drop_table('event_countries')
    op.drop_index('ix_event_actors_actor', table_name='event_actors')
    op.drop_table('event_actors')
    op.drop_index('ix_events_status_deadline', table_name='events')
    op.drop_index('ix_events_precision_date', table_name='events')
    op.drop_index('ix_events_located', table_name='events')
    op.drop_index('ix_events_id_facts', table_name='events')
    op.drop_index('ix_events_development', table_name='events')
    op.drop_index('ix_events_date', table_name='events')
    op.drop_index('ix_events_dataset', table_name='events')
    op.drop_index('ix_events_category', table_name='events')
    op.drop_index('ix_events_article', table_name='events')
    op.drop_table('events')
    op.drop_index('ix_article_tags_kind_value', table_name='article_tags')
    op.drop_table('article_tags')
    op.drop_table('article_links')
    op.drop_index('ix_article_bands_article', table_name='article_bands')
    op.drop_table('article_bands')
    op.drop_table('meta')
    op.drop_table('feeds')
    op.drop_index('ix_edits_record', table_name='edits')
    op.drop_table('edits')
    op.drop_index('ix_developments_significance', table_name='developments')
    op.drop_index('ix_developments_lead', table_name='developments')
    op.drop_index('ix_developments_dates', table_name='developments')
    op.drop_table('developments')
    op.drop_index('ix_articles_published', table_name='articles')
    op.drop_table('articles')
