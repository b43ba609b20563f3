"""GDELT reader on synthetic rows in the real layouts: FIPS traps, region filter, min_sources, bad rows, zips."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from dashboard.ingest.gdelt import COLUMNS_V1_BACKFILE, COLUMNS_V1_DAILY, COLUMNS_V2, read_gdelt, sniff
from dashboard.ingest.problems import RecordError
from dashboard.ingest.validate import event_from_raw

FIXTURES = Path(__file__).parent / "fixtures" / "gdelt"
V2_FILE = FIXTURES / "20240105120000.export.CSV"


def _ids(items) -> list[tuple[int, str]]:
    return [(line, item["id"] if isinstance(item, dict) else f"error: {item}") for line, item in items]


def test_column_lists_match_the_codebooks():
    assert (len(COLUMNS_V2), len(COLUMNS_V1_DAILY), len(COLUMNS_V1_BACKFILE)) == (61, 58, 57)
    assert COLUMNS_V2[:6] == ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate", "Actor1Code")
    assert COLUMNS_V2[25:35] == ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
                                 "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone")
    assert COLUMNS_V2[51:61] == ("ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode",
                                 "ActionGeo_ADM1Code", "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long",
                                 "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL")
    assert COLUMNS_V1_DAILY[49:58] == ("ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode",
                                       "ActionGeo_ADM1Code", "ActionGeo_Lat", "ActionGeo_Long",
                                       "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL")
    assert COLUMNS_V1_BACKFILE[-1] == "DATEADDED"


def test_default_region_keeps_the_region_and_drops_russia_bahrain_bangladesh_australia():
    items = list(read_gdelt(V2_FILE.read_bytes(), V2_FILE.name))
    assert _ids(items) == [
        (1, "gdelt:1100000001"),  # Belgrade (FIPS RI)
        (4, "gdelt:1100000004"),  # Banja Luka (FIPS BK)
        (5, "gdelt:1100000005"),  # Zvecan (FIPS KV)
        (6, "gdelt:1100000006"),  # Washington, with Actor1Geo in Serbia
        (7, "gdelt:1100000007"),  # Podgorica (FIPS MJ)
        (8, "error: ActionGeo_Lat 'north' is not a number"),  # Zagreb, bad latitude
        (10, "gdelt:1100000010"),  # Sofia (FIPS BU)
        (12, "gdelt:1100000012"),  # Vienna (FIPS AU)
    ]
    # dropped: 2 Moscow (FIPS RS), 3 Bahrain (FIPS BA), 9 Dhaka (FIPS BG), 11 Australia (FIPS AS)
    assert items[5][1].field == "ActionGeo_Lat"


def test_region_all_keeps_every_row_and_never_turns_russia_into_serbia_or_bahrain_into_bosnia():
    events = {item["id"]: item for _line, item in read_gdelt(V2_FILE.read_bytes(), region="all")
              if isinstance(item, dict)}
    assert len(events) == 11
    assert events["gdelt:1100000002"]["countries"] == ["RU"]  # ActionGeo FIPS RS, actor CAMEO RUS
    assert events["gdelt:1100000003"]["countries"] == ["BH"]  # ActionGeo FIPS BA, actor CAMEO BHR
    assert events["gdelt:1100000009"]["countries"] == ["BD"]  # FIPS BG is Bangladesh
    assert events["gdelt:1100000011"]["countries"] == ["AU"]  # FIPS AS is Australia
    assert events["gdelt:1100000012"]["countries"] == ["AT"]  # FIPS AU is Austria
    assert events["gdelt:1100000010"]["countries"] == ["BG"]  # FIPS BU is Bulgaria
    for event in events.values():
        assert "RS" not in event["countries"] or event["id"] in (
            "gdelt:1100000001", "gdelt:1100000005", "gdelt:1100000006")
        assert "BA" not in event["countries"] or event["id"] == "gdelt:1100000004"


def test_region_as_a_list_of_our_codes():
    items = list(read_gdelt(V2_FILE.read_bytes(), region=["XK", "BA"]))
    assert _ids(items) == [(4, "gdelt:1100000004"), (5, "gdelt:1100000005")]
    with pytest.raises(ValueError):
        list(read_gdelt(V2_FILE.read_bytes(), region="balkans"))


def test_min_sources_drops_thin_rows():
    items = list(read_gdelt(V2_FILE.read_bytes(), min_sources=3))
    assert _ids(items) == [(1, "gdelt:1100000001"), (5, "gdelt:1100000005")]
    two = [line for line, item in read_gdelt(V2_FILE.read_bytes(), min_sources=2)]
    assert 7 not in two  # Podgorica has NumSources 1
    assert 1 in two


def test_full_mapping_of_a_protest_in_belgrade():
    [(line, event)] = [x for x in read_gdelt(V2_FILE.read_bytes()) if x[0] == 1]
    assert event == {
        "type": "event",
        "id": "gdelt:1100000001",
        "source_id": "1100000001",
        "title": "Demonstrate or rally: Student and Serbia, Belgrade",
        "status": "occurred",
        "date_start": "2024-01-05",
        "date_end": "2024-01-05",
        "date_precision": "day",
        "category": "protest",
        "countries": ["RS"],
        "places": ["RS-00"],
        "actors": ["Student", "Serbia"],
        "location": "Belgrade, Central Serbia, Serbia",
        "lat": 44.8186,
        "lon": 20.4681,
        "geo_precision": "town",
        "source_url": "https://example.org/synthetic-test-data/1",
        "source_name": "GDELT",
        "verification": "machine",
        "dataset": "gdelt",
        "event_type": "Protest",
        "sub_event_type": "Demonstrate or rally",
        "num_sources": 3,
        "source_updated": 20240105120000,
        "attributes": {
            "layout": "gdelt2", "EventCode": "141", "EventBaseCode": "141", "EventRootCode": "14",
            "QuadClass": 3, "GoldsteinScale": -2.0, "NumMentions": 4, "NumArticles": 4, "AvgTone": -3.5,
            "IsRootEvent": 1, "Actor1Code": "SRBEDU", "Actor2Code": "SRBGOV", "Actor1CountryCode": "SRB",
            "Actor2CountryCode": "SRB", "Actor1Type1Code": "EDU", "Actor2Type1Code": "GOV",
            "ActionGeo_CountryCode": "RI", "ActionGeo_ADM1Code": "RI00", "ActionGeo_FeatureID": "-74897",
            "DATEADDED": "20240105120000",
        },
    }
    record = event_from_raw(event, V2_FILE.name)
    assert (record.verification, record.dataset, record.num_sources) == ("machine", "gdelt", 3)


def test_places_categories_and_statuses():
    events = {item["id"]: item for _line, item in read_gdelt(V2_FILE.read_bytes()) if isinstance(item, dict)}
    banja_luka = events["gdelt:1100000004"]  # CAMEO 112 accuse
    assert (banja_luka["places"], banja_luka["category"], banja_luka["status"]) == (["BA-SRP"], "politics", "statement")
    zvecan = events["gdelt:1100000005"]  # CAMEO 190 fight, Serbian and Kosovar (KSV) actors
    assert zvecan["countries"] == ["XK", "RS"]
    assert zvecan["places"] == ["XK-ZVECAN", "XK-NORTH"]
    assert (zvecan["category"], zvecan["status"]) == ("military", "occurred")
    assert zvecan["title"] == "Use conventional military force: Serbia and Kosovo, Zvecan"
    washington = events["gdelt:1100000006"]  # CAMEO 036 intent to negotiate
    assert washington["countries"] == ["US", "RS"]
    assert (washington["category"], washington["status"]) == ("diplomacy", "statement")
    assert washington["places"] == []
    sofia = events["gdelt:1100000010"]  # CAMEO 173 arrest
    assert (sofia["category"], sofia["status"]) == ("crime", "occurred")
    vienna = events["gdelt:1100000012"]  # CAMEO 057 sign formal agreement
    assert (vienna["category"], vienna["status"]) == ("diplomacy", "occurred")
    country_level = [item for _line, item in read_gdelt(V2_FILE.read_bytes(), region="all")
                     if isinstance(item, dict) and item["id"] == "gdelt:1100000003"][0]
    assert country_level["geo_precision"] == "country"
    assert country_level["title"] == "Make statement: Bahrain"


def test_gdelt1_daily_file_with_crlf():
    data = (FIXTURES / "20130405.export.CSV").read_bytes()
    assert sniff(data) == "gdelt1"
    items = list(read_gdelt(data))
    assert _ids(items) == [(1, "gdelt:250000001")]
    event = items[0][1]
    assert event["date_start"] == "2013-04-05"
    assert event["source_updated"] == 20130405
    assert event["attributes"]["layout"] == "gdelt1"
    assert event["source_url"] == "https://example.org/synthetic-test-data/1"
    assert event["lat"] == 44.8186
    all_rows = list(read_gdelt(data, region="all"))
    assert all_rows[1][1]["countries"] == ["RU"]


def test_gdelt1_backfile_without_sourceurl_and_a_bad_date():
    data = (FIXTURES / "1999.csv").read_bytes()
    assert sniff(data) == "gdelt1"
    items = list(read_gdelt(data))
    assert _ids(items) == [(1, "gdelt:90000001"), (2, "gdelt:90000002"),
                           (3, "error: SQLDATE '19991340' is not a date (YYYYMMDD)")]
    assert items[0][1]["source_url"] is None
    assert items[0][1]["date_start"] == "1999-03-24"
    assert items[0][1]["places"] == ["BA-SRP"]
    assert items[2][1].field == "SQLDATE"


def test_zip_as_distributed():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("20240105120000.export.CSV", V2_FILE.read_bytes())
    data = buffer.getvalue()
    assert sniff(data) == "gdelt2"
    assert sniff(data[:100]) == "gdelt2"  # only the first bytes: the member's name says it
    assert [line for line, _ in read_gdelt(data, "20240105120000.export.CSV.zip")] == [1, 4, 5, 6, 7, 8, 10, 12]


def test_a_zip_with_two_members_is_an_error():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.CSV", "x")
        archive.writestr("b.CSV", "y")
    [(line, error)] = list(read_gdelt(buffer.getvalue()))
    assert line is None
    assert str(error) == "the zip holds 2 files; a GDELT zip holds one"


def test_sniff_by_field_count():
    assert sniff(V2_FILE.read_bytes()[:4000]) == "gdelt2"
    assert sniff(b"\t".join([b"1", b"20240105"] + [b""] * 59)) == "gdelt2"
    assert sniff(b"\t".join([b"1", b"20240105"] + [b""] * 56)) == "gdelt1"
    assert sniff(b"\t".join([b"1", b"20240105"] + [b""] * 55)) == "gdelt1"
    assert sniff(b"\t".join([b"1", b"20240105"] + [b""] * 58)) is None  # 60 fields: no layout
    assert sniff(b"event_id_cnty,event_date\n") is None


def test_unknown_field_count_lists_the_layouts_and_a_short_row_later_is_one_error():
    [(line, error)] = list(read_gdelt(b"1\t2\t3\n"))
    assert line == 1
    assert str(error) == ("the row has 3 tab-separated fields; known layouts: GDELT 2.0 events (61 fields); "
                          "GDELT 1.0 daily events (58 fields); GDELT 1.0 back-file events (57 fields)")
    lines = V2_FILE.read_bytes().split(b"\n")
    data = b"\n".join([lines[0], b"1\t2\t3", lines[3]]) + b"\n"
    items = list(read_gdelt(data))
    assert _ids(items) == [(1, "gdelt:1100000001"),
                           (2, "error: the row has 3 tab-separated fields where this GDELT 2.0 events file has 61"),
                           (3, "gdelt:1100000004")]


def test_bad_numsources_with_min_sources_and_bad_event_id():
    lines = V2_FILE.read_bytes().split(b"\n")
    fields = lines[0].split(b"\t")
    fields[32] = b"three"  # NumSources
    bad_sources = b"\t".join(fields)
    fields = lines[0].split(b"\t")
    fields[0] = b"x1"
    bad_id = b"\t".join(fields)
    items = list(read_gdelt(b"\n".join([bad_sources, bad_id, lines[3]]), min_sources=2))
    assert _ids(items) == [(1, "error: NumSources 'three' is not a whole number"),
                           (2, "error: GLOBALEVENTID 'x1' is not a number"),
                           (3, "gdelt:1100000004")]
    assert [item.field for _line, item in items[:2]] == ["NumSources", "GLOBALEVENTID"]


def test_empty_file():
    [(line, error)] = list(read_gdelt(b""))
    assert line is None
    assert isinstance(error, RecordError)


def synthetic_export(rows: int, every: int = 25) -> bytes:
    """A worldwide-looking 2.0 export built from the fixture's lines: one row in ``every`` is Belgrade,
    the rest Moscow, Bahrain, Dhaka and Australia (the traps). Also used to time the reader."""
    lines = V2_FILE.read_bytes().split(b"\n")
    belgrade, elsewhere = lines[0], [lines[1], lines[2], lines[8], lines[10]]
    out = []
    for i in range(rows):
        template = belgrade if i % every == 0 else elsewhere[i % 4]
        out.append(str(2_000_000_000 + i).encode() + template[template.index(b"\t"):])
    return b"\n".join(out) + b"\n"


def test_filter_on_a_generated_worldwide_export():
    data = synthetic_export(2000)
    kept = list(read_gdelt(data))
    assert len(kept) == 80  # rows 0, 25, 50, ... 1975
    assert kept[0][0] == 1 and kept[1][0] == 26
    assert all(item["countries"] == ["RS"] for _line, item in kept)
    assert len(list(read_gdelt(data, region="all"))) == 2000
    assert len(list(read_gdelt(data, min_sources=4))) == 0  # Belgrade has 3 sources


def test_actor_names_read_as_words_with_acronyms_kept():
    lines = V2_FILE.read_bytes().split(b"\n")
    fields = lines[0].split(b"\t")
    fields[6], fields[16] = b"UNITED NATIONS", b"NATO"  # Actor1Name, Actor2Name
    [(_line, event)] = list(read_gdelt(b"\t".join(fields)))
    assert event["actors"] == ["United Nations", "NATO"]
    assert event["title"] == "Demonstrate or rally: United Nations and NATO, Belgrade"
