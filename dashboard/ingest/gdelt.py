"""GDELT event files -> our raw event records (pure functions: bytes in, ``(line, item)`` out).

Layouts, told apart by the number of tab-separated fields (no header; one row per line):

- ``gdelt2``: GDELT 2.0 events, 61 fields (geo blocks with ADM2Code; DATEADDED YYYYMMDDHHMMSS,
  SOURCEURL last), distributed as ``*.export.CSV.zip`` every 15 minutes;
- ``gdelt1``: GDELT 1.0 daily files, 58 fields (no ADM2Code; DATEADDED YYYYMMDD, SOURCEURL last),
  and 1.0 back-files (before April 2013), 57 fields (no SOURCEURL).

A zip as distributed is read through its one member. :func:`sniff` tells the layout from the
first bytes.

**Region filter.** By default only rows whose ActionGeo, Actor1Geo or Actor2Geo country is one
of ``dashboard.names.COVERED_COUNTRIES`` are kept; the test runs on the raw split fields, against
the FIPS codes of those countries, before any dict is built (a day of 2.0 exports is about
200,000 worldwide rows). ``region="all"`` keeps every row; ``region=[...]`` takes our ISO codes.
``min_sources=N`` drops rows with NumSources < N. Filtered-out rows yield nothing.

**Country codes.** Geo fields are FIPS 10-4 (RS is Russia, BA Bahrain, RI Serbia, BK Bosnia):
see :mod:`dashboard.ingest.crosswalk`. Actor country codes are CAMEO (ISO alpha-3 based; KSV
or KOS for Kosovo). ``countries`` lists the ActionGeo country first, then the actors' geo
countries, then the actors' CAMEO countries, each once; a code the crosswalks do not know is
left out.

Mapping to our raw event (validated by ``dashboard.ingest.validate.event_from_raw``):

================  ===========================================================================
ours              from GDELT
================  ===========================================================================
id / source_id    "gdelt:" + GLOBALEVENTID / GLOBALEVENTID
date              SQLDATE as one day, precision "day"
status            "statement" for the CAMEO roots that are something said: 01 public
                  statement, 02 appeal, 03 intent to cooperate, 10 demand, 11 disapprove,
                  12 reject, 13 threaten; "occurred" for the rest (04 consult includes
                  visits and meetings, 05 includes signing agreements, 14 protest is
                  QuadClass 3 "verbal conflict" but a demonstration takes place). QuadClass
                  is kept in attributes.
category          by CAMEO code, table below
event_type        the CAMEO root's name ("Protest"); sub_event_type the CAMEO code's name
                  where known, else the root's
title             "<CAMEO name>: <Actor1Name> and <Actor2Name>, <place>", e.g. "Demonstrate or
                  rally: Student and Police, Belgrade" (names as words, acronyms kept; the
                  place is the first part of ActionGeo_FullName, left out when it repeats
                  an actor)
actors            Actor1Name, Actor2Name
location          ActionGeo_FullName; lat / lon from ActionGeo_Lat / ActionGeo_Long
geo_precision     ActionGeo_Type 1 country -> "country", 2 US state -> "region",
                  3 US city -> "town", 4 world city -> "town", 5 world state -> "region"
places            only from ActionGeo_FullName's parts that name one of our places exactly
                  (BiH entities and Brčko, the northern Kosovo municipalities, Serbian districts,
                  Moldova's regions; :func:`dashboard.ingest.crosswalk.places_from_names`).
                  ADM1Code is NOT used: GDELT's FIPS ADM1 codes for BiH, Kosovo and Serbia
                  have not been checked against our units, and a wrong place is worse than
                  none. Otherwise empty (the pipeline places the point in its polygon).
num_sources       NumSources
source_url        SOURCEURL (1.0 back-files have none); source_name "GDELT"
source_updated    DATEADDED as a number (YYYYMMDDHHMMSS in 2.0, YYYYMMDD in 1.0)
attributes        EventCode, EventBaseCode, EventRootCode, QuadClass, GoldsteinScale,
                  NumMentions, NumArticles, AvgTone, IsRootEvent, Actor1Code, Actor2Code,
                  Actor1CountryCode, Actor2CountryCode, Actor1Type1Code, Actor2Type1Code,
                  ActionGeo_CountryCode, ActionGeo_ADM1Code, ActionGeo_FeatureID, DATEADDED,
                  layout (empty ones left out)
dataset           "gdelt"; verification "machine" (machine-coded, never shown as verified)
================  ===========================================================================

Categories by CAMEO code (the most specific rule wins):

=================================  ==========================================  ==========
CAMEO code                         meaning                                     category
=================================  ==========================================  ==========
01, 02, 08, 09, 10, 11, 12         statement, appeal, yield, investigate,      politics
                                   demand, disapprove, reject
03, 04, 05, 06, 07, 16             intent to cooperate, consult, diplomatic /  diplomacy
                                   material cooperation, aid, reduce relations
0311, 061, 071                     economic cooperation (intent), economic     economy
                                   cooperation, economic aid
0312, 062, 072, 074                military cooperation (intent, act), aid,    military
                                   protection or peacekeeping
091, 173                           investigate crime or corruption; arrest,    crime
                                   detain or charge
13                                 threaten                                    protest
138 (and 1381..1385)               threaten with military force                military
14                                 protest (demonstrate, strike, riot)         protest
15, 19                             exhibit force posture, fight                military
17, 18, 20                         coerce, assault, unconventional mass        security
                                   violence
=================================  ==========================================  ==========
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator

from dashboard.ingest.crosswalk import cameo_to_iso2, fips_codes, fips_to_iso2, places_from_names
from dashboard.ingest.problems import RecordError

Item = tuple["int | None", "dict | RecordError"]

_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
          "Type1Code", "Type2Code", "Type3Code")
_EVENT = ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
          "NumMentions", "NumSources", "NumArticles", "AvgTone")
_GEO2 = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
_GEO1 = ("Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long", "FeatureID")
_HEAD = ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")


def _columns(geo: tuple[str, ...], tail: tuple[str, ...]) -> tuple[str, ...]:
    return (*_HEAD, *(f"Actor1{f}" for f in _ACTOR), *(f"Actor2{f}" for f in _ACTOR), *_EVENT,
            *(f"{who}Geo_{f}" for who in ("Actor1", "Actor2", "Action") for f in geo), *tail)


#: GDELT 2.0 events (61 fields).
COLUMNS_V2: tuple[str, ...] = _columns(_GEO2, ("DATEADDED", "SOURCEURL"))
#: GDELT 1.0 daily files since April 2013 (58 fields).
COLUMNS_V1_DAILY: tuple[str, ...] = _columns(_GEO1, ("DATEADDED", "SOURCEURL"))
#: GDELT 1.0 back-files, 1979 to March 2013 (57 fields).
COLUMNS_V1_BACKFILE: tuple[str, ...] = _columns(_GEO1, ("DATEADDED",))
LAYOUTS: dict[int, tuple[str, tuple[str, ...]]] = {
    61: ("gdelt2", COLUMNS_V2), 58: ("gdelt1", COLUMNS_V1_DAILY), 57: ("gdelt1", COLUMNS_V1_BACKFILE),
}
LAYOUT_NAMES = {61: "GDELT 2.0 events", 58: "GDELT 1.0 daily events", 57: "GDELT 1.0 back-file events"}

#: CAMEO root codes -> their name (event_type, and the title when the code has no name below).
CAMEO_ROOTS: dict[str, str] = {
    "01": "Make public statement", "02": "Appeal", "03": "Express intent to cooperate", "04": "Consult",
    "05": "Engage in diplomatic cooperation", "06": "Engage in material cooperation", "07": "Provide aid",
    "08": "Yield", "09": "Investigate", "10": "Demand", "11": "Disapprove", "12": "Reject",
    "13": "Threaten", "14": "Protest", "15": "Exhibit force posture", "16": "Reduce relations",
    "17": "Coerce", "18": "Assault", "19": "Fight", "20": "Use unconventional mass violence",
}
#: Names of the CAMEO codes most often seen in the region (others fall back to their root's).
CAMEO_NAMES: dict[str, str] = {
    "010": "Make statement", "012": "Make pessimistic comment", "013": "Make optimistic comment",
    "020": "Make an appeal or request", "036": "Express intent to meet or negotiate",
    "040": "Consult", "042": "Make a visit", "043": "Host a visit", "046": "Engage in negotiation",
    "051": "Praise or endorse", "057": "Sign formal agreement", "061": "Cooperate economically",
    "062": "Cooperate militarily", "071": "Provide economic aid", "073": "Provide humanitarian aid",
    "074": "Provide military protection or peacekeeping", "090": "Investigate",
    "091": "Investigate crime or corruption", "100": "Demand", "111": "Criticize or denounce",
    "112": "Accuse", "120": "Reject", "130": "Threaten", "138": "Threaten with military force",
    "140": "Engage in political dissent", "141": "Demonstrate or rally", "143": "Conduct strike or boycott",
    "145": "Protest violently or riot", "150": "Demonstrate military or police power",
    "160": "Reduce relations", "163": "Impose embargo, boycott or sanctions", "170": "Coerce",
    "172": "Impose administrative sanctions", "173": "Arrest, detain or charge with legal action",
    "175": "Use tactics of violent repression", "180": "Use unconventional violence",
    "181": "Abduct, hijack or take hostage", "182": "Physically assault", "183": "Conduct bombing",
    "190": "Use conventional military force", "193": "Fight with small arms and light weapons",
    "195": "Employ aerial weapons", "200": "Use unconventional mass violence",
}
#: Category by CAMEO root code.
ROOT_CATEGORY: dict[str, str] = {
    "01": "politics", "02": "politics", "03": "diplomacy", "04": "diplomacy", "05": "diplomacy",
    "06": "diplomacy", "07": "diplomacy", "08": "politics", "09": "politics", "10": "politics",
    "11": "politics", "12": "politics", "13": "protest", "14": "protest", "15": "military",
    "16": "diplomacy", "17": "security", "18": "security", "19": "military", "20": "security",
}
#: Category by a more specific CAMEO code (prefix match, longest first).
CODE_CATEGORY: dict[str, str] = {
    "0311": "economy", "061": "economy", "071": "economy",
    "0312": "military", "062": "military", "072": "military", "074": "military",
    "138": "military", "091": "crime", "173": "crime",
}
#: CAMEO roots whose events are something said, not done: status "statement".
STATEMENT_ROOTS = frozenset({"01", "02", "03", "10", "11", "12", "13"})
GEO_TYPES = {"1": "country", "2": "region", "3": "town", "4": "town", "5": "region"}
_ATTRIBUTES = ("EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions",
               "NumArticles", "AvgTone", "IsRootEvent", "Actor1Code", "Actor2Code", "Actor1CountryCode",
               "Actor2CountryCode", "Actor1Type1Code", "Actor2Type1Code", "ActionGeo_CountryCode",
               "ActionGeo_ADM1Code", "ActionGeo_FeatureID", "DATEADDED")
_INT_ATTRIBUTES = {"QuadClass", "NumMentions", "NumArticles", "IsRootEvent"}
_FLOAT_ATTRIBUTES = {"GoldsteinScale", "AvgTone"}
_ZIP_MAGIC = b"PK\x03\x04"


def unzip(data: bytes) -> bytes:
    """The one member of a GDELT zip (``*.export.CSV.zip``); raises RecordError otherwise."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1:
                raise RecordError(f"the zip holds {len(members)} files; a GDELT zip holds one")
            return archive.read(members[0])
    except (zipfile.BadZipFile, EOFError) as exc:
        raise RecordError(f"the zip cannot be read ({exc}): is it truncated?") from None


