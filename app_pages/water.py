"""水质: total phosphorus and ammonia nitrogen — the month's classes per section, trends over the class
bands, change on last year, attainment over time and each river judged."""
import pandas as pd
import streamlit as st

from rendering import figures
from riverchief import water_rules as rules
from riverchief.water_report import fallback_words, month_figures, source_words, trend_change, trend_of, ytd_means
from ui import board_parts, charts, data, filters, frame, tables
from ui import strings as S
from ui.text import md

STORY_NAMES = 10  # rivers named in a sentence of what changed; beyond that, how many
version, sel, root, source, period, tables_label = frame.page(S.PAGE_WATER, lambda notice: f"{notice.year}年{notice.month}月")
share_min = board_parts.rules_in_force(root, "按断面比例评价河流的断面数").share_min_sections  # judged by shares
view = data.water(root, version.id, sel.notice, sel.filters.township, sel.filters.river, share_min)
at_month = view.month  # the notice's month, or the latest month with readings before it (said below)
ytd, period = f"1–{at_month.month}月", f"{at_month.year}年{at_month.month}月"
if sel.filters.list or sel.filters.unit:
    st.caption("水质按镇街、河流筛选（清单、责任单位筛选不适用于水质）。")
month = view.sections[view.sections["water_class"].notna()]
if month.empty:
    st.info(S.WATER_NONE)
    st.stop()
if view.asked is not None:
    st.info(fallback_words(view), icon=":material/history:")

# Key numbers: this month against the same month last year, year-to-date means against last year's same months
# (riverchief.water_report: the change always on the sections measured in both years).
figures_now, means = month_figures(view.sections), ytd_means(view.annual)
cols = st.columns(5)
for col, key, label in ((cols[0], "met", "断面达标率"), (cols[1], "good", "Ⅰ–Ⅲ类断面比例")):
    c = figures_now[key]
    col.metric(label, f"{c.value:.1%}", None if c.delta is None else f"{c.delta:+.1%}", help=S.WATER_M_HELP_YOY, border=True)
worst = figures_now["worst"]
cols[2].metric("劣Ⅴ类断面", f"{int(worst.value)} 个",  # no change reads 持平, without an arrow (as on the board)
               **board_parts.change_delta(None if worst.delta is None else int(worst.delta), "个", "inverse"),
               help=S.WATER_M_HELP_YOY, border=True)
for col, f, label in ((cols[3], "tp", "总磷均值"), (cols[4], "nh3n", "氨氮均值")):  # period and unit: caption
    c = means[f]  # the value alone and its change: short enough for a phone and a fifth of a wide screen
    level = c.delta is not None and round(c.delta, 3) == 0  # "-0.000" is no change a chief can read: 持平
    col.metric(label, "—" if pd.isna(c.value) else f"{c.value:.3f}",
               None if c.delta is None else ("持平" if level else f"{c.delta:+.3f}"),
               delta_color="off" if level else "inverse", help=S.WATER_M_HELP_RATE, border=True)
rates = [f"{rules.FACTOR_NAMES[f]}{means[f].rate:+.1%}" for f in ("tp", "nh3n") if means[f].rate is not None]
st.caption(S.WATER_RATES.format(period=ytd, rates="，".join(rates) or "—"))  # the unit and the rates, whole
annual = view.annual
paired = [f"{name}{c.paired}个断面（今年{c.this:.3f}、去年同期{c.last:.3f} mg/L）" for name, c in
          (("总磷", means["tp"]), ("氨氮", means["nh3n"])) if c.last is not None and c.paired < c.sections]
if figures_now["met"].last is not None and figures_now["met"].paired < figures_now["met"].sections:
    paired.insert(0, f"本月与去年同月{figures_now['met'].paired}个断面")
if paired:  # the figure is over every section; its change over fewer: both said, so they add up on screen
    st.caption(S.WATER_PAIRED.format(parts="；".join(paired)))

# What changed since the first year of data, in words.
stories = view.stories
for change, template in (("改善", S.WATER_STORY_IMPROVED), ("变差", S.WATER_STORY_WORSE)):
    moved = stories[stories["change"] == change]
    for (before, after), g in moved.groupby(["water_class_first", "water_class"]):
        names = "、".join(g["river_name"].head(STORY_NAMES)) + (  # a province's story names hundreds of rivers
            f"等{len(g)}条河流" if len(g) > STORY_NAMES else "")
        st.markdown(template.format(rivers=md(names), year=int(g["first_year"].iloc[0]),
                                    before=rules.CLASS_NAMES[int(before)], after=rules.CLASS_NAMES[int(after)]))
