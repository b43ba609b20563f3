"""Presentation mode: for showing the dashboard to stakeholders.

Controls are hidden (the filter sidebar, page toggles, correction forms), type is larger, and every
page keeps its caption naming the filter. The pages stay linked along the top (the router puts
``st.navigation`` there), so a presenter moves from the map to the timeline. A button at the top
goes back. The mode is ``Display.present``: ``dashboard.ui.filter_state`` keeps it in the session
and the URL (``present=1``), so a presenter can open a prepared link.
"""

from __future__ import annotations

import streamlit as st

from dashboard.ui import filter_state

# Widgets hidden in presentation mode (by their stable keys).
CONTROL_KEYS = ("map.level", "map.measure", "timeline.lane", "articles.sort", "articles.page",
                "articles.highlight", "tracker.states")

# The header's toolbar stays: in presentation mode it carries the page links (stTopNav). Its
# actions and the app menu go.
_CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stToolbarActions"], [data-testid="stMainMenu"], [data-testid="stAppDeployButton"],
.modebar-container {display: none !important;}
html, body, [data-testid="stMain"] {font-size: 20px;}
[data-testid="stMain"] h1 {font-size: 3rem;}
[data-testid="stCaptionContainer"] {font-size: 1.05rem;}
%s {display: none !important;}
</style>
"""


def active() -> bool:
    """Whether presentation mode is on."""
    return filter_state.current_display().present


def _leave() -> None:
    st.session_state[filter_state.K_PRESENT] = False


def navigation_position() -> str:
    """Where ``st.navigation`` draws the page links: along the top when presenting (the sidebar is hidden)."""
    return "top" if active() else "sidebar"


def apply() -> None:
    """Hide the controls and enlarge the type when presentation mode is on."""
    if active():
        # Streamlit turns a widget key into the CSS class "st-key-<key>", with dots as dashes.
        hidden = ", ".join(f'[class*="st-key-{k.replace(".", "-")}"]' for k in CONTROL_KEYS)
        st.html(_CSS % hidden)
        st.button("Exit presentation mode", key="view.exit_present", on_click=_leave, icon=":material/close:")
