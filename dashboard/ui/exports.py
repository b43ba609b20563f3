"""Download buttons: a chart as PNG/PDF, the filtered data as CSV/XLSX/JSONL, briefings as PDF/HTML.

Files are made on request (a button, with progress for long work), never on every rerun. A prepared
file is kept with the state it was made for (filter, display, choices); once that state changes it
is no longer offered, and the page says to prepare it again.
"""

from __future__ import annotations

import io

import plotly.graph_objects as go
import streamlit as st

from dashboard import export
from dashboard.figures import export_figure
from dashboard.filters import Display, Filters
from dashboard.ui import data, filter_state

MIME = export.MEDIA_TYPES


def _filename(f: Filters, stem: str, ext: str) -> str:
    from dashboard.briefing import suggested_filename

    return suggested_filename(f, ext).replace("briefing", stem, 1)


STALE = object()  # what _prepared returns for a file made for another state


def _prepared(key: str, made_for: tuple):
    """The prepared file under ``key`` if it was made for ``made_for``; ``STALE`` if for something else."""
    stored = st.session_state.get(key)
    if not stored:
        return None
    if stored[0] != made_for:
        return STALE
    return stored[1:]


def _offer(key: str, made_for: tuple, changed: str):
    """The files prepared for ``made_for``, or ``None``; a sentence to prepare again when the state moved on."""
    prepared = _prepared(key, made_for)
    if prepared is STALE:
        st.info(f"{changed}: prepare it again to download it for what is shown now.", icon=":material/refresh:")
        return None
    return prepared


def chart_downloads(fig: go.Figure, name: str, f: Filters) -> None:
    """PNG and PDF of ``fig`` (made offline with kaleido and the local Chromium when clicked)."""
    from dashboard.briefing import figure_to_pdf, figure_to_png

    caption = " · ".join([f.describe(display=filter_state.current_display()), *data.attributions(f)])

    def captioned() -> go.Figure:  # made when a button is pressed: copying the figure on every run cost as
        return export_figure(fig, caption, width=1200, height=700)  # much as building it

    col1, col2, _ = st.columns([1, 1, 3])
    col1.download_button("Chart as PNG", data=lambda: figure_to_png(captioned(), width=1200, height=700),
                         file_name=_filename(f, name, "png"), mime=MIME["png"], key=f"{name}.png",
                         icon=":material/image:", on_click="ignore", help="This chart as an image, with the filter as its title.")
    col2.download_button("Chart as PDF", data=lambda: figure_to_pdf(captioned(), width=1200, height=700),
                         file_name=_filename(f, name, "pdf"), mime=MIME["pdf"], key=f"{name}.pdf",
                         icon=":material/picture_as_pdf:", on_click="ignore")


def data_export(f: Filters) -> None:
    """Every row in the filter, no cap, as CSV, XLSX or JSONL, with progress while it is written."""
    col1, col2 = st.columns(2)
    kind = col1.selectbox("What", export.KINDS, key="export.kind", format_func=export.KIND_LABELS.get,
                          help="The stability month table is the Overview's arrows in CrisisWatch's shape: a row "
                          "per country or entity and month, with the sentence why and every component.")
    fmt = col2.selectbox("Format", export.FORMATS, key="export.format",
                         help="XLSX for Excel; CSV for anything; JSONL keeps lists as lists.")
    if kind == "stability":
        total = None
        st.caption("A row per country (and the entities under it) and month of the filter, every one of them.")
    else:
        total = {"events": data.count_events, "articles": data.count_articles,
                 "developments": data.count_developments}[kind](f)
        st.caption(f"{total} {kind} in the filter will be written, every one of them.")
    made_for = (f, kind, fmt)  # the data carry codes, not labels: the display does not change them
    if st.button("Prepare the file", key="export.prepare", icon=":material/download:", disabled=total == 0):  # (None: not counted beforehand)
        bar = st.progress(0.0, text="Writing…")

        def progress(done: int) -> None:
            bar.progress(min(done / max(total or done, 1), 1.0), text=f"{done} of {total or '…'} rows")

        if fmt == "xlsx":
            buffer: io.IOBase = io.BytesIO()
            count = export.write(data.export_engine(), kind, fmt, f, buffer, progress)
            payload = buffer.getvalue()
        else:
            text = io.StringIO()
            count = export.write(data.export_engine(), kind, fmt, f, text, progress)
            payload = text.getvalue().encode("utf-8")
        bar.progress(1.0, text=f"{count} rows written")
        st.session_state["export.file"] = (made_for, payload, _filename(f, kind, fmt), MIME[fmt], count)
    prepared = _offer("export.file", made_for, "The filter or the choice of data changed since the file was prepared")
    if prepared:
        payload, name, mime, count = prepared
        st.download_button(f"Download {name} ({count} rows)", data=payload, file_name=name, mime=mime,
                           key="export.download", type="primary", on_click="ignore")


