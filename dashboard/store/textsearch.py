"""Full-text search on PostgreSQL, made to answer as SQLite's FTS5 does.

SQLite indexes the normalised text (``textnorm.normalise_for_search``: case, diacritics, Cyrillic to
Latin) with FTS5's ``unicode61`` tokenizer and ranks with BM25. PostgreSQL gets the same text and the
same words: a ``tsvector`` over the normalised text cut into runs of letters and digits (as
``unicode61`` cuts it), with the ``simple`` configuration (no stemming, no stop words), and a GIN
index on it. Queries are the same normalised words, all required; the rank is FTS5's BM25 formula
(k1 = 1.2, b = 0.75, the same IDF), computed from the stored word counts, so results come in the
same order on both stores.

- ``article_search`` (``article_id``, ``doc``, ``n_tokens``): one row per article, written with it,
  over the normalised title and body (what ``articles_fts`` holds on SQLite).
- ``ix_events_search``: an expression index on ``events.search_text``, the column the SQLite index
  ``events_fts`` reads, so every write of ``search_text`` is indexed without further work.

User text reaches PostgreSQL only as letters and digits inside a bound parameter
(:func:`tsquery_text`), never as query syntax.

Limits of PostgreSQL's ``tsvector`` (documented, far beyond news articles): a word is counted at
most 256 times per article and positions stop at 16,383 words; a word over 2,047 characters is
not indexed.
"""

from __future__ import annotations

import math
import re

