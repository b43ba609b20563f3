"""Tables of the store (SQLAlchemy Core). Portable between SQLite and PostgreSQL.

The codebook for every field is ``docs/data-model.md``.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, unique=True, nullable=True),
    Column("title", Text, nullable=False),
    Column("outlet", Text),
    Column("published", Date, nullable=True),
    Column("language", String(8)),
    Column("body", Text, nullable=False),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("word_count", Integer, nullable=False, default=0),
    Column("imported_from", Text),
    Column("ingested_at", DateTime, nullable=False),
    Index("ix_articles_published", "published"),
)

article_tags = Table(
    "article_tags",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("value", Text, nullable=False),
    Column("label", Text),
    Column("span_start", Integer),
    Column("span_end", Integer),
    Column("confidence", Float, nullable=False, default=1.0),
    Column("is_primary", Boolean, nullable=False, default=False),
    Column("role", Text),
    Column("mentions", Integer, nullable=False, default=1),
    Column("verification", String(16), nullable=False, default="machine"),
    UniqueConstraint("article_id", "kind", "value", name="uq_article_tag"),
    Index("ix_article_tags_kind_value", "kind", "value", "article_id"),
)

#: One development: the events that report it (from several articles, curated events, datasets),
#: with what the best-supported of them says. Kept by ``store.developments``.
developments = Table(
    "developments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", Text, nullable=False),
    Column("summary", Text),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("date_precision", String(8)),
    Column("status", String(16), nullable=False),
    Column("category", String(32)),
    Column("lat", Float),
    Column("lon", Float),
    Column("lead_event_id", String(120)),  # the best-supported report: title, date and place come from it
    Column("n_events", Integer, nullable=False, default=1),
    Column("n_sources", Integer, nullable=False, default=1),  # independent sources (outlets, datasets)
    Column("fatalities", Integer),
    Column("verification", String(16), nullable=False),  # the strongest of its reports'
    Column("is_key", Boolean, nullable=False, default=False),  # flagged by an analyst as a key development
    Column("grouping", String(16), nullable=False, default="machine"),  # "machine" until an analyst confirms
    Column("significance", Float, nullable=False, default=0.0),
    Column("updated_at", DateTime, nullable=False),
    # the countries its reports name (codes in order, space-separated; "" for none): what a country
    # filter tests, and the rollups' key. NULL only between a bare insert and its refresh (not counted
    # in the rollups yet).
    Column("countries", Text),
    # whether any of its reports passes the shown-confidence rule (a filter hides it otherwise)
    Column("shown", Boolean, nullable=False, default=True, server_default=text("true")),
    # the lead report's tracker fields (an expected development's state: ``store.tracker``)
    Column("outcome_event_id", String(120)),
    Column("tracker_status", String(16)),
    Column("first_deadline", Date),
    # what it adds to the stability indicator (``rollups.indicator_text``: JSON, its units with their
    # locations and actors, its deadline's units, its GDELT rows); NULL when it adds nothing
    Column("indicator", Text),
    Index("ix_developments_significance", "significance"),
    Index("ix_developments_dates", "date_precision", "date_start"),  # candidates for a new report
    Index("ix_developments_lead", "lead_event_id"),
)

#: The order of every list of developments (the most significant first, then the newest): a page of
#: them is the index's first rows, not a sort of all that the filter holds (no filter at 100k: 450 ms -> 1 ms).
Index("ix_developments_order", developments.c.significance.desc(), developments.c.date_start.desc(),
      developments.c.id, developments.c.shown)
#: The expected developments in the Expected page's order, with what their state is made of (partial:
#: expected ones only): a state's first page is the first of its rows here, no sort of all of them.
_EXPECTED = text("status = 'expected'")
Index("ix_developments_expected", developments.c.significance.desc(), developments.c.date_end,
      developments.c.lead_event_id, developments.c.shown, developments.c.outcome_event_id,
      developments.c.tracker_status, developments.c.first_deadline, sqlite_where=_EXPECTED,
      postgresql_where=_EXPECTED)

#: The rare words by which a new report finds the stored developments it may join: a row per
#: development, word (``grouping.word_key``: the word and whether the report is expected) and year
#: its lead report's period touches, for the words fewer than ``developments.RARE_BELOW``
#: developments had when it was written. Kept by dashboard.store.developments whenever a development
#: is written or its lead changes; rows of a development that has gone, or of a former lead, are
#: harmless extra candidates (``developments.rebuild_words`` writes both tables again, as migration
#: 0007 did; ``developments.words_missing`` checks them).
development_words = Table(
    "development_words",
    metadata,
    Column("word", Integer, primary_key=True, autoincrement=False),
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("development_id", Integer, primary_key=True, autoincrement=False),
    sqlite_with_rowid=False,
)

#: How many developments' lead reports have had each word in each year: the sum of ``n`` over its
#: rows (one row per write that counted it; never counted down): what tells a rare word from a common
#: one. Rows are only ever added, so concurrent writers never wait on each other's counts.
development_word_counts = Table(
    "development_word_counts",
    metadata,
    Column("word", Integer, nullable=False),
    Column("year", Integer, nullable=False),
    Column("n", Integer, nullable=False),
    Index("ix_development_word_counts", "year", "word", "n"),
)

#: A development under each country its reports name, with its period and whether it is shown: a
#: country-and-dates filter finds its developments in one range of this narrow index. Kept by
#: ``store.rollups`` with the development; rebuilt from ``developments`` by ``rollups.rebuild``.
development_countries = Table(
    "development_countries",
    metadata,
    Column("country", String(8), nullable=False),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("shown", Boolean, nullable=False),
    Column("development_id", Integer, nullable=False),
    Index("ix_development_countries", "country", "date_start", "date_end", "shown", "development_id"),
    Index("ix_development_countries_development", "development_id"),
)


def _rollup_columns() -> list[Column]:
    return [Column("countries", Text, nullable=False),  # as developments.countries
            Column("month_start", String(7), nullable=False),  # "YYYY-MM" of date_start, "" undated
            Column("month_end", String(7), nullable=False),  # "YYYY-MM" of date_end, "" when none
            Column("shown", Boolean, nullable=False),
            Column("n", Integer, nullable=False)]


#: Developments counted per country set, months of their period, category and shown: what the pages
#: count when a filter is only countries, whole months and the confidence switch. Rows are changes
#: (+1, -1 per development written), only ever added within a write, summed when read; ``rollups.fold``
#: replaces them by their sums. Kept by ``store.rollups`` in the transaction that writes the development.
development_months = Table(
    "development_months",
    metadata,
    *_rollup_columns(),
    Column("category", String(32), nullable=False),  # "" for none
    Column("reports", Integer, nullable=False),  # their reports (n_events)
)

#: The located developments counted per map cell of 0.25 degrees, with the sums the map's grid draws.
development_cells = Table(
    "development_cells",
    metadata,
    *_rollup_columns(),
    Column("cell_row", Integer, nullable=False),  # floor(lat / 0.25)
    Column("cell_col", Integer, nullable=False),  # floor(lon / 0.25)
    Column("lat_sum", Float, nullable=False),
    Column("lon_sum", Float, nullable=False),
    Column("sources", Integer, nullable=False),
    Column("fatalities", Integer, nullable=False),
)

def _stability_key() -> list[Column]:
    """The key the indicator's rollups share: level ("country" or "place"), unit, month, shown."""
    return [Column("level", String(8), nullable=False), Column("unit", String(32), nullable=False),
            Column("month", String(7), nullable=False), Column("shown", Boolean, nullable=False)]


