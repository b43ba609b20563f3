"""Add articles: upload files or paste text; the same pipeline as `python -m dashboard ingest`."""

import streamlit as st

from dashboard.ui import data
from dashboard.ui.imports import (
    SUPPORTED,
    DatabaseBusy,
    IngestReport,
    ingest_pasted,
    ingest_upload,
    shown_name,
    upload_limit_mb,
)
from dashboard.ui.text import md_escape

st.title("Add articles")
st.caption("Articles are cleaned (page furniture removed), tagged and stored once: the same URL or the same "
           "text is never stored twice. Developments found in them are stored as machine-extracted, not verified. "
           "ACLED exports (and ACLED's deleted-events list) and GDELT event files, zipped or not, come in here too, "
           "recognised by their content; GDELT keeps the region's rows.")


def show_report(report: IngestReport) -> None:
    """Summarise what went in and list every rejected record with its file, line and field."""
    if report.problems:
        st.warning(report.summary() + ".", icon=":material/warning:")
        st.markdown("**Rejected records** (the rest were stored):")
        st.text("\n".join(str(p) for p in report.problems))
    else:
        st.success(report.summary() + ".", icon=":material/check_circle:")
    if report.article_ids:
        st.page_link("views/articles.py", label="Read what was added", icon=":material/article:",
                     query_params={"article": str(report.article_ids[-1])})


upload_tab, paste_tab, feeds_tab = st.tabs(["Upload files", "Paste text", "Feeds"])
with upload_tab:
    files = st.file_uploader(
        "Files", accept_multiple_files=True, key="add.files",
        type=sorted(s.lstrip(".") for s in SUPPORTED),
        help="Text or Markdown (optional front matter), saved HTML pages, RSS/Atom feeds, JSON/JSONL records; "
             f"at most {upload_limit_mb()} MB a file.",
    )
    if st.button("Ingest files", key="add.ingest_files", disabled=not files, type="primary"):
        report = IngestReport()
        bar = st.progress(0.0, text="Starting…")
        for i, upload in enumerate(files, start=1):
            bar.progress((i - 1) / len(files), text=f"Reading {shown_name(upload.name)} ({i} of {len(files)})")

            def records(done: int, total: int, i: int = i, name: str = shown_name(upload.name)) -> None:
                bar.progress((i - 1 + done / total) / len(files),
                             text=f"{name} ({i} of {len(files)}): {done:,} of {total:,} records stored")

            try:
                report.merge(ingest_upload(upload.name, upload.getvalue(), on_batch=records))
            except DatabaseBusy as exc:  # another writer held the store through every try
                st.error(md_escape(str(exc)), icon=":material/hourglass_top:")
                break
        bar.progress(1.0, text="Done")
        show_report(report)

with paste_tab:
    with st.form("add.paste_form"):
        title = st.text_input("Title", key="add.title")
        body = st.text_area("Article text", key="add.body", height=260,
                            help="Paste the article; teasers, share lines and comment boxes are removed.")
        col1, col2, col3 = st.columns(3)
        url = col1.text_input("Source URL", key="add.url", placeholder="https://…")
        outlet = col2.text_input("Outlet", key="add.outlet")
        published = col3.text_input("Published (YYYY-MM-DD)", key="add.published",
                                    help="Leave empty when unknown: the article stays undated, never guessed.")
        submitted = st.form_submit_button("Ingest text", type="primary")
    if submitted:
        if not body.strip():
            st.error("Paste some article text first.")
        else:
            with st.spinner("Tagging and storing…"):
                report = ingest_pasted(body, title=title or None, url=url or None, outlet=outlet or None,
                                       published=published or None)
            show_report(report)

with feeds_tab:
    st.caption("Feeds are polled by `python -m dashboard watch` (every 30 minutes by default) when an analyst "
               "lists them in `DASHBOARD_FEEDS` or under `[feeds] urls` in `.streamlit/secrets.toml`. Nothing is "
               "fetched otherwise: the dashboard stays offline.")
    status = data.feed_status()
    if not status:
        st.info("No feed has been polled yet.", icon=":material/rss_feed:")
    else:
        st.dataframe(
            [{"feed": f["title"] or f["url"], "address": f["url"], "last poll (UTC)": f["last_poll"],
              "last success (UTC)": f["last_success"], "items added": f["items_added"],
              "last error": f["last_error"] or ""} for f in status],
            hide_index=True, width="stretch", key="add.feeds",
            column_config={"address": st.column_config.LinkColumn("address")},
        )
