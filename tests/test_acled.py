"""ACLED reader on synthetic files in the real layouts: every layout and date form, line numbers, bad rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dashboard.ingest.acled import (
    parse_acled_date,
    read_acled,
    read_acled_deletions,
    sniff,
    sniff_deletions,
)
from dashboard.ingest.problems import RecordError
from dashboard.ingest.validate import event_from_raw

FIXTURES = Path(__file__).parent / "fixtures" / "acled"
HEADER_2023 = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
               "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,"
               "country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,"
               "notes,fatalities,tags,timestamp")


def _read(name: str) -> list:
    return list(read_acled((FIXTURES / name).read_bytes(), name))


def _events(items) -> dict[str, dict]:
    return {item["id"]: item for _line, item in items if isinstance(item, dict)}


def test_export_since_2023_line_numbers_across_crlf_bom_and_multiline_notes():
    items = _read("acled_2023.csv")
    # row 1's notes span lines 2-4 (two quoted line breaks), so row 2 starts on line 5
    assert [(line, item["id"] if isinstance(item, dict) else "error") for line, item in items] == [
        (2, "acled:BIH9001"), (5, "acled:XKX9002"), (6, "acled:XKX9003"), (7, "acled:BIH9004"),
        (8, "error"), (9, "acled:BIH9006"),
    ]


def test_export_since_2023_full_mapping_of_one_row():
    event = _events(_read("acled_2023.csv"))["acled:BIH9001"]
    assert event == {
        "type": "event",
        "id": "acled:BIH9001",
        "source_id": "BIH9001",
        "title": "Peaceful protest in Banja Luka in the week of 16 February 2023",
        "summary": 'Synthetic test data: on 16 February 2023, about 200 people protested, saying "test data".\n'
                   "Second line of the synthetic note.\nThird line.",
        "status": "occurred",
        "date_start": "2023-02-13",  # time_precision 2: the 7 days centred on 16 February
        "date_end": "2023-02-19",
        "date_precision": "week",
        "date_text": "the week around 16 February 2023 (ACLED: known to the week)",
        "category": "protest",
        "countries": ["BA"],
        "places": ["BA-SRP"],
        "actors": ["Protesters (Bosnia and Herzegovina)", "Synthetic Students Union", "Synthetic Teachers Union"],
        "location": "Banja Luka",
        "lat": 44.7722,
        "lon": 17.191,
        "geo_precision": "town",
        "source_name": "ACLED (Synthetic Outlet A; Synthetic Outlet B)",
        "verification": "coded",
        "dataset": "acled",
        "event_type": "Protests",
        "sub_event_type": "Peaceful protest",
        "fatalities": 0,
        "source_updated": 1676900000,
        "attributes": {
            "disorder_type": "Demonstrations", "inter1": "Protesters", "interaction": "Protesters only",
            "iso": 70, "region": "Europe", "admin1": "Republika Srpska", "admin2": "Banja Luka",
            "source": "Synthetic Outlet A; Synthetic Outlet B", "source_scale": "National",
            "tags": "crowd size=synthetic", "timestamp": 1676900000,
        },
    }
    record = event_from_raw(event, "acled_2023.csv")
    assert (record.date_start, record.date_end, record.dataset, record.verification) == (
        date(2023, 2, 13), date(2023, 2, 19), "acled", "coded")


def test_kosovo_iso_zero_and_the_northern_municipalities():
    events = _events(_read("acled_2023.csv"))
    zvecan = events["acled:XKX9002"]
    assert zvecan["countries"] == ["XK"]
    assert zvecan["places"] == ["XK-ZVECAN", "XK-NORTH"]
    assert zvecan["actors"] == ["Rioters (Kosovo)", "Synthetic Local Group", "Police Forces of Kosovo (2008-)"]
    assert (zvecan["date_start"], zvecan["date_end"], zvecan["date_precision"]) == ("2023-05-29", "2023-05-29", "day")
    north = events["acled:XKX9003"]  # Albanian form "Mitrovicë e Veriut", month precision, "01 November 2024"
    assert north["places"] == ["XK-NORTH-MITROVICA", "XK-NORTH"]
    assert (north["date_start"], north["date_end"], north["date_precision"]) == ("2024-11-01", "2024-11-30", "month")
    assert north["category"] == "crime"  # Strategic developments / Arrests
    assert north["geo_precision"] == "near-town"
    assert north["title"] == "Arrests in Mitrovice e Veriut in November 2024"


def test_bosnian_entities_and_categories():
    events = _events(_read("acled_2023.csv"))
    assert events["acled:BIH9004"]["places"] == ["BA-BRC"]
    assert events["acled:BIH9004"]["category"] == "diplomacy"  # Strategic developments / Agreement
    assert events["acled:BIH9004"]["geo_precision"] == "region"
    assert events["acled:BIH9006"]["places"] == ["BA-BIH"]
    assert events["acled:BIH9006"]["category"] == "security"
    assert events["acled:BIH9006"]["fatalities"] == 2
    assert events["acled:BIH9006"]["attributes"]["civilian_targeting"] == "Civilian targeting"
    assert events["acled:BIH9006"]["attributes"]["admin3"] == "Centar"


def test_bad_latitude_is_one_error_on_its_line_and_the_other_rows_still_come():
    items = _read("acled_2023.csv")
    errors = [(line, str(item), item.field) for line, item in items if isinstance(item, RecordError)]
    assert errors == [(8, "latitude 'abc' is not a number", "latitude")]
    assert len(_events(items)) == 5


def test_layout_2019_to_2022_with_iso3_and_numeric_interactions():
    items = _read("acled_2019.csv")
    assert [line for line, _ in items] == [2, 3]
    events = _events(items)
    leposavic = events["acled:XKX8001"]  # iso empty: Kosovo from iso3 XKX
    assert leposavic["countries"] == ["XK"]
    assert leposavic["places"] == ["XK-LEPOSAVIC", "XK-NORTH"]
    assert leposavic["date_start"] == "2020-03-21"
    assert leposavic["attributes"]["inter1"] == 6
    assert leposavic["attributes"]["interaction"] == 60
    assert leposavic["attributes"]["data_id"] == 7001
    assert leposavic["attributes"]["iso3"] == "XKX"
    assert leposavic["attributes"]["event_id_no_cnty"] == 8001
    montenegro = events["acled:MNE8002"]
    assert montenegro["date_start"] == "2020-05-09"  # "9-May-20"
    assert montenegro["countries"] == ["ME"]
    assert montenegro["places"] == []
    assert montenegro["summary"] == "Synthetic test data, with a comma."


def test_trimmed_upper_case_reordered_export():
    items = _read("acled_trimmed_upper.csv")
    assert [line for line, _ in items] == [2, 3]
    events = _events(items)
    zubin = events["acled:XKX7001"]
    assert zubin["date_start"] == "2024-08-05"  # "5-Aug-24"
    assert zubin["places"] == ["XK-ZUBIN-POTOK", "XK-NORTH"]
    assert zubin["actors"] == ["Protesters (Kosovo)"]
    moldova = events["acled:MDA7002"]
    assert moldova["date_start"] == "2025-05-16"  # "16-May-2025"
    assert moldova["places"] == ["MD-SN"]
    assert moldova["category"] == "politics"  # Strategic developments / Other
    assert moldova["title"] == "Strategic developments in Tiraspol on 16 May 2025"
    for event in events.values():
        event_from_raw(event, "acled_trimmed_upper.csv")


@pytest.mark.parametrize(("text", "expected"), [
    ("2023-02-16", date(2023, 2, 16)),
    ("16 February 2023", date(2023, 2, 16)),
    ("01 November 2024", date(2024, 11, 1)),
    ("21 March 2020", date(2020, 3, 21)),
    ("9-May-20", date(2020, 5, 9)),
    ("5-Aug-24", date(2024, 8, 5)),
    ("16-May-2025", date(2025, 5, 16)),
    ("3-Jan-98", date(1998, 1, 3)),
])
def test_every_date_form(text, expected):
    assert parse_acled_date(text) == expected


@pytest.mark.parametrize("text", ["2023-02-30", "16 Febtober 2023", "16/02/2023", "yesterday"])
def test_bad_dates_name_the_column_and_value(text):
    with pytest.raises(RecordError) as exc:
        parse_acled_date(text)
    assert exc.value.field == "event_date"
    assert f"event_date '{text}' is not a date" in str(exc.value)


def _csv(*rows: str, header: str = HEADER_2023) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


ROW = ("SRB1,2024-03-06,2024,1,Demonstrations,Protests,Peaceful protest,Protesters (Serbia),,Protesters,,,,"
       "Protesters only,,688,Europe,Serbia,Belgrade,Stari Grad,,Belgrade,44.8176,20.4633,1,Synthetic Outlet,"
       "National,Synthetic test data.,0,,1709800000")


def test_serbia_row_with_lf_and_no_bom():
    [(line, event)] = list(read_acled(_csv(ROW)))
    assert line == 2
    assert event["countries"] == ["RS"]
    assert event["places"] == ["RS-00"]
    assert event["title"] == "Peaceful protest in Belgrade on 6 March 2024"


@pytest.mark.parametrize(("column", "value", "message"), [
    ("fatalities", "many", "fatalities 'many' is not a whole number"),
    ("longitude", "200", "longitude '200' is outside -180..180"),
    ("time_precision", "7", "time_precision '7' is not 1, 2 or 3"),
    ("geo_precision", "x", "geo_precision 'x' is not a whole number"),
    ("timestamp", "later", "timestamp 'later' is not a Unix timestamp"),
    ("event_date", "soon", "event_date 'soon' is not a date"),
])
def test_each_bad_cell_gives_one_error_naming_column_and_value(column, value, message):
    cells = ROW.split(",")
    cells[HEADER_2023.split(",").index(column)] = value
    items = list(read_acled(_csv(ROW.replace("SRB1", "SRB0"), ",".join(cells))))
    assert [line for line, _ in items] == [2, 3]
    assert isinstance(items[0][1], dict)
    error = items[1][1]
    assert isinstance(error, RecordError)
    assert error.field == column
    assert message in str(error)


def test_country_falls_back_from_iso_to_the_name_and_fails_when_neither_is_known():
    cells = ROW.split(",")
    cells[HEADER_2023.split(",").index("iso")] = "999"
    [(_line, event)] = list(read_acled(_csv(",".join(cells))))
    assert event["countries"] == ["RS"]  # from country "Serbia"
    cells[HEADER_2023.split(",").index("country")] = "Synthetic Land"
    [(line, error)] = list(read_acled(_csv(",".join(cells))))
    assert (line, str(error), error.field) == (2, "iso '999' is not a country we know", "iso")


def test_unknown_header_lists_the_known_layouts():
    items = _read("not_acled.csv")
    assert len(items) == 1
    line, error = items[0]
    assert line == 1
    assert isinstance(error, RecordError)
    message = str(error)
    assert message.startswith("the header matches no known ACLED layout; known layouts:")
    assert "ACLED export since 2023" in message
    assert "ACLED 2019-2022 export" in message
    assert "trimmed, reordered or upper-case" in message


def test_a_header_missing_a_required_column_says_which():
    header = HEADER_2023.replace("latitude,", "")
    [(line, error)] = list(read_acled(_csv(header=header)))
    assert line == 1
    assert "lacks the column(s) latitude" in str(error)


def test_a_row_with_too_few_fields_is_an_error():
    items = list(read_acled(_csv(ROW, "SRB2,2024-03-06,2024")))
    assert isinstance(items[0][1], dict)
    assert items[1][0] == 3
    assert "the row has 3 fields where the header has 31" in str(items[1][1])


def test_a_quote_left_open_swallows_the_rest_into_one_error_after_the_good_rows():
    broken = ROW.replace("Synthetic test data.", '"Synthetic test data, never closed')
    items = list(read_acled(_csv(ROW, broken, ROW.replace("SRB1", "SRB3"))))
    assert [line for line, _ in items] == [2, 3]
    assert isinstance(items[0][1], dict)
    assert "where the header has 31 (a quote left open or a stray comma?)" in str(items[1][1])


def test_sniff():
    assert sniff((FIXTURES / "acled_2023.csv").read_bytes()[:300]) == "acled"
    assert sniff((FIXTURES / "acled_2019.csv").read_bytes()[:300]) == "acled"
    assert sniff((FIXTURES / "acled_trimmed_upper.csv").read_bytes()[:300]) == "acled"
    assert sniff((FIXTURES / "not_acled.csv").read_bytes()) is None
    assert sniff(b"1100000001\t20240105\t202401") is None
    assert sniff_deletions((FIXTURES / "acled_deleted.csv").read_bytes()) is True
    assert sniff_deletions((FIXTURES / "acled_2023.csv").read_bytes()[:300]) is False


def test_deleted_events_file():
    items = list(read_acled_deletions((FIXTURES / "acled_deleted.csv").read_bytes()))
    assert items[0] == (2, {"id": "acled:BIH9001", "deleted_timestamp": 1700000000})
    assert items[1][0] == 3
    assert str(items[1][1]) == "deleted_timestamp 'soon' is not a Unix timestamp"
    assert items[1][1].field == "deleted_timestamp"
    assert items[2] == (5, {"id": "acled:SRB9005", "deleted_timestamp": 1700000500})  # the blank line 4 skipped
    assert len(items) == 3


def test_deleted_events_file_with_the_wrong_header():
    [(line, error)] = list(read_acled_deletions(b"event_id_cnty,when\nX1,1\n"))
    assert line == 1
    assert "lacks deleted_timestamp" in str(error)
