"""The form page's per-network limit (RATELIMIT_FORM_NETWORK), counted with
the rate-limit strategy Flask-Limiter is configured with (`limiter.limiter`:
same storage, RATELIMIT_STORAGE_URI) but without its per-request machinery.

Flask-Limiter's decorator needs a request context and resolves the view's
limits on every request: about 0.45 ms of CPU, three times all the rest of a
cached page view (bench/page_profile.py --limiter). The page has this one
limit, so the view (survey.py) and the WSGI-level first-visit answer
(fast_form.py) both count it here, under one key per network, whichever of
the two answers.
"""

import logging
from functools import lru_cache

from limits import RateLimitItem, parse_many

from survey.extensions import limiter
from survey.netid import daily_key

log = logging.getLogger(__name__)
SCOPE = "form-network"


@lru_cache(maxsize=8)
def _items(setting: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(setting))


def allowed(app, remote_addr: str | None) -> bool:
    """Count one page view for this address's network; False once over the limit."""
    if not limiter.enabled:
        return True
    network = daily_key(remote_addr or "unknown", app.config["SECRET_KEY"])  # netid.client_network_key
    try:
        strategy = limiter.limiter
        return all(
            [strategy.hit(item, SCOPE, network) for item in _items(app.config["RATELIMIT_FORM_NETWORK"])]
        )
    except Exception:  # noqa: BLE001 - a storage that does not answer must not stop the survey
        log.warning("form page limit not counted (rate-limit storage unreachable)", exc_info=True)
        return True