def sniff(first_bytes: bytes) -> str | None:
    """``"gdelt2"`` (61 tab-separated fields), ``"gdelt1"`` (58 or 57), or ``None``.

    Pass at least the first line (4 KB is plenty). A zip is read through its member when the bytes
    hold the whole zip; from a zip's first bytes only, the member's name decides:
    ``YYYYMMDDHHMMSS.export.CSV`` is 2.0, ``YYYYMMDD.export.CSV`` and the back-files
    ``YYYY.csv`` / ``YYYYMM.csv`` are 1.0.
    """
    if first_bytes.startswith(_ZIP_MAGIC):
        try:
            return sniff(unzip(first_bytes)[:65536])
        except RecordError:
            pass
        name_len = int.from_bytes(first_bytes[26:28], "little")
        member = first_bytes[30:30 + name_len].decode("ascii", "replace").lower()
        stem = member.split(".", 1)[0]
        if stem.isdigit() and ".export.csv" in member:
            return "gdelt2" if len(stem) == 14 else "gdelt1"
        if stem.isdigit() and member.endswith(".csv") and len(stem) in (4, 6, 8):
            return "gdelt1"
        return None
    line = first_bytes.split(b"\n", 1)[0].rstrip(b"\r")
    fields = line.split(b"\t")
    if len(fields) not in LAYOUTS or not fields[0].strip().isdigit() or not fields[1].strip().isdigit():
        return None
    return LAYOUTS[len(fields)][0]


