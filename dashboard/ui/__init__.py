"""The only package that talks to Streamlit's caches and session: filter state, data access, figures."""
