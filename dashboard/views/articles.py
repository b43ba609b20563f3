"""Articles page: the filtered list and a reader with the full text, tags and events."""

import hashlib
import math

import streamlit as st

from dashboard.names import country_name, place_name
from dashboard.textnorm import search_terms
from dashboard.ui import components, data, filter_state, presentation
from dashboard.ui.curation import tag_editor
from dashboard.ui.text import HIGHLIGHT_CSS, external_link, highlight_snippet, highlight_tags, md_escape

PAGE_SIZE = 25
FILTERABLE = {"country": "countries", "place": "places", "topic": "topics"}
GOTO = "articles.goto"


def _open_tag(kind: str, value: str) -> None:
    """A tag chip narrows the shared filter to that tag and opens the timeline."""
    filter_state.narrow_to(**{FILTERABLE[kind]: [value]})
    st.session_state[GOTO] = "views/timeline.py"


if st.session_state.pop(GOTO, None):
    st.switch_page("views/timeline.py")
f = filter_state.current()
star = filter_state.kosovo_star()
arrived = not components.same_page_as_last_run("Articles")  # opened from another page or a link
total = data.count_articles(f)
components.page_header("Articles", f, f"{total} article(s)")

if total == 0:
    components.empty_state("articles", f)
    st.stop()

searching = bool(f.text.strip())
if searching and not search_terms(f.text):
    st.info("The search text has no letters or digits, so it matches nothing. Type a word, e.g. Pristina.")
sorts = ["relevance", "newest", "oldest", "title"] if searching else ["newest", "oldest", "title"]
col_sort, col_page = st.columns([2, 1])
sort = col_sort.selectbox("Sort by", sorts, key=f"articles.sort.{'search' if searching else 'list'}",
                          help="Relevance ranks by how well the text matches (BM25). Undated articles come "
                          "after dated ones.")
pages = max(1, math.ceil(total / PAGE_SIZE))
page = col_page.number_input(f"Page (of {pages})", min_value=1, max_value=pages, value=1, key="articles.page")
listing = data.articles(f, limit=PAGE_SIZE, offset=(int(page) - 1) * PAGE_SIZE, sort=sort, with_body=searching)


CHOSEN = "articles.chosen"  # {"id": article id, "under": the listing it was chosen from}
LINKED = "articles.linked"  # the article id this page last wrote to the URL
under = (f, sort, int(page))  # the listing on screen: a choice made under another one is stale


def _choose(article_id: int) -> None:
    st.session_state[CHOSEN] = {"id": article_id, "under": under}


chosen = None
url_id = filter_state.linked_article()
if url_id is not None and (arrived or url_id != st.session_state.get(LINKED)):
    # a link that names an article (shared, or from an event panel): it wins over older choices
    _choose(url_id)
if searching:
    terms = search_terms(f.text)
    for _, row in listing.iterrows():
        with st.container(border=True, key=f"articles.hit.{row['id']}"):
            published = row["published"].isoformat() if row["published"] else "undated"
            st.markdown(f"**{md_escape(row['title'])}**  \n{md_escape(row['outlet'] or 'outlet unknown')} · {published}")
            st.markdown(highlight_snippet(row["body"], terms))
            st.button("Read", key=f"articles.read.{row['id']}", on_click=_choose, args=(int(row["id"]),))
else:
    view = listing.assign(
        published=[d.isoformat() if d else "undated" for d in listing["published"]],
        countries=[", ".join(country_name(c, star) + ("*" if c in p else "") for c in cs) for cs, p in
                   zip(listing["countries"], listing["primary_countries"], strict=True)],
    )[["title", "outlet", "published", "countries", "word_count"]]
    # keyed by the listing, so a row picked in an earlier listing is not carried over to this one
    selection = st.dataframe(
        view, hide_index=True, width="stretch", key=f"articles.table.{hashlib.sha1(repr(under).encode()).hexdigest()[:12]}", on_select="rerun",
        selection_mode="single-row",
        column_config={"countries": st.column_config.TextColumn("countries (* = primary)"),
                       "word_count": st.column_config.NumberColumn("words")},
    )
    rows = (selection or {}).get("selection", {}).get("rows", [])
    if rows:
        _choose(int(listing.iloc[rows[0]]["id"]))
