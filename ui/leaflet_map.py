"""The river map (folium / Leaflet served locally): grey townships, rivers as the heroes, sections as
square badges with the class numeral, open problems as small light-coloured dots, and a legend. Every text from data
is HTML-escaped before it reaches a tooltip or popup (Leaflet renders them as HTML)."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from html import escape

import folium
import folium.elements
import streamlit_folium
import pandas as pd
import shapely
from branca.element import MacroElement, Template

from riverchief import water_rules
from riverchief.geo import RIVER_WIDTH, MapData, feature, to_gcj02
from riverchief.lights import LIGHT_COLOURS, LIGHT_NAMES, LIGHTS
from riverchief.settings import Tiles
from ui import strings as S
from ui.assets import JQUERY_JS, LEAFLET_CSS, LEAFLET_JS

GREY = "#B0B4BA"
MAP_SIZE = (1100, 680)  # pixels the map is drawn at on a 1600-wide screen
AREA_LINE = "#8A8F96"
ACCENT = "#1A5FB4"


def _class_badge(cls) -> str:
    if pd.isna(cls):
        return S.MAP_NO_DATA
    cls = int(cls)
    text = "#202124" if cls == 4 else "white"
    return (f'<span style="background:{water_rules.CLASS_COLOURS[cls]};color:{text};padding:1px 6px;'
            f'border-radius:2px;font-weight:600">{water_rules.CLASS_NAMES[cls]}</span>')


def _river_style(row, colour_by: str) -> tuple[str, str]:
    """(colour, words) of a river under the chosen colouring."""
    if colour_by == "lights":
        if isinstance(row.worst_light, str):
            return LIGHT_COLOURS[row.worst_light], S.MAP_RIVER_LIGHTS.format(
                light=LIGHT_NAMES[row.worst_light], red=int(row.red), yellow=int(row.yellow), items=int(row.items))
        return GREY, "无清单事项"
    cls = row.worst_class if colour_by == "water_worst" else row.mean_class
    if pd.isna(cls):
        return GREY, S.MAP_NO_DATA
    return water_rules.CLASS_COLOURS[int(cls)], water_rules.CLASS_NAMES[int(cls)]


def _legend(colour_by: str) -> MacroElement:
    if colour_by == "lights":
        rows = [(LIGHT_COLOURS[l], LIGHT_NAMES[l], "line") for l in LIGHTS]
    else:
        rows = [(water_rules.CLASS_COLOURS[c], name, "line") for c, name in
                ((1, "Ⅰ–Ⅱ类"), (3, "Ⅲ类"), (4, "Ⅳ类"), (5, "Ⅴ类"), (6, "劣Ⅴ类"))]
    rows.append((GREY, "无数据", "line"))
    rows.append(("#2E7D32", "监测断面（方块内为本月类别）", "square"))
    rows += [(LIGHT_COLOURS[l], f"未销号问题·{LIGHT_NAMES[l]}", "dot") for l in LIGHTS]
    shape = {"line": "width:22px;height:4px", "square": "width:11px;height:11px;border:2px solid #5F6368",
             "dot": "width:9px;height:9px;border-radius:50%"}
    items = "".join(f'<div style="margin:2px 0"><span style="display:inline-block;{shape[k]};background:{c};'
                    f'vertical-align:middle;margin-right:6px"></span>{escape(t)}</div>' for c, t, k in rows)
    title = S.MAP_LEGEND_TITLE[colour_by]
    legend = MacroElement()
    legend._template = Template(f"""{{% macro html(this, kwargs) %}}
<div class="riverboard-legend" style="position:absolute;z-index:1000;left:12px;bottom:40px;background:rgba(255,255,255,.92);
 padding:8px 12px;border:1px solid #DADCE0;border-radius:4px;font:13px 'Noto Sans CJK SC','Microsoft YaHei',sans-serif;color:#202124">
