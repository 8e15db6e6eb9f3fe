"""Vega-Lite spec → PNG with vl-convert, with a CJK font so Chinese labels are not boxes.

vl-convert loads the system's fonts itself; registering a directory matters when a CJK font lives
somewhere it does not look (a font shipped in a package, a user's font folder). Registration is
process-wide in vl-convert, so it is done once per directory. Without any CJK font, charts still
render — Chinese labels then fall back to whatever glyphs are available.
"""
from __future__ import annotations

import copy
import logging
import os
import struct
import threading
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import vl_convert as vlc

log = logging.getLogger("metricloop.charts")

# Folders where Debian/Ubuntu, Fedora, macOS and pip-installed fonts put CJK faces.
FONT_DIR_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy",
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/truetype/droid",
    "/usr/share/fonts/truetype/arphic",
    "/System/Library/Fonts",
    "~/.local/share/fonts",
    "~/.fonts",
)
CJK_FILE_HINTS = ("wqy", "cjk", "notosanssc", "notoserifsc", "sourcehan", "droidsansfallback", "uming", "ukai",
                  "pingfang", "hiragino", "simhei", "simsun", "msyh")
FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")
# Latin first (crisper digits), then CJK families; resvg falls back glyph by glyph along the list.
FONT_FAMILY = ("DejaVu Sans, WenQuanYi Micro Hei, Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, "
               "Droid Sans Fallback, PingFang SC, sans-serif")

_registered: set[str] = set()
_lock = threading.Lock()


def find_cjk_fonts(dirs: Iterable[str | os.PathLike] | None = None) -> list[Path]:
    """CJK font files under the given folders (default: the usual places), searched recursively."""
    found: list[Path] = []
    for d in dirs if dirs is not None else FONT_DIR_CANDIDATES:
        root = Path(d).expanduser()
        if not root.is_dir():
            continue
        try:
            for path in sorted(root.rglob("*")):
                name = path.name.lower().replace("-", "").replace("_", "")
                if path.suffix.lower() in FONT_SUFFIXES and any(h in name for h in CJK_FILE_HINTS):
                    found.append(path)
        except OSError as exc:  # an unreadable folder is not worth failing a chart for
            log.debug("skipping font folder %s: %s", root, exc)
    return found


def register_cjk_fonts(dirs: Iterable[str | os.PathLike] | None = None) -> list[Path]:
    """Register every folder holding a CJK font with vl-convert (once each); return the font files."""
    fonts = find_cjk_fonts(dirs)
    with _lock:
        for folder in sorted({str(f.parent) for f in fonts} - _registered):
            try:
                vlc.register_font_directory(folder)
                _registered.add(folder)
            except Exception as exc:  # noqa: BLE001 - a broken font folder must not break answers
                log.warning("could not register font folder %s: %s", folder, exc)
    if not fonts:
        log.info("no CJK font found; Chinese chart labels may render as boxes (see scripts/install_fonts.sh)")
    return fonts


class ChartRenderer(Protocol):
    """Anything that turns a Vega-Lite spec into PNG bytes."""

    def render_png(self, spec: dict) -> bytes: ...


def save_png(renderer: ChartRenderer, spec: dict, path: str | os.PathLike) -> Path:
    """Render `spec` and write it to `path` (parents created); return the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(renderer.render_png(spec))
    return target


class VegaChartRenderer:
    """vl-convert renderer. `scale` 2 gives crisp images on high-density screens (Slack shows them scaled)."""

    def __init__(self, font_dirs: Iterable[str | os.PathLike] | None = None, scale: float = 2.0,
                 font_family: str = FONT_FAMILY):
        self.scale = scale
        self.font_family = font_family
        self._font_dirs = list(font_dirs) if font_dirs is not None else None
        self.fonts: list[Path] | None = None

    def _with_font(self, spec: dict) -> dict:
        # the spec stays pure and font-agnostic; the machine's font choice is applied here
        spec = copy.deepcopy(spec)
        config = spec.setdefault("config", {})
        config.setdefault("font", self.font_family)
        return spec

    def render_png(self, spec: dict) -> bytes:
        """PNG bytes for a Vega-Lite spec."""
        if self.fonts is None:
            self.fonts = register_cjk_fonts(self._font_dirs)
        return vlc.vegalite_to_png(self._with_font(spec), scale=self.scale)

    def save(self, spec: dict, path: str | os.PathLike) -> Path:
        return save_png(self, spec, path)


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; raises ValueError if `data` is not a PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    return struct.unpack(">II", data[16:24])


def _tiny_png() -> bytes:
    """A valid 1×1 white PNG, built by hand so the fake needs no renderer."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


class FakeChartRenderer:
    """Records every spec it is asked to render and returns a tiny valid PNG."""

    def __init__(self) -> None:
        self.specs: list[dict] = []

    def render_png(self, spec: dict) -> bytes:
        self.specs.append(copy.deepcopy(spec))
        return _tiny_png()

    def save(self, spec: dict, path: str | os.PathLike) -> Path:
        return save_png(self, spec, path)
