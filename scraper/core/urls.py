"""One spelling per URL: what the record's ``url`` and every de-duplication key use."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_")
_TRACKING = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "ref", "ref_src", "amp", "s_cid"}
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _decode_escapes(match: re.Match[str]) -> str:
    """Percent-escapes of UTF-8 letters become the letters; reserved characters stay escaped."""
    try:
        text = bytes.fromhex(match.group().replace("%", "")).decode("utf-8")
    except UnicodeDecodeError:
        return match.group().upper()
    return "".join(ch if ord(ch) > 127 or ch in _UNRESERVED else f"%{ord(ch):02X}" for ch in text)


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no default port or fragment, no tracking parameters,
    Arabic path segments as readable Unicode, never percent-escapes."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = _ESCAPES.sub(_decode_escapes, parts.path or "/").replace(" ", "%20")
    query = urlencode(
        [
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if key.lower() not in _TRACKING and not key.lower().startswith(_TRACKING_PREFIXES)
        ]
    )
    return urlunsplit((scheme, netloc, path, query, ""))
