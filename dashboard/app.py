"""Router: page config, the shared filter, navigation. Run with ``streamlit run dashboard/app.py``."""

from pathlib import Path

import streamlit as st

from dashboard.ui import data, filter_state, presentation

st.set_page_config(page_title="Balkan Watch", page_icon=str(Path(__file__).parent / "assets" / "favicon.png"), layout="wide")

navigation = st.navigation(
    {
        "Explore": [
            st.Page("views/map.py", title="Map", icon=":material/map:", url_path="map", default=True),
            st.Page("views/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
            st.Page("views/articles.py", title="Articles", icon=":material/article:", url_path="articles"),
            st.Page("views/expected.py", title="Expected developments", icon=":material/event_upcoming:",
                    url_path="expected"),
        ],
        "Share": [
            st.Page("views/brief.py", title="Briefing and export", icon=":material/description:", url_path="brief"),
        ],
        "Data": [
            st.Page("views/add.py", title="Add articles", icon=":material/upload_file:", url_path="add"),
        ],
    }
)
with data.narrow_on_timeout():
    filter_state.render_sidebar(data.facet_options())
    presentation.apply()
    navigation.run()
