"""Render a Word or PowerPoint file to PNG pages with LibreOffice and poppler, as an office would print it
(used by the tests that look at exported files; the pages land in tests/artifacts/ to be looked at)."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from tools import missing


def render(data: bytes, name: str, out: Path, dpi: int = 60) -> tuple[int, list[Path]]:
    """(number of pages, PNG pages) of the file `name` holding `data`."""
    if not shutil.which("soffice") or not shutil.which("pdftoppm"):
        missing("LibreOffice and poppler (to render files)")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / name
        source.write_bytes(data)
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", "pdf",
                        str(source), "--outdir", tmp], check=True, capture_output=True, timeout=240)
        pdf = source.with_suffix(".pdf")
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        stem = out / Path(name).stem
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(stem)], check=True, timeout=120)
    return pages, sorted(out.glob(f"{Path(name).stem}-*.png"))