def briefing(f: Filters) -> None:
    """A PDF and a self-contained HTML briefing of the current filter, made in one click."""
    from dashboard.briefing import BriefingError, build_briefing_html, build_briefing_pdf

    title = st.text_input("Title", key="briefing.title", placeholder="Western Balkans: developments in the filter",
                          help="Leave empty for a title made from the filter.")
    # The briefing draws the map and the timeline as the pages show them. Presentation mode is left
    # out: it changes the screen, not the document.
    no_machine = st.checkbox("Leave out machine-extracted items", key="briefing.no_machine",
                             help="Only analyst-curated events and human-coded datasets (ACLED, other imports): "
                             "no machine events from our articles and no GDELT rows.")
    if no_machine:
        f = f.without_machine()
    display = Display(kosovo_star=filter_state.current_display().kosovo_star)
    chosen = {key: filter_state.current_view(key) for key in ("map.level", "map.measure", "timeline.lane")}
    views = {"level": chosen["map.level"], "measure": chosen["map.measure"], "lane": chosen["timeline.lane"]}
    made_for = (f, display, tuple(views.items()), title)
    shown = {key: filter_state.VIEWS[key].labels[value].lower() for key, value in chosen.items()}
    st.caption(f"The map shows {shown['map.level']} coloured by {shown['map.measure']}, and the timeline has one "
               f"lane per {shown['timeline.lane']}: as chosen on the Map and Timeline pages.")
    if st.button("Make the briefing (PDF and HTML)", key="briefing.make", type="primary",
                 icon=":material/description:"):
        bar = st.progress(0.0, text="Starting…")
        try:
            html = build_briefing_html(data.export_engine(), f, title=title or None, display=display, **views,
                                       progress=lambda x, msg: bar.progress(x * 0.3, text=msg))
            pdf = build_briefing_pdf(data.export_engine(), f, title=title or None, display=display, **views,
                                     progress=lambda x, msg: bar.progress(0.3 + x * 0.7, text=msg))
        except BriefingError as exc:
            bar.empty()
            st.error(f"The briefing could not be made: {exc}")
            return
        bar.progress(1.0, text="Done")
        st.session_state["briefing.files"] = (made_for, pdf, html, _filename(f, "briefing", "pdf"),
                                              _filename(f, "briefing", "html"))
    files = _offer("briefing.files", made_for, "The filter, the Kosovo* labels, the map or timeline choices or the "
                   "title changed since the briefing was made")
    if files:
        pdf, html, pdf_name, html_name = files
        col1, col2 = st.columns(2)
        col1.download_button(f"Download {pdf_name}", data=pdf, file_name=pdf_name, mime=MIME["pdf"],
                             key="briefing.pdf", icon=":material/picture_as_pdf:", on_click="ignore")
        col2.download_button(f"Download {html_name}", data=html.encode("utf-8"), file_name=html_name,
                             mime=MIME["html"], key="briefing.html", icon=":material/html:", on_click="ignore",
                             help="One file with interactive charts; opens offline in any browser.")
