"""Render a Word or PowerPoint file to PNG pages with LibreOffice and poppler, as an office would print it
(used by the tests that look at exported files; the pages land in tests/artifacts/ to be looked at, with the
text of each page beside them: `page_texts`)."""
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
        for old in out.glob(f"{Path(name).stem}-*.png"):  # a render with fewer pages leaves none of an older one
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(stem)], check=True, timeout=120)
        subprocess.run(["pdftotext", "-layout", str(pdf), str(stem) + ".txt"], check=True, timeout=120)
    return pages, sorted(out.glob(f"{Path(name).stem}-*.png"))


def page_texts(out: Path, name: str) -> list[str]:
    """The text of each page of the last `render` of `name` into `out` (as poppler reads it from the PDF)."""
    return (out / f"{Path(name).stem}.txt").read_text(encoding="utf-8").split("\f")[:-1]
