"""The simulator's wire protocol, shared by the gateway (server.py) and our plugin (plugin.py).

Modelled on the national payment platform and VNPay-style gateways: every message is a flat set
of text parameters plus `sig`, an HMAC-SHA256 (hex) over the other parameters sorted by name and
joined as `name=value&…` with the values percent-encoded. The secret is shared out of band (the
merchant's onboarding); a message without a valid `sig` is ignored.

1. Redirect (merchant → browser → gateway): GET {gateway}/pay with
   order, amount (whole đồng), description, return_url, callback_url, expires (Unix time), sig.
2. Callback (gateway → merchant, server to server, POST form-encoded): order, amount, status
   (paid | failed | cancelled), transaction_id, paid_at (ISO 8601), sig. The merchant answers
   JSON {"code": "00", "message": …}; "00" and "02" (already recorded) stop the retries.
3. Return (gateway → browser → merchant): GET return_url with order, amount, status,
   transaction_id, sig. It is only a hint for the page: money is recorded from the callback.
"""

import hashlib
import hmac
from urllib.parse import quote

from motcua.demo.published import PAYMENT_SIMULATOR_SECRET

SIGNATURE = "sig"
# The demo's shared secret, so `./dev demo` and the simulator agree with no configuration.
# Demo only: a real gateway's secret comes from the merchant's onboarding, never from code.
DEMO_SECRET = PAYMENT_SIMULATOR_SECRET
STATUSES = ("paid", "failed", "cancelled")
# The merchant's answers to a callback; the simulator stops retrying on these.
ACKNOWLEDGED = ("00", "02")


def canonical(params: dict) -> str:
    return "&".join(
        f"{name}={quote(str(params[name]), safe='')}" for name in sorted(params) if name != SIGNATURE
    )


def sign(params: dict, secret: str) -> str:
    return hmac.new(secret.encode(), canonical(params).encode(), hashlib.sha256).hexdigest()


def signed(params: dict, secret: str) -> dict:
    params = {name: str(value) for name, value in params.items() if name != SIGNATURE}
    return {**params, SIGNATURE: sign(params, secret)}


def verify(params: dict, secret: str) -> bool:
    given = params.get(SIGNATURE)
    if not given or not secret:
        return False
    # compare_digest: the time taken must not tell a forger how much of the signature was right.
    return hmac.compare_digest(str(given), sign(params, secret))