<div style="font-weight:600;margin-bottom:4px">{escape(title)}</div>{items}</div>
{{% endmacro %}}""")
    return legend


def build_map(data: MapData, colour_by: str, tiles: Tiles | None, focus: dict) -> folium.Map:
    """`focus` holds the township_id / river_id being filtered on: drawn in the accent colour and zoomed to."""
    conv = to_gcj02 if tiles is not None and tiles.gcj02 else (lambda g: g)
    minx, miny, maxx, maxy = conv(shapely.box(*data.bounds)).bounds
    focused = _focus_bounds(data, focus)
    bounds = conv(shapely.box(*focused)).bounds if focused else (minx, miny, maxx, maxy)
    m = folium.Map(location=[(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2],
                   zoom_start=_zoom_to_fit(bounds, MAP_SIZE), zoom_snap=0.25, tiles=None, control_scale=False)
    m.default_js = [("leaflet", LEAFLET_JS), ("jquery", JQUERY_JS)]
    m.default_css = [("leaflet_css", LEAFLET_CSS)]
    if tiles is not None:
        folium.TileLayer(tiles=tiles.url, attr=escape(tiles.attribution), subdomains=tiles.subdomains,
                         name="底图", max_zoom=18).add_to(m)

    areas = data.areas
    town = areas[areas["kind"] == "township"]
    if len(town):  # folium refuses a tooltip over no features
        folium.GeoJson(
            {"type": "FeatureCollection", "features": [
                feature(conv(r.geometry), {"township_id": r.id, "name": escape(r.name),
                                           "focus": r.id == focus.get("township")}) for r in town.itertuples()]},
            name=S.TOWNSHIP,
            style_function=lambda f: {"color": ACCENT if f["properties"]["focus"] else AREA_LINE,
                                      "weight": 3 if f["properties"]["focus"] else 1, "fillColor": "#F1F3F4",
                                      "fillOpacity": 0.55},
            highlight_function=lambda f: {"fillColor": "#E3EAF5", "weight": 2},
            tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=[S.TOWNSHIP]),
        ).add_to(m)
    for district in areas[areas["kind"] == "district"].itertuples():
        folium.GeoJson(feature(conv(district.geometry), {"name": escape(district.name)}), name="区界",
                       style_function=lambda f: {"color": "#5F6368", "weight": 2.5, "fill": False},
                       interactive=False).add_to(m)

    river_features = []
    for r in data.rivers.itertuples():
        colour, words = _river_style(r, colour_by)
        focused = r.river_id == focus.get("river")
        river_features.append(feature(conv(r.geometry), {
            "river_id": r.river_id, "name": escape(r.name), "level": escape(r.level), "status": escape(words),
            "colour": colour, "weight": RIVER_WIDTH.get(r.level, 1.4) + (3 if focused else 0),
        }))
    if river_features:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": river_features}, name=S.RIVER,
            style_function=lambda f: {"color": f["properties"]["colour"], "weight": f["properties"]["weight"],
                                      "opacity": 0.95, "lineCap": "round"},
            highlight_function=lambda f: {"weight": f["properties"]["weight"] + 3},
            tooltip=folium.GeoJsonTooltip(fields=["name", "level", "status"], aliases=S.MAP_TOOLTIP_RIVER),
        ).add_to(m)

    sections = folium.FeatureGroup(name="监测断面")
    badges = []
    for s in data.sections.itertuples():
        x, y = conv(shapely.Point(s.lon, s.lat)).coords[0]
        cls = None if pd.isna(s.water_class) else int(s.water_class)
        popup = S.MAP_SECTION_POPUP.format(
            name=escape(s.section_name), river=escape(s.river_name), badge=_class_badge(cls),
            target=water_rules.CLASS_NAMES[int(s.target_class)],
            meets=S.MAP_NO_DATA if cls is None else (S.YES if cls <= s.target_class else S.NO),
            tp=_mgl(s.tp), nh3n=_mgl(s.nh3n), last_badge=_class_badge(s.last_year_class),
            tp_last=_mgl(s.last_year_tp), nh3n_last=_mgl(s.last_year_nh3n))
        colour = GREY if cls is None else water_rules.CLASS_COLOURS[cls]
        numeral = "–" if cls is None else water_rules.CLASS_NAMES[cls].removesuffix("类")
        text = "#202124" if cls == 4 else "white"
        badges.append([round(y, 6), round(x, 6), S.MAP_SECTION_BADGE.format(colour=colour, text=text, numeral=numeral),
                       popup, escape(s.section_name)])
    sections.add_child(_Badges(badges))
    sections.add_to(m)

    problems = folium.FeatureGroup(name="问题点位")
    dots = []
    for p in data.problems.itertuples():
        x, y = conv(shapely.Point(p.lon, p.lat)).coords[0]
        dots.append([round(y, 6), round(x, 6), LIGHT_COLOURS[p.light],
                     S.MAP_PROBLEM_TOOLTIP.format(title=escape(p.title), light=LIGHT_NAMES[p.light],
                                                  status=escape(p.status), unit=escape(p.unit_name or ""))])
    problems.add_child(_Dots(dots))
    problems.add_to(m)

    folium.LayerControl(collapsed=False).add_to(m)
    m.add_child(_legend(colour_by))
    m.add_child(_MetricScale())
    return m


class _JsonLayer(MacroElement):
    """A layer whose rows go to the browser once as a JSON array, drawn there by the subclass's loop. Every
    text in the rows was HTML-escaped in Python; `</` is escaped here so the data cannot close the script."""

    def __init__(self, rows: list):
        super().__init__()
        self._name = type(self).__name__.strip("_")
        self.data = json.dumps(rows, ensure_ascii=False).replace("</", "<\\/")


class _Badges(_JsonLayer):
    """The sections' class badges as one layer: the data once as JSON and one loop in the browser, instead of a
    folium Marker, DivIcon, Popup and Tooltip object per section (at a city's scale the map's HTML took most
    of a page rerun to render)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.data }}.forEach(function (s) {
            L.marker([s[0], s[1]], {icon: L.divIcon({className: "riverboard-section", html: s[2],
                                                     iconSize: [22, 18], iconAnchor: [11, 9]})})
                .bindPopup(s[3], {maxWidth: 320}).bindTooltip(s[4]).addTo({{ this._parent.get_name() }});
        });
        {% endmacro %}
    """)



class _Dots(_JsonLayer):
    """The open problems as one layer of small circles coloured by light, drawn by one loop in the browser
    like the badges (a folium CircleMarker and Tooltip per problem compiled a template each: at a province's
    scale that was most of the time to draw a new map). Texts are escaped as for the badges."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.data }}.forEach(function (p) {
            L.circleMarker([p[0], p[1]], {radius: 4, weight: 1, color: "white", fill: true, fillColor: p[2],
                                          fillOpacity: 0.95}).bindTooltip(p[3]).addTo({{ this._parent.get_name() }});
        });
        {% endmacro %}
    """)



class _MetricScale(MacroElement):
    """A scale bar in metres and kilometres only (folium's also shows miles)."""

    _template = Template("""{% macro script(this, kwargs) %}
L.control.scale({imperial: false, metric: true}).addTo({{ this._parent.get_name() }});
{% endmacro %}""")


def _zoom_to_fit(bounds, size: tuple[int, int]) -> float:
    """The Web Mercator zoom at which `bounds` (lon/lat) fill a map of `size` pixels, with a margin."""
    minx, miny, maxx, maxy = bounds
    y = lambda lat: math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))  # noqa: E731
    zx = math.log2(size[0] * 360 / (256 * max(maxx - minx, 1e-6)))
    zy = math.log2(size[1] * 2 * math.pi / (256 * max(y(maxy) - y(miny), 1e-9)))
    return math.floor(min(zx, zy, 16) * 4 - 1) / 4  # a quarter level of margin