def _region_codes(region) -> frozenset[str] | None:
    if region == "all" or region is None:
        return None
    if region == "covered":
        from dashboard.names import COVERED_COUNTRIES

        return fips_codes(COVERED_COUNTRIES)
    if isinstance(region, str):
        raise ValueError(f"region must be 'covered', 'all' or a list of country codes, not {region!r}")
    return fips_codes(region)


_ACRONYMS = frozenset({"UN", "EU", "US", "UK", "NATO", "OSCE", "EULEX", "KFOR", "UNMIK", "OHR", "IMF", "USA",
                       "UAE", "ICC", "ICTY", "NGO", "CIA", "FBI"})
_SMALL_WORDS = frozenset({"of", "the", "and", "in", "on", "at", "to", "for"})


def _title_case(name: str) -> str:
    """GDELT's upper-case actor names as words: "UNITED NATIONS" -> "United Nations", "NATO" stays."""
    words = []
    for i, word in enumerate(name.split()):
        if word in _ACRONYMS:
            words.append(word)
        elif i and word.lower() in _SMALL_WORDS:
            words.append(word.lower())
        else:
            words.append(word[:1].upper() + word[1:].lower())
    return " ".join(words)


def _category(code: str, root: str) -> str:
    for length in (4, 3):
        if len(code) >= length and code[:length] in CODE_CATEGORY:
            return CODE_CATEGORY[code[:length]]
    return ROOT_CATEGORY.get(root, "politics")


