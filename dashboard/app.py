"""Router: page config, the shared URL state, navigation. Run with ``streamlit run dashboard/app.py``."""

from pathlib import Path

import streamlit as st

from dashboard.ui import auth, data, filter_state, presentation

st.set_page_config(page_title="Balkan Watch", page_icon=str(Path(__file__).parent / "assets" / "favicon.png"), layout="wide")
# The Overview is the default page, served at "/" (Streamlit's default page has no other address);
# every other page has its own: /map, /timeline, /articles, /expected, /brief, /add.
OVERVIEW = st.Page("views/overview.py", title="Overview", icon=":material/monitoring:", url_path="overview",
                   default=True)
MAP = st.Page("views/map.py", title="Map", icon=":material/map:", url_path="map")

PAGES = {
    "Explore": [
        OVERVIEW,
        MAP,
        st.Page("views/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
        st.Page("views/articles.py", title="Articles", icon=":material/article:", url_path="articles"),
        st.Page("views/expected.py", title="Expected developments", icon=":material/event_upcoming:",
                url_path="expected"),
    ],
    "Share": [
        st.Page("views/brief.py", title="Briefing and export", icon=":material/description:", url_path="brief"),
    ],
}
ADD = st.Page("views/add.py", title="Add articles", icon=":material/upload_file:", url_path="add")
ACCOUNTS = st.Page("views/accounts.py", title="Accounts", icon=":material/manage_accounts:", url_path="accounts")

# Before anything reads the store's data: with accounts, a visitor without a session gets the sign-in
# form and the run stops here (no facets, no page, no download is ever built for them). The pages are
# registered, not run, so the address asked for (/map?countries=BA) is the one shown after sign-in.
auth.gate([p for section in PAGES.values() for p in section] + [ADD, ACCOUNTS])
filter_state.restore()
if auth.can("add"):  # viewers have no upload or import page at all
    PAGES["Data"] = [ADD]
if auth.is_admin():
    PAGES.setdefault("Data", []).append(ACCOUNTS)
# Presenting, the sidebar is hidden: the pages are linked along the top, one click each (no section menus).
navigation = st.navigation([p for section in PAGES.values() for p in section] if presentation.active() else PAGES,
                           position=presentation.navigation_position())
with data.narrow_on_timeout():  # a read that runs out of time asks for a narrower filter
    auth.render_sidebar()
    filter_state.render_sidebar(data.facet_options())
    presentation.apply()
    filter_state.sync_url()
    navigation.run()
