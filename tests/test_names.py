"""The names registry: every code the product shows has its name, written here by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import charts
from dashboard.filters import Filters
from dashboard.names import PLACE_NAMES, country_label, country_name, place_name


@pytest.mark.parametrize("code, name", [
    ("XK-ZVECAN", "Zvečan"),  # a northern Kosovo municipality, from the boundaries
    ("XK-NORTH", "North Kosovo"),
    ("BA-SRP", "Republika Srpska"),
    ("BA-BRC", "Brčko District"),
    ("RS-00", "City of Belgrade"),  # Serbia's districts, from the boundaries
    ("RS-06", "South Bačka District"),
    ("RS-20", "Nišava District"),
    ("MD-SN", "Transnistria"),
])
def test_place_names(code, name):
    assert place_name(code) == name
    assert PLACE_NAMES[code] == name


@pytest.mark.parametrize("code, name", [
    ("RS", "Serbia"), ("XK", "Kosovo"), ("BA", "Bosnia and Herzegovina"), ("MK", "North Macedonia"),
    ("TR", "Türkiye"), ("NO", "Norway"),  # Norway: from the gazetteer, not our own list
])
def test_country_names(code, name):
    assert country_name(code) == name


def test_labels_put_the_code_after_the_name():
    assert country_label("RS") == "Serbia (RS)"
    assert country_label("XK", kosovo_star=True) == "Kosovo* (XK)"
    assert country_name("ZZ") == "ZZ"  # unknown: the code, never a guess


def test_the_filter_caption_names_places():
    caption = Filters(countries=("XK",), places=("XK-ZVECAN",)).describe()
    assert caption == "Kosovo; Zvečan"


def test_timeline_lanes_name_serbian_districts():
    events = pd.DataFrame({"id": ["a", "b"], "places": [["RS-00"], ["RS-20"]], "countries": [["RS"], ["RS"]]})
    _events, labels = charts.timeline_lanes(events, "place")
    assert set(labels.values()) == {"City of Belgrade", "Nišava District"}


def test_the_page_caption_names_a_municipality(sample_db_url, monkeypatch):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DASHBOARD_DB_URL", sample_db_url)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py"), default_timeout=60)
    at.query_params["places"] = "XK-ZVECAN"
    at.switch_page("views/timeline.py")
    at.run()
    caption = " ".join(c.value for c in at.caption)
    assert "Zvečan" in caption and "XK-ZVECAN" not in caption, caption
