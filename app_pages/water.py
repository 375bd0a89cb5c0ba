"""水质: total phosphorus and ammonia nitrogen — the month's classes per section, trends over the class
bands, change on last year, attainment over time and each river judged."""
import pandas as pd
import streamlit as st

from output import figures
from riverchief import outlook
from riverchief import water as rules
from riverchief.water_quality import trend_of
from ui import charts, data, filters, frame, tables
from ui import strings as S
from ui.text import md

STORY_NAMES = 10  # rivers named in a sentence of what changed; beyond that, how many
version, sel, root, source, period = frame.page(S.PAGE_WATER, lambda notice: S.WATER_PERIOD.format(
    year=notice.year, month=notice.month))
view = data.water(root, version.id, sel.notice, sel.filters.township, sel.filters.river)
ytd = S.WATER_YTD.format(month=sel.notice.month)
if sel.filters.list or sel.filters.unit:
    st.caption(S.WATER_SCOPE_NOTE)
month = view.sections[view.sections["water_class"].notna()]
if month.empty:
    st.info(S.WATER_NO_DATA)
    st.stop()

# Key numbers: this month against the same month last year; year-to-date means against last year's.
last = month[month["last_year_class"].notna()]
met, met_last = (month["water_class"] <= month["target_class"]).mean(), (last["last_year_class"] <= last["target_class"]).mean()
good, good_last = (month["water_class"] <= 3).mean(), (last["last_year_class"] <= 3).mean()
worst, worst_last = int((month["water_class"] == 6).sum()), int((last["last_year_class"] == 6).sum())
cols = st.columns(5)
cols[0].metric(S.WATER_M_MET, f"{met:.1%}", f"{met - met_last:+.1%}" if len(last) else None, help=S.WATER_M_HELP_YOY, border=True)
cols[1].metric(S.WATER_M_GOOD, f"{good:.1%}", f"{good - good_last:+.1%}" if len(last) else None, help=S.WATER_M_HELP_YOY, border=True)
cols[2].metric(S.WATER_M_WORST, f"{worst} 个", f"{worst - worst_last:+d} 个" if len(last) else None, delta_color="inverse",
               help=S.WATER_M_HELP_YOY, border=True)
annual = view.annual
for col, f, label in ((cols[3], "tp", S.WATER_M_TP), (cols[4], "nh3n", S.WATER_M_NH3N)):
    this_mean, last_mean = annual[f].mean(), annual[f"{f}_last"].mean()
    rate = (last_mean - this_mean) / last_mean if last_mean else None
    col.metric(label.format(period=ytd), f"{this_mean:.3f} mg/L",
               None if rate is None or pd.isna(rate) else f"{this_mean - last_mean:+.3f}（改善率{rate:+.1%}）",
               delta_color="inverse", help=S.WATER_M_HELP_RATE, border=True)

# What changed since the first year of data, in words.
stories = view.stories
for change, template in (("改善", S.WATER_STORY_IMPROVED), ("变差", S.WATER_STORY_WORSE)):
    moved = stories[stories["change"] == change]
    for (before, after), g in moved.groupby(["water_class_first", "water_class"]):
        names = "、".join(g["river_name"].head(STORY_NAMES)) + (  # a province's story names hundreds of rivers
            S.WATER_STORY_MORE.format(n=len(g)) if len(g) > STORY_NAMES else "")
        st.markdown(template.format(rivers=md(names), year=int(g["first_year"].iloc[0]),
                                    before=rules.CLASS_NAMES[int(before)], after=rules.CLASS_NAMES[int(after)]))
if not (stories["change"] != "持平").any() and len(stories):
    st.markdown(S.WATER_STORY_NONE.format(year=int(stories["first_year"].iloc[0])))

