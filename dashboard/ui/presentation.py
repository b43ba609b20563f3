"""Presentation mode: for showing the dashboard to stakeholders.

Controls are hidden (sidebar, page toggles, correction forms), type is larger, and every page
keeps its caption naming the filter. A button at the top goes back. The mode lives in the URL
(``present=1``) so a presenter can open a prepared link.
"""

from __future__ import annotations

import streamlit as st

KEY = "view.present"
URL_KEY = "present"
# Widgets hidden in presentation mode (by their stable keys).
CONTROL_KEYS = ("map.level", "map.measure", "timeline.lane", "articles.sort", "articles.page",
                "articles.highlight", "tracker.states")

_CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], .modebar-container {display: none !important;}
html, body, [data-testid="stMain"] {font-size: 20px;}
[data-testid="stMain"] h1 {font-size: 3rem;}
[data-testid="stCaptionContainer"] {font-size: 1.05rem;}
%s {display: none !important;}
</style>
"""


def active() -> bool:
    """Whether presentation mode is on."""
    if KEY not in st.session_state:
        st.session_state[KEY] = st.query_params.get(URL_KEY) == "1"
    return bool(st.session_state[KEY])


def _leave() -> None:
    st.session_state[KEY] = False


def render_toggle() -> None:
    """The sidebar switch into presentation mode."""
    active()
    st.toggle("Presentation mode", key=KEY, help="Hides the controls and enlarges the type for showing to "
              "stakeholders; the filter stays as a caption on every page. A button at the top goes back.")


def apply() -> None:
    """Hide the controls and enlarge the type when presentation mode is on; keep the URL in step."""
    if active():
        # Streamlit turns a widget key into the CSS class "st-key-<key>", with dots as dashes.
        hidden = ", ".join(f'[class*="st-key-{k.replace(".", "-")}"]' for k in CONTROL_KEYS)
        st.html(_CSS % hidden)
        st.button("Exit presentation mode", key="view.exit_present", on_click=_leave, icon=":material/close:")
        st.query_params[URL_KEY] = "1"
    elif URL_KEY in st.query_params:
        del st.query_params[URL_KEY]