from sqlalchemy import (
    Connection,
    Engine,
    Float,
    Integer,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import array

from dashboard.textnorm import normalise_for_search, search_terms

ARTICLE_SEARCH = "article_search"
#: The runs of letters and digits of a normalised text, as FTS5's unicode61 tokenizer cuts it
#: (an underscore separates words there, as here).
_RUN = re.compile(r"[^\W_]+")
_SEPARATORS = "'[^[:alnum:]]+'"
_LONGEST = 2047  # characters of the longest word a tsvector holds


def doc_sql(text_sql: str) -> str:
    """The ``tsvector`` of a normalised text (an SQL expression): its runs of letters and digits."""
    return f"to_tsvector('simple', regexp_replace(coalesce({text_sql}, ''), {_SEPARATORS}, ' ', 'g'))"


#: The events' document, spelled exactly as the expression index is (so the planner uses it).
EVENT_DOC = doc_sql("search_text")

DDL = [
    f"CREATE TABLE IF NOT EXISTS {ARTICLE_SEARCH} ("
    "article_id integer PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE, "
    "doc tsvector NOT NULL, n_tokens integer NOT NULL)",
    # lz4 where the server has it (PostgreSQL 14+ built with it): a search reads every matching
    # document, and pglz made reading them ten times as slow (25 ms against 3 ms at 10k articles)
    f"DO $$ BEGIN EXECUTE 'ALTER TABLE {ARTICLE_SEARCH} ALTER COLUMN doc SET COMPRESSION lz4'; "
    "EXCEPTION WHEN OTHERS THEN NULL; END $$",
    f"CREATE INDEX IF NOT EXISTS ix_{ARTICLE_SEARCH}_doc ON {ARTICLE_SEARCH} USING gin (doc)",
    f"CREATE INDEX IF NOT EXISTS ix_events_search ON events USING gin (({EVENT_DOC}))",
]

_INDEXES = (f"ix_{ARTICLE_SEARCH}_doc", "ix_events_search")
#: What this module makes outside ``schema.py`` (the migrations' comparison leaves these alone).
SEARCH_OBJECTS = frozenset({ARTICLE_SEARCH, *_INDEXES})


def indexes_present(conn: Connection) -> bool:
    """True when the search table and both GIN indexes exist (checked in the catalogue, without locks)."""
    found = conn.execute(text("SELECT count(*) FROM pg_indexes WHERE indexname IN :names")
                         .bindparams(bindparam("names", expanding=True)), {"names": list(_INDEXES)}).scalar()
    return found == len(_INDEXES)


article_search = table(ARTICLE_SEARCH, column("article_id", Integer), column("doc"), column("n_tokens", Integer))

_INSERT = text(
    f"INSERT INTO {ARTICLE_SEARCH} (article_id, doc, n_tokens) "
    f"SELECT :id, {doc_sql('v.t')}, (SELECT count(*) FROM regexp_matches(v.t, '[[:alnum:]]+', 'g')) "
    "FROM (SELECT CAST(:t AS text) AS t) AS v ON CONFLICT (article_id) DO NOTHING"
)


def article_text(title: str, search_body: str) -> str:
    """What an article's search document holds: the normalised title, then the normalised body."""
    return f"{normalise_for_search(title)}\n{search_body}"


def index_articles(conn: Connection, items: list[tuple[int, str]]) -> None:
    """Write the search documents of new articles: ``(id, article_text(...))`` pairs."""
    if items:
        conn.execute(_INSERT, [{"id": i, "t": t} for i, t in items])


def backfill(conn: Connection, chunk: int = 2000) -> None:
    """Index every stored article that has no search document yet (a store made before the index)."""
    a = table("articles", column("id", Integer), column("title"), column("body"))
    done = select(article_search.c.article_id)
    last = 0
    while True:
        rows = conn.execute(select(a.c.id, a.c.title, a.c.body).where(a.c.id > last, a.c.id.not_in(done))
                            .order_by(a.c.id).limit(chunk)).all()
        if not rows:
            return
        index_articles(conn, [(r.id, article_text(r.title, normalise_for_search(r.body))) for r in rows])
        last = rows[-1].id


def query_words(user_text: str) -> list[list[str]]:
    """The words of a query as the index holds them: one list of runs per word (``a_b`` is a phrase)."""
    words = [_RUN.findall(term) for term in search_terms(user_text)]
    if any(len(run) > _LONGEST for word in words for run in word):
        return []  # PostgreSQL indexes no word that long: nothing holds it
    return [w for w in words if w]


def tsquery_text(words: list[list[str]]) -> str:
    """A ``to_tsquery`` string requiring every word (each run quoted; letters and digits only)."""
    return " & ".join("(" + " <-> ".join(f"'{run}'" for run in word) + ")" for word in words)


def tsquery(words: list[list[str]]):
    return func.to_tsquery(literal_column("'simple'"), tsquery_text(words))


def event_match(words: list[list[str]]):
    """The condition: the event's ``search_text`` holds every word."""
    return literal_column(f"({EVENT_DOC.replace('search_text', 'events.search_text')})").op("@@")(tsquery(words))


def article_ids(words: list[list[str]]):
    """The ids of articles holding every word (a subquery, answered from the GIN index)."""
    return select(article_search.c.article_id).where(article_search.c.doc.op("@@")(tsquery(words)))


_K1, _B = 1.2, 0.75


def _frequencies(doc, runs: list[str]):
    """How often each word of ``runs`` occurs in the document (its stored positions), computed once per
    row for all of them (a lateral subquery). Each count marks the word's positions with weight A
    (the documents hold weight D only) and keeps just those: two passes in C over the document,
    where unnesting it into rows took several times as long."""
    counts = []
    for i, run in enumerate(runs):
        only = func.ts_filter(func.setweight(doc, literal_column("'A'"), array([run])), literal_column("'{a}'"))
        positions = func.unnest(only).table_valued("lexeme", "positions")
        counts.append(func.coalesce(select(func.array_length(positions.c.positions, 1)).scalar_subquery(), 0)
                      .label(f"f{i}"))
    return select(*counts).lateral("frequencies")


def ranked_articles(engine: Engine, user_text: str):
    """Articles holding every word of ``user_text`` with FTS5's BM25 rank (``id``, ``rank``; lower is better).

    The same formula as SQLite's ``bm25()`` over ``articles_fts``: for each query word, its IDF
    (from the number of articles holding it) times its saturated frequency in the article,
    normalised by the article's length against the average length.
    """
    words = query_words(user_text)
    doc = article_search.c.doc
    with engine.connect() as conn:
        n_rows, n_tokens = conn.execute(  # the corpus's size (no document is read)
            select(func.count(), func.coalesce(func.sum(article_search.c.n_tokens), 0))).one()
        hits = {}
        for w in words:  # the articles holding each distinct word: the GIN index answers, no document is read
            if tuple(w) not in hits:
                hits[tuple(w)] = conn.execute(select(func.count()).select_from(article_search)
                                              .where(doc.op("@@")(tsquery([w])))).scalar()
    avgdl = (n_tokens / n_rows) if n_rows else 1.0
    runs = list(dict.fromkeys(run for word in words for run in word))
    freq = _frequencies(doc, runs)
    length = literal_column(f"{ARTICLE_SEARCH}.n_tokens", Float)
    score = literal_column("0.0", Float)
    for word in words:
        n_hit = hits[tuple(word)]
        idf = math.log((n_rows - n_hit + 0.5) / (n_hit + 0.5))
        idf = idf if idf > 0 else 1e-6
        freqs = [freq.c[f"f{runs.index(run)}"] for run in word]
        f = (func.least(*freqs) if len(freqs) > 1 else freqs[0]).cast(Float)
        score = score + idf * ((f * (_K1 + 1.0)) / (f + _K1 * (1 - _B + _B * length / avgdl)))
    stmt = (select(article_search.c.article_id.label("id"), (-score).label("rank"))
            .select_from(article_search.join(freq, true())).where(doc.op("@@")(tsquery(words))))
    return stmt.subquery("ranked")
