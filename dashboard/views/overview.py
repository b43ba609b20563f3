"""Overview: is stability getting worse, where, and why; what changed; what is due. The landing page."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from dashboard.figures import GROUP_NAMES, build_small_multiples, date_label
from dashboard.indicator import (
    CATEGORY_GROUPS,
    WEIGHTS,
    Month,
    judged_units,
    latest_judged_month,
    media_line,
    month_name,
    months_between,
)
from dashboard.names import FOCUS_COUNTRIES, country_name, place_name
from dashboard.ui import components, curation, filter_state, presentation, shared_figures
from dashboard.ui import stability as data
from dashboard.ui.text import md_escape

ARROW_SIGNS = {"deteriorated": "▲ deteriorated", "improved": "▼ improved", "unchanged": "► unchanged",
               "too little data": "· too little data"}
MONTHS_SHOWN = 12
LISTED = 10  # items shown per list under “What changed”; the Expected page has them all

f = filter_state.current()
display = filter_state.current_display()
month = f.date_to.strftime("%Y-%m") if f.date_to else data.latest_month(f.with_(date_from=None, date_to=None))
components.page_header("Stability overview", f, month_name(month) if month else "no month with data")
if month is None:
    components.empty_state("developments", f)
    st.stop()
first = months_between("2000-01", month)[-MONTHS_SHOWN]
window = f.with_(date_from=date.fromisoformat(f"{first}-01"), date_to=None)
countries = data.monthly(window, "country", titles=(month,))
places = data.monthly(window, "place", titles=(month,))
st.caption(f"Each unit's {month_name(month)} against the month before, by the indicator's written rules (below); the line is "
           f"its score over the last {MONTHS_SHOWN} months. Set the filter's “To” date to look at another month.")

judged_by_analyst = data.analyst_judgements()
rows, codes = [], []
for code, judged in judged_units(countries, places, first, month, f.countries or FOCUS_COUNTRIES):
    name = country_name(code, display.kosovo_star) if "-" not in code else f"  ↳ {place_name(code)}"
    scores = [verdict.score for _m, verdict in judged]
    current, verdict = judged[-1]
    analyst = judged_by_analyst.get((code, month))
    rows.append({"unit": name, "arrow": ARROW_SIGNS[verdict.arrow],
                 "analyst": (f"{ARROW_SIGNS[analyst['arrow']]} ({analyst['editor']}): {analyst['reason']}"
                             if analyst else ""),
                 "score": verdict.score, "previous": verdict.previous, "last 12 months": scores,
                 "developments": current.developments, "why": verdict.sentence, "rule": verdict.rule,
                 "media": media_line(current.media)})
    codes.append(code)


thin = [c for c, r in zip(codes, rows, strict=True) if "-" not in c and r["arrow"] == ARROW_SIGNS["too little data"]]
shown_countries = [c for c in codes if "-" not in c]
if 2 * len(thin) > len(shown_countries):
    # most countries have too few developments this month: say so, and offer the latest month with a trend
    earlier = latest_judged_month(data.monthly(f.with_(date_from=None, date_to=None), "country"), shown_countries,
                                  month)
    if earlier and earlier != month:
        start = date.fromisoformat(f"{earlier}-01")
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        note, jump = st.columns([4, 1], vertical_alignment="center")
        note.info(f"Too few developments in {month_name(month)} for a trend in most countries. The latest month "
                  f"with one is {month_name(earlier)}.", icon=":material/info:")
        jump.button(f"Show {month_name(earlier)}", key="overview.jump", on_click=filter_state.narrow_to,
                    kwargs={"date_to": end}, help="Sets the filter's “To” date to the end of that month.")


def _narrow() -> None:
    chosen = st.session_state.get("overview.table", {}).get("selection", {}).get("rows", [])
    if chosen:
        code = codes[chosen[0]]
        if "-" in code:
            filter_state.narrow_to(places=[code])
        else:
            filter_state.narrow_to(countries=[code])


st.dataframe(
    rows, hide_index=True, width="stretch", height=36 * (len(rows) + 1) + 4, key="overview.table",
    on_select=_narrow, selection_mode="single-row",
    column_config={
        "unit": st.column_config.TextColumn("unit", help="Entities under Bosnia and Herzegovina, North Kosovo under "
                                            "Kosovo, Transnistria under Moldova."),
        "arrow": st.column_config.TextColumn("this month", help="Against the month before: deteriorated, improved, "
                                             "unchanged, or too little data to say."),
        "analyst": st.column_config.TextColumn("analyst's judgement", width="medium",
                                               help="An analyst's own arrow for the month, with the reason; the "
                                               "computed arrow stays beside it."),
        "score": st.column_config.NumberColumn("score", format="%.1f"),
        "previous": st.column_config.NumberColumn("month before", format="%.1f"),
        "last 12 months": st.column_config.LineChartColumn("last 12 months", y_min=0),
        "why": st.column_config.TextColumn("why", width="large"),
        "rule": st.column_config.TextColumn("the rule that decided"),
        "media": st.column_config.TextColumn("media signal (GDELT, machine-coded)",
                                             help="GDELT rows this month: how many, the share coded as conflict "
                                             "(QuadClass 3-4), mean Goldstein scale (-10..10) and tone. Not part "
                                             "of the score."),
    },
)
if not presentation.active():
    st.caption("Select a row to narrow the filter to that unit on every page.")
    curation.flash_messages()
    curation.judgement_form([(c, r["unit"].strip().removeprefix("↳ ")) for c, r in zip(codes, rows, strict=True)],
                            month, month_name(month), judged_by_analyst)

st.subheader("What changed", anchor=False)
month_start = date.fromisoformat(f"{month}-01")
month_end = (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
col_new, col_due = st.columns(2)
with col_new:
    st.markdown(f"**Most significant developments of {month_name(month)}**")
    top = data.top_developments(f.with_(date_from=month_start, date_to=month_end, include_undated=False))
    if top.empty:
        st.caption("None recorded in that month.")
    lines = []
    for item in top.to_dict("records"):
        when = date_label(item["date_start"], item["date_end"], item["date_precision"])
        sources = item["n_sources"]
        reports = (f" · {item['n_events']} reports, {sources} source{'s' if sources != 1 else ''}"
                   if item["n_events"] > 1 else "")
        lines.append(f"**{md_escape(item['title'])}** · {when} · {item['display_status']}{reports}")
    components.bullet_list(lines, LISTED, "")
    n_overdue, overdue = data.overdue_in(f, month, LISTED)
    if n_overdue:
        st.markdown(f"**Fell overdue in {month_name(month)}** ({n_overdue:,}, the most significant first)")
        components.bullet_list([md_escape(t) for t in overdue], LISTED,
                               "… and {n:,} more: the Expected developments page lists every overdue one.",
                               total=n_overdue)
with col_due:
    for days in (30, 90):
        n_soon, soon = data.deadlines_within(f, days, LISTED)
        st.markdown(f"**Deadlines in the next {days} days**" + (f" ({n_soon:,})" if n_soon else ""))
        if not soon:
            st.caption("None.")
        components.bullet_list([f"{when.isoformat()} · {md_escape(title)}" for when, title in soon], LISTED,
                               "… and {n:,} more, soonest first: the Expected developments page lists them all.",
                               total=n_soon)

st.subheader("Comparing countries", anchor=False)
shown_months = months_between(first, month)
per_unit = {
    country_name(c, display.kosovo_star): pd.DataFrame(
        [{"month": m, **{g: getattr(countries.get((c, m)) or Month(unit=c, month=m), g) for g in GROUP_NAMES}}
         for m in shown_months])
    for c in (f.countries or FOCUS_COUNTRIES)
}
st.plotly_chart(shared_figures.shared("overview.multiples", (f, display),
                                     lambda: build_small_multiples(per_unit, display=display)),
                key="overview.multiples", config={"displaylogo": False})
st.caption(f"Developments per month by category group, {month_name(first)} to {month_name(month)}; every panel "
           "on the same scale. GDELT rows are not counted (they are the media signal).")

with st.expander("How the arrows are decided"):
    groups = "; ".join(f"{name}: {', '.join(cats)}" for name, cats in CATEGORY_GROUPS.items())
    st.markdown("Score = " + " + ".join(f"{w:g} × {k}" for k, w in WEIGHTS.items())
                + " (fatalities as log2(1 + n); spread and actors from the second on). "
                f"Categories: {groups}. An arrow needs at least 3 developments in the two months and a change of at "
                "least max(2, 25 % of the month before). GDELT's media signal is kept apart. In full: docs/indicator.md.")
components.source_credits(f)
components.kosovo_footnote()
