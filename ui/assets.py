"""Browser assets the app serves itself (Streamlit static serving): nothing is fetched from a CDN.

Leaflet 1.9.4 comes from the pinned PyPI package django-js-lib-leaflet and jQuery 3.7.1 (folium's popups
need it) from XStatic-jQuery; neither has dependencies. They are copied under static/vendor/ on start
and served at /app/static/vendor/….
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import js_lib_leaflet
import xstatic.pkg.jquery as xjquery

STATIC = Path(__file__).resolve().parent.parent / "static"
VENDOR = STATIC / "vendor"
VENDOR_URL = "/app/static/vendor"
LEAFLET_JS = f"{VENDOR_URL}/leaflet/leaflet.js"
LEAFLET_CSS = f"{VENDOR_URL}/leaflet/leaflet.css"
JQUERY_JS = f"{VENDOR_URL}/jquery/jquery.min.js"

# folder under static/vendor → (source folder, files and folders to copy)
_ASSETS = {
    "leaflet": (Path(js_lib_leaflet.__file__).parent / "static" / "js_lib_leaflet", ("leaflet.js", "leaflet.css", "images")),
    "jquery": (Path(xjquery.BASE_DIR), ("jquery.min.js",)),
}


def ensure_assets() -> Path:
    """Copy the assets from the installed packages once (atomically: several servers may start at once)."""
    for name, (source, entries) in _ASSETS.items():
        dest = VENDOR / name
        first = entries[0]
        if (dest / first).exists() and (dest / first).stat().st_size == (source / first).stat().st_size:
            continue
        VENDOR.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=VENDOR, prefix=f".{name}-"))
        for entry in entries:
            if (source / entry).is_dir():
                shutil.copytree(source / entry, tmp / entry)
            else:
                shutil.copy2(source / entry, tmp / entry)
        try:
            if dest.exists():
                shutil.rmtree(dest)
            tmp.rename(dest)
        except OSError:  # another process put it there first
            shutil.rmtree(tmp, ignore_errors=True)
    return VENDOR
