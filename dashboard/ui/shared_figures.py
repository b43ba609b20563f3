"""Page figures built once per state and shared by every session, instead of once per page load.

Building a plotly figure is most of a page's own time (validation of every property): 60-250 ms for
the map, the timeline and the Overview's small multiples, paid again by every session that opens the
same view. A figure is fully decided by the filter, the display options, the page's view choices, the
data version and the day, so it is kept under those (``st.cache_resource``: one object, no copy).
The figure handed out is shared: draw it, copy it (``go.Figure(fig)``), never change it in place.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date

import plotly.graph_objects as go
import streamlit as st

from dashboard import settings
from dashboard.ui.data import data_version


@st.cache_resource(show_spinner=False, max_entries=48)
def _built(name: str, url: str, version: str, today: date, state: Hashable,
           _build: Callable[[], go.Figure]) -> go.Figure:
    return _build()


def shared(name: str, state: Hashable, build: Callable[[], go.Figure]) -> go.Figure:
    """The figure ``name`` for ``state`` (every input the figure depends on besides the store's data and
    the day: filter, display, view choices), made by ``build()`` when no session has made it yet."""
    return _built(name, settings.read_database_url(), data_version(), date.today(), state, build)
