"""Phone numbers to E.164 (`+` and 7 to 15 digits), without guessing a country.

Clerk refuses a number that is not E.164 (422 `form_param_format_invalid`), so a number
is normalised here or reported, never sent as it came. The rules are the structural ones
of ITU-T E.164: an assigned country calling code, at most 15 digits, and for the North
American plan (+1) the 10-digit NPA-NXX shape. Clerk may check more (per-country number
plans); what it refuses beyond this shows up per user at import, with its code.
"""

from __future__ import annotations

import re

# ITU-T assigned country calling codes (1 to 3 digits; no code is a prefix of another).
_CODES = frozenset(
    "1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 "
    "81 82 84 86 90 91 92 93 94 95 98 211 212 213 216 218 220 221 222 223 224 225 226 227 228 229 230 231 "
    "232 233 234 235 236 237 238 239 240 241 242 243 244 245 246 247 248 249 250 251 252 253 254 255 256 "
    "257 258 260 261 262 263 264 265 266 267 268 269 290 291 297 298 299 350 351 352 353 354 355 356 357 "
    "358 359 370 371 372 373 374 375 376 377 378 379 380 381 382 383 385 386 387 389 420 421 423 500 501 "
    "502 503 504 505 506 507 508 509 590 591 592 593 594 595 596 597 598 599 670 672 673 674 675 676 677 "
    "678 679 680 681 682 683 685 686 687 688 689 690 691 692 800 808 850 852 853 855 856 870 878 880 881 "
    "882 883 886 888 960 961 962 963 964 965 966 967 968 970 971 972 973 974 975 976 977 979 992 993 994 "
    "995 996 998".split()
)
_SEPARATORS = re.compile(r"[\s().\-/]")
_NANP = re.compile(r"[2-9]\d\d[2-9]\d{6}")


class PhoneError(ValueError):
    """Why a number is not E.164; the message never repeats the number."""


def to_e164(raw: str, *, plus_missing: bool = False) -> str:
    """`raw` as E.164, or PhoneError.

    Separators (spaces, dots, dashes, slashes, parentheses) are dropped and a leading
    international `00` becomes `+`. `plus_missing` is for sources that store the full
    international number without its `+` (Supabase); elsewhere a number without `+` or
    `00` is national and needs a country that the export does not give, so it is refused.
    """
    text = _SEPARATORS.sub("", raw.strip())
    if text.startswith("00"):
        text = "+" + text[2:]
    elif not text.startswith("+"):
        if not plus_missing:
            raise PhoneError("has no country code (expected E.164, like +14155550123)")
        text = "+" + text
    digits = text[1:]
    if not digits.isascii() or not digits.isdigit():
        raise PhoneError("has characters other than digits")
    if not 7 <= len(digits) <= 15:
        raise PhoneError(f"has {len(digits)} digits; E.164 numbers have 7 to 15")
    code = next((digits[:n] for n in (1, 2, 3) if digits[:n] in _CODES), None)
    if code is None:
        raise PhoneError("does not start with an assigned country calling code")
    if code == "1" and not (len(digits) == 11 and _NANP.fullmatch(digits[1:])):
        raise PhoneError("is not a North American number (+1 and 10 digits, NPA-NXX-XXXX)")
    return text