def _number(value: str, field: str, cast=float):
    try:
        return cast(value)
    except ValueError:
        kind = "a number" if cast is float else "a whole number"
        raise RecordError(f"{field} '{value}' is not {kind}", field) from None


class _Layout:
    """Column positions of one layout, looked up once per file."""

    def __init__(self, width: int):
        self.name, self.columns = LAYOUTS[width]
        self.width = width
        self.at = {c: i for i, c in enumerate(self.columns)}
        at = self.at
        self.geo_country = (at["ActionGeo_CountryCode"], at["Actor1Geo_CountryCode"], at["Actor2Geo_CountryCode"])
        self.num_sources = at["NumSources"]


def _event(f: list[str], lay: _Layout) -> dict:
    at = lay.at

    def get(column: str) -> str:
        return f[at[column]].strip()

    event_id = get("GLOBALEVENTID")
    if not event_id.isdigit():
        raise RecordError(f"GLOBALEVENTID '{event_id}' is not a number", "GLOBALEVENTID")
    sqldate = get("SQLDATE")
    if len(sqldate) != 8 or not sqldate.isdigit() or not ("01" <= sqldate[4:6] <= "12") or not (
            "01" <= sqldate[6:] <= "31"):
        raise RecordError(f"SQLDATE '{sqldate}' is not a date (YYYYMMDD)", "SQLDATE")
    day = f"{sqldate[:4]}-{sqldate[4:6]}-{sqldate[6:]}"
    lat_raw, lon_raw = get("ActionGeo_Lat"), get("ActionGeo_Long")
    lat = _number(lat_raw, "ActionGeo_Lat") if lat_raw else None
    lon = _number(lon_raw, "ActionGeo_Long") if lon_raw else None
    if lat is not None and not -90 <= lat <= 90:
        raise RecordError(f"ActionGeo_Lat '{lat_raw}' is outside -90..90", "ActionGeo_Lat")
    if lon is not None and not -180 <= lon <= 180:
        raise RecordError(f"ActionGeo_Long '{lon_raw}' is outside -180..180", "ActionGeo_Long")
    if (lat is None) != (lon is None):
        raise RecordError("ActionGeo_Lat and ActionGeo_Long must be given together",
                          "ActionGeo_Lat" if lat is None else "ActionGeo_Long")
    sources_raw = get("NumSources")
    num_sources = _number(sources_raw, "NumSources", int) if sources_raw else None
    if num_sources is not None and num_sources < 0:
        raise RecordError(f"NumSources '{sources_raw}' is below 0", "NumSources")
    quad = get("QuadClass")
    if quad and quad not in ("1", "2", "3", "4"):
        raise RecordError(f"QuadClass '{quad}' is not 1, 2, 3 or 4", "QuadClass")
    code, root = get("EventCode"), get("EventRootCode")
    root = root.zfill(2) if root.isdigit() else root
    if not root and code[:2].isdigit():
        root = code[:2]
    root_name = CAMEO_ROOTS.get(root)
    code_name = CAMEO_NAMES.get(code) or CAMEO_NAMES.get(get("EventBaseCode")) or root_name
    countries: list[str] = []
    for fips in (get("ActionGeo_CountryCode"), get("Actor1Geo_CountryCode"), get("Actor2Geo_CountryCode")):
        iso = fips_to_iso2(fips)
        if iso and iso not in countries:
            countries.append(iso)
    for cameo in (get("Actor1CountryCode"), get("Actor2CountryCode")):
        iso = cameo_to_iso2(cameo)
        if iso and iso not in countries:
            countries.append(iso)
    actors = [n for n in (_title_case(get("Actor1Name")), _title_case(get("Actor2Name"))) if n]
    if len(actors) == 2 and actors[0] == actors[1]:
        actors = actors[:1]
    full_name = get("ActionGeo_FullName")
    place_word = full_name.split(",")[0].strip()
    title = (code_name or f"CAMEO event {code or '?'}") + (": " + " and ".join(actors) if actors else "")
    if place_word and place_word.lower() not in (a.lower() for a in actors):
        title += f", {place_word}" if actors else f": {place_word}"
    action_iso = fips_to_iso2(get("ActionGeo_CountryCode"))
    places: list[str] = []
    if action_iso in ("BA", "XK", "RS", "MD") and full_name:
        parts = [p.strip() for p in full_name.split(",")][:-1] or [full_name]
        for part in parts:
            found = places_from_names(action_iso, part, part if action_iso == "XK" else None)
            if found:
                places = found
                break
    attributes: dict = {"layout": lay.name}
    for column in _ATTRIBUTES:
        if column not in at:
            continue
        value = get(column)
        if not value:
            continue
        if column in _INT_ATTRIBUTES and value.lstrip("-").isdigit():
            attributes[column] = int(value)
        elif column in _FLOAT_ATTRIBUTES:
            try:
                attributes[column] = float(value)
            except ValueError:
                raise RecordError(f"{column} '{value}' is not a number", column) from None
        else:
            attributes[column] = value
    added = get("DATEADDED")
    url = get("SOURCEURL") if "SOURCEURL" in at else ""
    return {
        "type": "event",
        "id": f"gdelt:{event_id}",
        "source_id": event_id,
        "title": title[:500],
        "status": "statement" if root in STATEMENT_ROOTS else "occurred",
        "date_start": day,
        "date_end": day,
        "date_precision": "day",
        "category": _category(code, root),
        "countries": countries,
        "places": places,
        "actors": actors,
        "location": full_name[:300] or None,
        "lat": lat,
        "lon": lon,
        "geo_precision": GEO_TYPES.get(get("ActionGeo_Type")),
        "source_url": url if url.startswith(("http://", "https://")) else None,
        "source_name": "GDELT",
        "verification": "machine",
        "dataset": "gdelt",
        "event_type": root_name,
        "sub_event_type": code_name,
        "num_sources": num_sources,
        "source_updated": int(added) if added.isdigit() else None,
        "attributes": attributes,
    }


