"""Charts as slide-ready PNG (16:9) rendered on the server by kaleido with the system Chromium.

One kaleido browser is started on first use and kept; each chart then costs ~0.2 s. Without Chromium
(`apt-get install chromium fonts-noto-cjk`) images cannot be made: ImagesUnavailable says so in Chinese.
"""
from __future__ import annotations

import shutil
import threading
import warnings

import plotly.graph_objects as go
import plotly.io as pio
from riverchief.errors import RiverBoardError

SLIDE = (1600, 900)
_lock = threading.Lock()
_started = False
pio.defaults.mathjax = None  # no CDN request for MathJax (the charts have no formulas)


class ImagesUnavailable(RiverBoardError, RuntimeError):
    pass


def available() -> bool:
    return any(shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome"))


def _ensure_server() -> None:
    global _started
    with _lock:
        if not _started:
            import kaleido

            kaleido.start_sync_server(silence_warnings=True)
            _started = True


EDGE = 48  # pixels between the image's left edge and the title, the axis labels and the source line
SLIDE_DPI = 120  # pixels per inch of a chart placed on a slide
LABEL_PT, TITLE_PT, SOURCE_PT = 18, 24, 13  # what the back of a meeting room can read


def slide_png(fig: go.Figure, width_in: float, height_in: float) -> bytes:
    """The figure rendered for the size it has on the slide: its text comes out at LABEL_PT (ticks, legend,
    bar labels) and TITLE_PT (the finding) once placed `width_in` inches wide."""
    px = SLIDE_DPI / 72  # pixels per point at the placed size
    return chart_png(fig, (round(width_in * SLIDE_DPI), round(height_in * SLIDE_DPI)),
                     fonts=(LABEL_PT * px, TITLE_PT * px, SOURCE_PT * px))


def chart_png(fig: go.Figure, size: tuple[int, int] = SLIDE, fonts: tuple[float, float, float] = (18, 26, 15)) -> bytes:
    """The figure at 16:9 slide size, with its title, source line and legend as on screen."""
    if not available():
        raise ImagesUnavailable("服务器未安装 Chromium，无法在服务器端生成图片；请安装 chromium 和 fonts-noto-cjk，"
                                "或使用图表右上角的相机按钮下载。")
    _ensure_server()
    slide = go.Figure(fig)
    label, title, source = fonts
    slide.update_layout(width=size[0], height=size[1], font_size=label, title_font_size=title,
                        title_pad_l=EDGE, margin=dict(l=EDGE, r=60, t=int(title * 3.6), b=int(source * 9.5)))
    slide.update_traces(textfont_size=label, selector=lambda t: hasattr(t, "textfont"))
    slide.update_xaxes(automargin=True)
    slide.update_yaxes(automargin=True)
    for note in slide.layout.annotations:  # the source line at the foot; band labels (Ⅱ Ⅲ Ⅳ) as labels
        if note.yref == "paper" and note.y == 0:
            note.font.size = source
            note.yshift = -int(source * 7.5)
        else:
            note.font.size = label * 0.8
    text = slide.layout.title.text or ""
    per_line = int((size[0] - EDGE - 60) * 0.95 / title)  # Chinese characters of the title's size that fit in the width
    if len(text) > per_line and "<br>" not in text:  # a long finding wraps at a comma, never runs off
        cut = max((i for i, ch in enumerate(text[:per_line]) if ch in "，、；"), default=per_line - 1)
        slide.update_layout(title_text=text[:cut + 1] + "<br>" + text[cut + 1:])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "kopts is ignored if using a server": expected, we use one
        return slide.to_image(format="png", width=size[0], height=size[1])