choice = st.session_state.get(CHOSEN)
if choice and choice["under"] == under:
    chosen = int(choice["id"])
elif len(listing):
    chosen = int(listing.iloc[0]["id"])
    st.caption("Select a row (or press Read) to open another article." if not searching else
               "The best match is open below; press Read to open another.")
if chosen is not None:
    filter_state.link_article(chosen)
    st.session_state[LINKED] = chosen

article = data.article(chosen) if chosen is not None else None
if article is None:
    st.warning("That article is not in the store (the link may be from another database).")
    st.stop()

st.divider()
st.header(md_escape(article["title"]), anchor=False)
meta = [md_escape(article["outlet"] or "outlet unknown"),
        article["published"].isoformat() if article["published"] else "undated (publication date unknown)",
        f"language: {article['language'] or 'unknown'}", f"{article['word_count']} words"]
st.caption(" · ".join(meta))
if article["url"]:
    st.markdown(external_link("Open the original", article["url"]))

tags = article["tags"]
by_kind: dict[str, list[dict]] = {}
for tag in tags:
    by_kind.setdefault(tag["kind"], []).append(tag)
labels = {"country": "Countries", "place": "Places", "organisation": "Organisations", "person": "People",
          "topic": "Topics"}
col_text, col_tags = st.columns([3, 2])
with col_tags:
    st.markdown("**Tags** (primary countries in bold; ✓ = added by an analyst, the rest machine-tagged). "
                "Click a country, place or topic to see the timeline for it.")
    for kind, label in labels.items():
        items = by_kind.get(kind, [])
        if not items:
            continue
        if kind in FILTERABLE:
            st.caption(label)
            # a wrapping row of buttons as wide as their names (fixed columns cut "Bosnia and
            # Herzegovina" to "Bosnia…")
            row = st.container(horizontal=True, gap="small")
            for t in items:
                text = (country_name(t["value"], star) if kind == "country" else
                        place_name(t["value"]) if kind == "place" else t["value"])
                text += " ✓" if t.get("verification") == "analyst" else ""
                row.button(text, key=f"articles.chip.{kind}.{t['value']}", on_click=_open_tag,
                           args=(kind, t["value"]), type="primary" if t["is_primary"] else "secondary",
                           help=f"Timeline filtered to {text}")
            continue
        names = []
        for t in items:
            text = t["label"] or t["value"]
            if t.get("role") and kind == "person" and t["role"] != t["value"]:
                text = f"{text} ({t['role']})"
            names.append(md_escape(text) + (" ✓" if t.get("verification") == "analyst" else ""))
        st.markdown(f"{label}: " + ", ".join(names))
    if article.get("near_duplicates"):
        st.markdown("**Near-copies** (syndicated or lightly edited versions, linked, not merged)")
        for dup in article["near_duplicates"]:
            st.page_link("views/articles.py", label=md_escape(f"{dup['title']} — {dup['outlet'] or 'outlet unknown'}"),
                         query_params={"article": str(dup["id"])}, icon=":material/content_copy:")
    if not presentation.active():
        tag_editor(article)
    events = [e for e in article["events"] if e]
    st.markdown(f"**Developments in this article ({len(events)})**")
    for ev in events:
        components.event_detail(ev, context="article")
with col_text:
    highlight = st.toggle("Highlight tags in the text", value=True, key="articles.highlight",
                          help="Countries blue, places violet, organisations orange, people green.")
    if highlight:
        st.html(HIGHLIGHT_CSS)
        for paragraph in highlight_tags(article["body"], tags):
            st.markdown(paragraph)
    else:
        for paragraph in article["body"].split("\n\n"):
            st.text(paragraph)