# The month's sections.
st.subheader(S.WATER_SECTIONS, anchor=False)
table = month.assign(
    body=month["water_body"].map(S.BODY_NAMES),
    target=month["target_class"].map(rules.CLASS_NAMES),
    cls=month["water_class"].map(rules.CLASS_NAMES),
    cls_last=month["last_year_class"].map(rules.CLASS_NAMES),
    meets=month["meets_target"].map({True: S.YES, False: S.NO}),
    bdl=[("总磷" if a else "") + ("、" if a and b else "") + ("氨氮" if b else "") for a, b in
         zip(month["tp_bdl_n"] > 0, month["nh3n_bdl_n"] > 0)],
)
cols_shown = ["section_name", "river_name", "body", "target", "cls", "meets", "deciding", "tp", "nh3n", "codmn", "do",
              "tp_x3", "tp_xt", "nh3n_x3", "nh3n_xt", "main_pollutants", "cls_last", "bdl"]
styled = table[cols_shown].style.map(figures.class_badge_style, subset=["cls", "cls_last", "target"])
num = lambda label, fmt="%.3f": st.column_config.NumberColumn(label, format=fmt)  # noqa: E731
tables.show(styled, hide_index=True, width="stretch", height=min(36 * (len(table) + 1) + 4, 520), column_config={
    "section_name": S.COL_SECTION, "river_name": S.COL_RIVER, "body": S.COL_BODY, "target": S.COL_TARGET,
    "cls": S.COL_CLASS, "meets": S.COL_MEETS, "deciding": S.COL_DECIDING, "tp": num(S.COL_TP),
    "nh3n": num(S.COL_NH3N), "codmn": num(S.COL_CODMN, "%.1f"), "do": num(S.COL_DO, "%.1f"),
    "tp_x3": num(S.COL_TP_X3, "%.2f"), "tp_xt": num(S.COL_TP_XT, "%.2f"), "nh3n_x3": num(S.COL_NH3N_X3, "%.2f"),
    "nh3n_xt": num(S.COL_NH3N_XT, "%.2f"), "main_pollutants": S.COL_POLLUTANTS, "cls_last": S.COL_LAST_YEAR_CLASS,
    "bdl": S.COL_BDL})

# Trends over the class bands, for a river (mean of its sections) or one section.
st.subheader(S.WATER_TREND, anchor=False)
series = view.series
rivers = series.groupby(["river_id", "river_name"])["section_id"].nunique().reset_index()
improved = stories.loc[stories["change"] == "改善"].sort_values(["water_class_first", "river_id"],
                                                                ascending=[False, True])["river_id"]
options = {**{f"R:{r.river_id}": S.WATER_TREND_RIVER.format(name=r.river_name, n=r.section_id) for r in rivers.itertuples()},
           **{f"S:{s.section_id}": S.WATER_TREND_SECTION.format(name=s.section_name)
              for s in series[["section_id", "section_name"]].drop_duplicates().itertuples()}}
default = f"R:{improved.iloc[0]}" if len(improved) else next(iter(options))
pick = st.selectbox(S.WATER_TREND_PICK, list(options), format_func=options.get,
                    index=list(options).index(filters.page_param("trend", list(options), default)))
filters.set_page_param("trend", pick)
kind, ident = pick.split(":", 1)
trend = trend_of(series, section_id=ident) if kind == "S" else trend_of(series, river_id=ident)
scope = series[series["section_id" if kind == "S" else "river_id"] == ident]
body = rules.body_of(scope["water_body"])
name = options[pick].split("（")[0]
left, right = st.columns(2)
for col, f in ((left, "tp"), (right, "nh3n")):
    years = trend.groupby("year")[f].mean()
    this = years.get(sel.notice.year)
    prev = years.get(sel.notice.year - 1)
    change = "" if prev is None or this is None else S.WATER_TREND_CHANGE.format(
        direction="下降" if this < prev else "上升", rate=abs(this - prev) / prev)
    title = S.WATER_TREND_TITLE.format(what=rules.FACTOR_NAMES[f], name=name, year=sel.notice.year,
                                       value=this if this is not None else float("nan"), change=change)
    with col:
        charts.show(figures.concentration_trend(trend, f, body, title, source), key=f"trend_{f}")