if not (stories["change"] != "持平").any() and len(stories) and int(stories["first_year"].iloc[0]) < at_month.year:
    st.markdown(f'与{int(stories["first_year"].iloc[0])}年相比，各河流水质类别总体持平。')

# The month's sections.
st.subheader("各断面本月水质（单因子评价）", anchor=False)
table = month.assign(
    body=month["water_body"].map(S.BODY_NAMES),
    target=month["target_class"].map(rules.CLASS_NAMES),
    cls=month["water_class"].map(rules.CLASS_NAMES),
    cls_last=month["last_year_class"].map(rules.CLASS_NAMES),
    meets=month["meets_target"].map({True: S.YES, False: S.NO}),
    bdl=[("总磷" if a else "") + ("、" if a and b else "") + ("氨氮" if b else "") for a, b in
         zip(month["tp_bdl_n"] > 0, month["nh3n_bdl_n"] > 0)],
    src=[source_words(r) for r in month.to_dict("records")],
)
cols_shown = ["section_name", "river_name", "body", "target", "cls", "meets", "deciding", "tp", "nh3n", "codmn", "do",
              "tp_x3", "tp_xt", "nh3n_x3", "nh3n_xt", "main_pollutants", "cls_last", "bdl", "src"]
styled = table[cols_shown].style.map(figures.class_badge_style, subset=["cls", "cls_last", "target"])
num = lambda label, fmt="%.3f": st.column_config.NumberColumn(label, format=fmt)  # noqa: E731
tables.show(styled, hide_index=True, width="stretch", title=f"{S.PAGE_WATER}_断面水质_{period}",
            height=min(36 * (len(table) + 1) + 4, 520), column_config={
    "section_name": S.COL_SECTION, "river_name": S.RIVER, "body": "水体", "target": S.COL_TARGET,
    "cls": "本月类别", "meets": "达标", "deciding": "定类因子", "tp": num(S.COL_TP),
    "nh3n": num(S.COL_NH3N), "codmn": num("高锰酸盐指数 mg/L", "%.1f"), "do": num("溶解氧 mg/L", "%.1f"),
    "tp_x3": num("总磷超标倍数（Ⅲ类）", "%.2f"), "tp_xt": num("总磷超标倍数（目标）", "%.2f"), "nh3n_x3": num("氨氮超标倍数（Ⅲ类）", "%.2f"),
    "nh3n_xt": num("氨氮超标倍数（目标）", "%.2f"), "main_pollutants": "主要污染物", "cls_last": "去年同月",
    "bdl": "检出限以下", "src": "月值来源"}, label=tables_label)

# Trends over the class bands, for a river (mean of its sections) or one section.
st.subheader("总磷、氨氮变化趋势", anchor=False)
series = view.series
rivers = series.groupby(["river_id", "river_name"])["section_id"].nunique().reset_index()
improved = stories.loc[stories["change"] == "改善"].sort_values(["water_class_first", "river_id"],
                                                                ascending=[False, True])["river_id"]
options = {**{f"R:{r.river_id}": f"{r.river_name}（{r.section_id}个断面均值）" for r in rivers.itertuples()},
           **{f"S:{s.section_id}": f"{s.section_name}（断面）"
              for s in series[["section_id", "section_name"]].drop_duplicates().itertuples()}}
default = f"R:{improved.iloc[0]}" if len(improved) else next(iter(options))
pick = st.selectbox("趋势对象", list(options), format_func=options.get,
                    index=list(options).index(filters.page_param("trend", list(options), default)))
filters.set_page_param("trend", pick)
kind, ident = pick.split(":", 1)
trend = trend_of(series, section_id=ident) if kind == "S" else trend_of(series, river_id=ident)
scope = series[series["section_id" if kind == "S" else "river_id"] == ident]
body = rules.body_of(scope["water_body"])
name = options[pick].split("（")[0]
left, right = st.columns(2)
for col, f in ((left, "tp"), (right, "nh3n")):
    this, change = trend_change(trend, f, at_month.year, at_month.month)
    title = S.WATER_TREND_TITLE.format(what=rules.FACTOR_NAMES[f], name=name, year=at_month.year, period=ytd,
                                       value=this if this is not None else float("nan"), change=change)
    with col:
        charts.show(figures.concentration_trend(trend, f, body, title, source), key=f"trend_{f}")

