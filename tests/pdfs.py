"""Reading the PDFs the platform writes, as a reviewer would: their text (pypdf), and a PNG of each page
in test-artifacts/ (git-ignored) when poppler's pdftoppm is installed, so a person can look at them."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
MARKUP = re.compile(r"<\s*/?\s*(br|b|i|para|font)\b[^>]*>|&(lt|gt|amp);", re.IGNORECASE)


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def leaked_markup(text: str) -> list[str]:
    """Markup printed as text (a tag or an entity a Paragraph should have rendered)."""
    return [match.group(0) for match in MARKUP.finditer(text)]


def render_pngs(content: bytes, name: str) -> list[Path]:
    """test-artifacts/<name>-<page>.png for each page; nothing when pdftoppm is not installed."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return []
    ARTIFACTS.mkdir(exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(content)
    subprocess.run([tool, "-png", "-r", "60", str(source), str(ARTIFACTS / name)], check=True, timeout=120)
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))