# Change on last year, per section.
st.subheader(S.WATER_YOY.format(period=ytd), anchor=False)
yoy = annual.assign(cls=annual["water_class"].map(rules.CLASS_NAMES), cls_last=annual["water_class_last"].map(rules.CLASS_NAMES))
yoy_cols = ["section_name", "river_name", "tp", "tp_last", "tp_rate", "nh3n", "nh3n_last", "nh3n_rate", "cls_last", "cls"]
tables.show(yoy[yoy_cols].sort_values("tp_rate", ascending=False).style.map(figures.class_badge_style, subset=["cls", "cls_last"]),
             hide_index=True, width="stretch", height=min(36 * (len(yoy) + 1) + 4, 420), column_config={
    "section_name": S.COL_SECTION, "river_name": S.COL_RIVER, "tp": num(S.COL_TP), "tp_last": num(S.COL_TP_LAST),
    "tp_rate": num(S.COL_TP_RATE, "percent"), "nh3n": num(S.COL_NH3N), "nh3n_last": num(S.COL_NH3N_LAST),
    "nh3n_rate": num(S.COL_NH3N_RATE, "percent"), "cls_last": S.COL_CLASS_LAST, "cls": S.COL_CLASS_THIS})

# Attainment over time and rivers judged.
left, right = st.columns([3, 2])
with left:
    att = view.attainment
    now = att[att["month"] == pd.Timestamp(view.month)]
    title = S.WATER_ATTAIN_TITLE.format(month=period, met=float(now["met_share"].iloc[0]),
                                        good=float(now["good_share"].iloc[0])) if len(now) else S.WATER_ATTAIN
    charts.show(figures.attainment_lines(att, title, source), key="attainment")
with right:
    st.subheader(S.WATER_RIVERS.format(period=ytd), anchor=False)
    judged = view.rivers.assign(cls=view.rivers["water_class"].map(rules.CLASS_NAMES).fillna("—"))
    tables.show(judged[["river_name", "sections", "method", "cls", "share_good", "judgement"]]
                 .style.map(figures.class_badge_style, subset=["cls"]), hide_index=True, width="stretch",
                 height=380, column_config={
        "river_name": S.COL_RIVER, "sections": S.COL_SECTIONS, "method": S.COL_METHOD, "cls": S.COL_CLASS_THIS,
        "share_good": num(S.COL_SHARE_GOOD, "percent"), "judgement": S.COL_JUDGEMENT})

st.subheader(S.WATER_OUTLOOK, anchor=False)
st.caption(S.WATER_OUTLOOK_HELP)
ahead = data.water_outlook(root, version.id, sel.notice, sel.filters.township, sel.filters.river)
ahead = ahead.assign(district=ahead["section_name"] == outlook.DISTRICT).sort_values(  # the district, then the trouble
    ["district", "reachable", "need"], ascending=[False, True, True], kind="stable")
if len(ahead):
    st.caption(S.WATER_OUTLOOK_LINE.format(n=int((~ahead["reachable"]).sum())))
    shown = ahead.assign(factor_name=ahead["factor"].map(rules.FACTOR_NAMES),
                         target=ahead["target_class"].map(rules.CLASS_NAMES))
    tables.show(shown[list(S.WATER_OUTLOOK_COLS)].style.map(
        lambda v: "color: #D93025; font-weight: 600" if isinstance(v, str) and "无法达标" in v else "", subset=["words"]),
        hide_index=True, width="stretch", title="达标形势", height=min(36 * (len(shown) + 1) + 4, 460),
        column_config={**S.WATER_OUTLOOK_COLS, "limit": st.column_config.NumberColumn(S.WATER_OUTLOOK_COLS["limit"], format="%.3f"),
                       "mean": st.column_config.NumberColumn(S.WATER_OUTLOOK_COLS["mean"], format="%.3f"),
                       "need": st.column_config.NumberColumn(S.WATER_OUTLOOK_COLS["need"], format="%.3f"),
                       "words": st.column_config.TextColumn(S.WATER_OUTLOOK_COLS["words"], width="large")})

frame.method_note(S.METHOD_WATER.format(source=md(version.manifest.get("source", "")), version=version.id))