def _mgl(v) -> str:
    return "—" if pd.isna(v) else f"{v:.3f}"


def _focus_bounds(data: MapData, focus: dict):
    if focus.get("river"):
        hit = data.rivers[data.rivers["river_id"] == focus["river"]]
        if len(hit):
            return hit["geometry"].iloc[0].bounds
    if focus.get("township"):
        hit = data.areas[(data.areas["kind"] == "township") & (data.areas["id"] == focus["township"])]
        if len(hit):
            return hit["geometry"].iloc[0].bounds
    return None


@dataclass(frozen=True)
class Rendered:
    """What the map component is given, rendered once per map (st_folium renders the whole map, with every
    river's GeoJSON, three times on every rerun; a page rerun reuses this instead)."""
    script: str
    header: str
    html: str
    map_id: str
    bounds: dict
    zoom: float
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]


def render(fmap: folium.Map) -> Rendered:
    """The steps of streamlit_folium.st_folium (0.27.4) up to its component call, done once (without its
    first render of the whole HTML document, which gives the component nothing the map's own render does not)."""
    fmap.render()
    html, header = streamlit_folium._get_html(fmap), streamlit_folium._get_header(fmap)
    script = streamlit_folium._get_map_string(fmap)
    (south, west), (north, east) = fmap.get_bounds()
    links = [e for e in _walk(fmap)]
    return Rendered(script, header, html, streamlit_folium.get_full_id(fmap),
                    {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}},
                    fmap.options.get("zoom"),
                    tuple(dict.fromkeys(href for e in links for _, href in getattr(e, "default_css", []))),
                    tuple(dict.fromkeys(src for e in links for _, src in getattr(e, "default_js", []))))


def _walk(element):
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def show(rendered: Rendered, key: str, height: int, returned_objects: list[str]) -> dict:
    """The map component with a rendered map; returns what the user last clicked (like st_folium)."""
    hash_key = streamlit_folium.generate_js_hash(rendered.script, key, False)
    defaults = {k: v for k, v in {"last_active_drawing": None, "last_clicked": None, "bounds": rendered.bounds,
                                  "zoom": rendered.zoom}.items() if k in returned_objects}
    return streamlit_folium._component_func(
        script=rendered.script, header=rendered.header, html=rendered.html, id=rendered.map_id, key=hash_key,
        height=height, width=None, returned_objects=returned_objects, default=defaults, zoom=None, center=None,
        feature_group=None, return_on_hover=False, layer_control=None, pixelated=False,
        css_links=list(rendered.css_links), js_links=list(rendered.js_links), wrap_longitude=False)