# Change on last year, per section.
st.subheader(f"同比变化（{ytd}累计，与去年同期比较）", anchor=False)
if annual[["tp_last", "nh3n_last"]].isna().all().all():
    st.caption(f"去年同期（{at_month.year - 1}年{ytd}）没有监测数据，无法比较。")
yoy = annual.assign(cls=annual["water_class"].map(rules.CLASS_NAMES), cls_last=annual["water_class_last"].map(rules.CLASS_NAMES))
yoy_cols = ["section_name", "river_name", "tp", "tp_last", "tp_rate", "nh3n", "nh3n_last", "nh3n_rate", "cls_last", "cls"]
tables.show(yoy[yoy_cols].sort_values("tp_rate", ascending=False).style.map(figures.class_badge_style, subset=["cls", "cls_last"]),
             hide_index=True, width="stretch", title=f"{S.PAGE_WATER}_同比变化_{at_month.year}年{ytd}",
             height=min(36 * (len(yoy) + 1) + 4, 420), column_config={
    "section_name": S.COL_SECTION, "river_name": S.RIVER, "tp": num(S.COL_TP), "tp_last": num("总磷（去年同期）"),
    "tp_rate": num("总磷改善率", "percent"), "nh3n": num(S.COL_NH3N), "nh3n_last": num("氨氮（去年同期）"),
    "nh3n_rate": num("氨氮改善率", "percent"), "cls_last": "去年同期类别", "cls": S.COL_CLASS_THIS}, label=tables_label)

# Attainment over time and rivers judged.
left, right = st.columns([3, 2])
with left:
    att = view.attainment
    now = att[att["month"] == pd.Timestamp(view.month)]
    title = S.WATER_ATTAIN_TITLE.format(month=period, met=float(now["met_share"].iloc[0]),
                                        good=float(now["good_share"].iloc[0])) if len(now) else "达标率与Ⅰ–Ⅲ类比例（逐月）"
    charts.show(figures.attainment_lines(att, title, source), key="attainment")
with right:
    st.subheader(f"河流水质评价（{ytd}累计）", anchor=False)
    judged = view.rivers.assign(cls=view.rivers["water_class"].map(rules.CLASS_NAMES).fillna("—"))
    tables.show(judged[["river_name", "sections", "method", "cls", "share_good", "judgement"]]
                 .style.map(figures.class_badge_style, subset=["cls"]), hide_index=True, width="stretch",
                 title=f"{S.PAGE_WATER}_河流水质评价_{at_month.year}年{ytd}", height=380, column_config={
        "river_name": S.RIVER, "sections": "断面数", "method": "评价方法", "cls": S.COL_CLASS_THIS,
        "share_good": num("Ⅰ–Ⅲ类比例", "percent"), "judgement": "水质状况"}, label=tables_label)

st.subheader("达标形势：本年剩余月份需达到的均值", anchor=False)
st.caption(S.WATER_OUTLOOK_HELP)
ahead = data.water_outlook(root, version.id, sel.notice, sel.filters.township, sel.filters.river, share_min)
ahead = ahead.sort_values(["aggregate", "reachable", "need"], ascending=[False, True, True],  # the scope, then trouble
                          kind="stable")
if len(ahead):
    st.caption(f'预计无法达标 {int((~ahead["reachable"]).sum())} 项（断面×因子）')
    shown = ahead.assign(factor_name=ahead["factor"].map(rules.FACTOR_NAMES),
                         target=ahead["target_class"].map(rules.CLASS_NAMES))
    tables.show(shown[list(S.WATER_OUTLOOK_COLS)].style.map(
        lambda v: "color: #D93025; font-weight: 600" if isinstance(v, str) and "无法达标" in v else "", subset=["words"]),
        hide_index=True, width="stretch", title=f"{S.PAGE_WATER}_达标形势_{sel.notice.year}年", height=min(36 * (len(shown) + 1) + 4, 460),
        column_config={**S.WATER_OUTLOOK_COLS, "limit": st.column_config.NumberColumn(S.WATER_OUTLOOK_COLS["limit"], format="%.3f"),
                       "mean": st.column_config.NumberColumn(S.WATER_OUTLOOK_COLS["mean"], format="%.3f"),
                       "need": st.column_config.NumberColumn(S.WATER_OUTLOOK_COLS["need"], format="%.3f"),
                       "words": st.column_config.TextColumn(S.WATER_OUTLOOK_COLS["words"], width="large")}, label=tables_label)

frame.method_note(S.METHOD_WATER.format(source=md(version.manifest.get("source", "")), version=version.id,
                                        monthly=version.water_rule.words, share_min=share_min))