#: The stability indicator's inputs counted ahead (``store.stability``), per level ("country" or
#: "place"), unit, month of the development's start and category: developments, their fatalities and
#: those with civilians targeted. ``shown`` true: what the reports passing the shown-confidence rule
#: give; false: what the others add when low-confidence readings are included. Change rows like
#: ``development_months`` (summed when read, folded by ``rollups.fold``).
stability_months = Table(
    "stability_months",
    metadata,
    *_stability_key(),
    Column("category", String(32), nullable=False),  # "" for none
    Column("n", Integer, nullable=False),
    Column("fatalities", Integer, nullable=False),
    Column("civilians", Integer, nullable=False),
    Index("ix_stability_months", "level", "month"),
)

#: The distinct values the indicator counts per unit and month (``kind`` "place": the locations of
#: the reports; "actor": the actors of security incidents), each with the developments that have it
#: (a value counts while its sum is above 0). ``shown`` as in ``stability_months``.
stability_values = Table(
    "stability_values",
    metadata,
    *_stability_key(),
    Column("kind", String(8), nullable=False),
    Column("value", Text, nullable=False),
    Column("n", Integer, nullable=False),
    Index("ix_stability_values", "level", "month"),
)

#: The expected developments open at their deadline (no outcome, not abandoned) per level, unit of
#: their lead report and deadline: those whose deadline has passed are overdue in its month (the
#: day is kept, since "passed" moves with today). ``shown``: whether the lead passes the shown rule.
stability_due = Table(
    "stability_due",
    metadata,
    Column("level", String(8), nullable=False),
    Column("unit", String(32), nullable=False),
    Column("deadline", Date, nullable=False),
    Column("shown", Boolean, nullable=False),
    Column("n", Integer, nullable=False),
    Index("ix_stability_due", "level", "deadline"),
)

