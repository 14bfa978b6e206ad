"""The TV board's panels: their keys (a display's playlist names them), titles and the defaults of a display.

Shared by the displays store and command (which validate a playlist) and the board (which renders it).
"""
from __future__ import annotations

__all__ = ["PANELS", "DEFAULT_PLAYLIST", "DEFAULT_DWELL_S", "DEFAULT_REFRESH_S", "MIN_DWELL_S", "MIN_REFRESH_S",
           "THEMES", "parse_playlist"]

PANELS: dict[str, str] = {
    "status": "Work center status",
    "output": "Today's output vs plan",
    "oee": "OEE now",
    "downtime": "Downtime",
    "exceptions": "Top exceptions and schedule adherence",
}
DEFAULT_PLAYLIST = tuple(PANELS)
DEFAULT_DWELL_S = 20
DEFAULT_REFRESH_S = 60
MIN_DWELL_S = 5
MIN_REFRESH_S = 10
THEMES = ("dark", "light")


def parse_playlist(text: str, dwell_s: int = DEFAULT_DWELL_S) -> list[dict]:
    """``"status,oee:30"`` -> ``[{"panel": "status", "dwell_s": dwell_s}, {"panel": "oee", "dwell_s": 30}]``.

    Raises ``ValueError`` naming an unknown panel or a dwell time under ``MIN_DWELL_S``."""
    out = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        key, _, dwell = part.partition(":")
        if key not in PANELS:
            raise ValueError(f"unknown panel {key!r} (panels: {', '.join(PANELS)})")
        seconds = int(dwell) if dwell else dwell_s
        if seconds < MIN_DWELL_S:
            raise ValueError(f"dwell time of {key!r} under {MIN_DWELL_S} s")
        out.append({"panel": key, "dwell_s": seconds})
    if not out:
        raise ValueError("a playlist needs at least one panel")
    return out
