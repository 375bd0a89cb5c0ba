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

SLIDE = (1600, 900)
_lock = threading.Lock()
_started = False
pio.defaults.mathjax = None  # no CDN request for MathJax (the charts have no formulas)


class ImagesUnavailable(RuntimeError):
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


def chart_png(fig: go.Figure, size: tuple[int, int] = SLIDE) -> bytes:
    """The figure at 16:9 slide size, with its title, source line and legend as on screen."""
    if not available():
        raise ImagesUnavailable("服务器未安装 Chromium，无法在服务器端生成图片；请安装 chromium 和 fonts-noto-cjk，"
                                "或使用图表右上角的相机按钮下载。")
    _ensure_server()
    slide = go.Figure(fig)
    slide.update_layout(width=size[0], height=size[1], font_size=18, title_font_size=26,
                        margin=dict(l=40, r=60, t=100, b=110))
    slide.update_xaxes(automargin=True)
    slide.update_yaxes(automargin=True)
    for note in slide.layout.annotations:  # the source line at the foot, readable on a slide
        if note.yref == "paper" and note.y == 0:
            note.font.size = 15
            note.yshift = -75
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "kopts is ignored if using a server": expected, we use one
        return slide.to_image(format="png", width=size[0], height=size[1])