def read_gdelt(data: bytes, name: str = "", *, region: str | Iterable[str] = "covered",
               min_sources: int | None = None) -> Iterator[Item]:
    """A GDELT 2.0 / 1.0 events file (or its zip) -> ``(line, raw event)`` / ``(line, RecordError)``.

    Rows outside ``region`` ("covered": COVERED_COUNTRIES; "all"; or a list of our ISO codes) or
    with NumSources below ``min_sources`` are skipped before they are parsed. The layout is set by
    the first row's field count; a row with another count is an error naming both.
    """
    if data.startswith(_ZIP_MAGIC):
        try:
            data = unzip(data)
        except RecordError as exc:
            yield None, exc
            return
    if not data.strip():
        yield None, RecordError("the file is empty")
        return
    text = data.decode("utf-8", errors="replace")
    keep = _region_codes(region)
    lay: _Layout | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if not line or line == "\r":
            continue
        fields = line.rstrip("\r").split("\t")
        width = len(fields)
        if lay is None:
            if width not in LAYOUTS:
                yield number, RecordError(
                    f"the row has {width} tab-separated fields; known layouts: "
                    + "; ".join(f"{LAYOUT_NAMES[w]} ({w} fields)" for w in LAYOUTS))
                return
            lay = _Layout(width)
            a, b, c = lay.geo_country
            ns = lay.num_sources
        elif width != lay.width:
            yield number, RecordError(f"the row has {width} tab-separated fields where this "
                                      f"{LAYOUT_NAMES[lay.width]} file has {lay.width}")
            continue
        if keep is not None and fields[a] not in keep and fields[b] not in keep and fields[c] not in keep:
            continue
        if min_sources is not None:
            raw = fields[ns]
            if raw.isdigit():
                if int(raw) < min_sources:
                    continue
            else:
                yield number, RecordError(f"NumSources '{raw}' is not a whole number", "NumSources")
                continue
        try:
            yield number, _event(fields, lay)
        except RecordError as exc:
            yield number, exc
