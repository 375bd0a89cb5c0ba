"""河流地图: rivers coloured by water class or by task lights, sections and open problems, offline.
A click on a township or a district river sets the shared filter (and so the URL and other pages)."""
import streamlit as st

from riverchief import access, settings
from riverchief.dates import cn_notice
from ui import auth, data, filters, frame, leaflet_map
from ui import strings as S
from ui.text import md

version, sel, root, *_ = frame.page(S.PAGE_MAP)
own = None if auth.may(access.VIEW_ALL) else auth.current().unit_id  # a unit: its own problems, not the others'
geo = data.map_for(root, version.id, sel.notice, own)

colours = list(S.MAP_COLOURS)
colour_by = st.segmented_control("河流着色", colours, format_func=S.MAP_COLOURS.get, key="map_colour",
                                 default=filters.page_param("colour", colours, colours[0])) or colours[0]
filters.set_page_param("colour", colour_by)
tiles = settings.current().tiles  # checked at start: a mistake there stops the app, said in Chinese

focus = {"township": sel.filters.township, "river": sel.filters.river}
if geo.bounds is None:
    st.info(S.MAP_NOTHING, icon=":material/map:")
    clicked = None
else:
    view = data.map_view(root, version.id, sel.notice, colour_by, tiles, tuple(sorted(focus.items())), own)
    st.caption(S.MAP_CLICK_HINT)
    clicked = leaflet_map.show(view, key=f"river_map_{colour_by}", height=680, returned_objects=["last_active_drawing"])
missing = [S.MAP_UNSHAPED[k].format(n=len(v), names=md("、".join(v))) for k, v in geo.unshaped.items() if v]
if missing:
    st.caption(S.MAP_UNSHAPED_NOTE + "；".join(missing))
props = ((clicked or {}).get("last_active_drawing") or {}).get("properties") or {}
signature = (props.get("township_id"), props.get("river_id"))
if any(signature) and st.session_state.get("map_last_click") != signature:
    st.session_state["map_last_click"] = signature
    if props.get("river_id") and props["river_id"] in set(geo.rivers.loc[geo.rivers["level"] == "区级", "river_id"]):
        filters.request_filter("river", "" if sel.filters.river == props["river_id"] else props["river_id"])
    elif props.get("township_id"):
        filters.request_filter("township", "" if sel.filters.township == props["township_id"] else props["township_id"])

st.caption(S.MAP_SUMMARY.format(rivers=len(geo.rivers), district=int((geo.rivers["level"] == "区级").sum()),
                                sections=len(geo.sections), problems=len(geo.problems)) + f" · {cn_notice(sel.notice)}")
frame.method_note(S.METHOD_MAP.format(source=md(version.manifest.get("source", "")), version=version.id))