#: GDELT's media signal per level, unit and month of its rows: rows, rows in QuadClass 3-4, and the
#: sums (with how many rows gave them) of the Goldstein scale and the tone. ``shown``: the rows that
#: pass the shown rule, or not.
stability_media = Table(
    "stability_media",
    metadata,
    *_stability_key(),
    Column("n", Integer, nullable=False),
    Column("conflict", Integer, nullable=False),
    Column("goldstein_sum", Float, nullable=False),
    Column("goldstein_n", Integer, nullable=False),
    Column("tone_sum", Float, nullable=False),
    Column("tone_n", Integer, nullable=False),
    Index("ix_stability_media", "level", "month"),
)

events = Table(
    "events",
    metadata,
    Column("id", String(120), primary_key=True),
    Column("title", Text, nullable=False),
    Column("summary", Text),
    Column("date_start", Date, nullable=True),
    Column("date_end", Date, nullable=True),
    Column("date_precision", String(8), nullable=True),
    Column("date_text", Text),
    Column("status", String(16), nullable=False),
    Column("category", String(32)),
    Column("location", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("geo_precision", String(16)),
    Column("source_url", Text),
    Column("source_name", Text),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="SET NULL"), nullable=True),
    Column("evidence", Text),
    Column("evidence_start", Integer),
    Column("verification", String(16), nullable=False, default="machine"),
    Column("confidence", Float),
    Column("imported_from", Text),
    Column("review_flag", Text),
    Column("outcome_event_id", String(120), nullable=True),
    Column("tracker_status", String(16), nullable=True),
    Column("first_deadline", Date, nullable=True),
    Column("search_text", Text),
    Column("updated_at", DateTime, nullable=False),
    # where the event comes from, and the dataset's own fields (ACLED, GDELT, other imports)
    Column("dataset", String(16), nullable=False, default="import", server_default="import"),
    Column("source_id", String(120)),  # the dataset's stable id (ACLED event_id_cnty, GDELT GLOBALEVENTID)
    Column("event_type", Text),  # the dataset's type (ACLED event_type, GDELT's CAMEO root)
    Column("sub_event_type", Text),
    Column("fatalities", Integer),
    Column("num_sources", Integer),
    Column("source_updated", BigInteger),  # the dataset's own last-change stamp (ACLED timestamp)
    Column("attributes", Text),  # JSON object: the rest of the dataset's fields, as it gave them
    Column("pending_version", Text),  # JSON: a dataset's newer version of an event an analyst corrected
    Column("development_id", Integer, ForeignKey("developments.id", ondelete="SET NULL"), nullable=True),
    Column("cues", Text),  # machine events: the cues that made it an event and set its confidence
    Index("ix_events_date", "date_start", "date_end"),
    Index("ix_events_dataset", "dataset", "date_start"),
    # the developments with a shown report (every map and timeline query asks): read from this
    # index alone, not the wide rows (no filter at 10k: 45 ms -> 10 ms)
    Index("ix_events_development_shown", "development_id", "verification", "confidence"),
    Index("ix_events_article", "article_id"),
    # covering indexes: the topic facet (distinct categories), events per month (dated to a day or
    # month) and the map's grid cells read these instead of the whole table
    Index("ix_events_category", "category"),
    Index("ix_events_precision_date_shown", "date_precision", "date_start", "date_end", "verification",
          "confidence"),  # (with the hidden-confidence rule's columns: events per month at 10k 99 -> 14 ms)
    Index("ix_events_located", "lat", "lon", "category"),
    Index("ix_events_status_deadline", "status", "date_end"),  # the expected-developments tracker
    # what the map and timeline read of each event a country, place or topic filter selects: the
    # lookups by id stay in this narrow index instead of the wide rows (at 1M articles the file is
    # larger than memory: a BA + 2023 count takes 12-26 s through the rows, 1.4 s through this), the
    # development last (which developments the filter holds: 10k, BA + 2023, 143 -> 38 ms)
    Index("ix_events_id_facts_development", "id", "date_start", "date_end", "date_precision", "status", "category",
          "lat", "lon", "verification", "confidence", "development_id", unique=True),
)


