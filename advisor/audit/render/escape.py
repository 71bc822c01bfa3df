"""Source text reaches the terminal: control characters are shown, never obeyed."""

from __future__ import annotations

_SAFE = {"\t": "    "}


def printable(text: str) -> str:
    """Escape C0/C1 control characters (ESC, BEL, CR, ...) and DEL as \\xNN; tabs become spaces."""
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if ch in _SAFE:
            out.append(_SAFE[ch])
        elif code < 0x20 or code == 0x7F or 0x80 <= code < 0xA0 or ch in ("\u2028", "\u2029"):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        elif 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:  # bidi overrides (Trojan Source)
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)
