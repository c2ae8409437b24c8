"""Time-based one-time passwords (RFC 6238, the codes of authenticator apps), in plain Python.

Six digits, 30-second steps, HMAC-SHA1: what every authenticator app (Google Authenticator,
Microsoft Authenticator, FreeOTP, Aegis) reads from an ``otpauth://`` link. A code is accepted
for the step before and after the current one (clocks drift), and never twice: the caller keeps
the last step used and :func:`verify` refuses it and every earlier one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1


def new_secret() -> str:
    """A fresh 160-bit secret, base32 without padding (what the apps expect)."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _key(secret: str) -> bytes:
    padded = secret.upper() + "=" * (-len(secret) % 8)
    return base64.b32decode(padded)


def step_at(timestamp: float) -> int:
    return int(timestamp // STEP_SECONDS)


def code_at(secret: str, step: int, digits: int = DIGITS) -> str:
    """The code of ``step`` (RFC 4226 dynamic truncation of HMAC-SHA1 over the step counter)."""
    digest = hmac.new(_key(secret), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def verify(secret: str, code: str, timestamp: float, last_step: int = -1) -> int | None:
    """The step ``code`` belongs to if it is valid now and newer than ``last_step``; None otherwise."""
    code = "".join(ch for ch in (code or "") if not ch.isspace())
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = step_at(timestamp)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if step > last_step and hmac.compare_digest(code_at(secret, step), code):
            return step
    return None


def uri(secret: str, account: str, issuer: str = "KotaCerdas") -> str:
    """The ``otpauth://`` link an authenticator app reads (from a QR code or pasted)."""
    label = quote(f"{issuer}:{account}")
    return f"otpauth://totp/{label}?" + urlencode(
        {"secret": secret, "issuer": issuer, "digits": DIGITS, "period": STEP_SECONDS}
    )