def _link_table(name: str, column: str, size: int) -> Table:
    return Table(
        name,
        metadata,
        Column("event_id", String(120), ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
        Column(column, String(size), nullable=False),
        UniqueConstraint("event_id", column, name=f"uq_{name}"),
        Index(f"ix_{name}_{column}", column, "event_id"),
    )


event_countries = _link_table("event_countries", "country", 8)
event_places = _link_table("event_places", "place", 32)
event_topics = _link_table("event_topics", "topic", 32)
event_actors = _link_table("event_actors", "actor", 200)

article_bands = Table(
    "article_bands",
    metadata,
    Column("band", BigInteger, nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    UniqueConstraint("band", "article_id", name="uq_article_band"),
    Index("ix_article_bands_article", "article_id"),
)

article_links = Table(
    "article_links",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("other_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False, default="near-duplicate"),
    Column("shared_bands", Integer),
    UniqueConstraint("article_id", "other_id", "kind", name="uq_article_link"),
)

feeds = Table(
    "feeds",
    metadata,
    Column("url", Text, primary_key=True),
    Column("title", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_poll", DateTime),
    Column("last_success", DateTime),
    Column("items_added", Integer, nullable=False, default=0),
    Column("last_error", Text),
)

edits = Table(
    "edits",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity", String(16), nullable=False),
    Column("record_id", String(120), nullable=False),
    Column("field", String(64), nullable=False),
    Column("old_value", Text),
    Column("new_value", Text),
    Column("editor", String(120), nullable=False),
    Column("edited_at", DateTime, nullable=False),
    Index("ix_edits_record", "entity", "record_id"),
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text),
)

#: Who may sign in (``store/accounts.py``): a role, an Argon2 hash of the password, and the count of
#: failed sign-ins since the last good one (throttling). Added by migration 0002.
accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),
    Column("failed_sign_ins", Integer, nullable=False, default=0),
    Column("locked_until", DateTime),
)

#: A signed-in browser session: the SHA-256 of its random token (the token itself is never stored).
sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Index("ix_sessions_account", "account_id"),
)

#: Every sign-in attempt, good or refused (who, when, why refused).
sign_ins = Table(
    "sign_ins",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("ok", Boolean, nullable=False),
    Column("reason", Text),
    Index("ix_sign_ins_name", "name", "at"),
)
