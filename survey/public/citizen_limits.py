"""The citizen survey's rate limits — page views per network
(RATELIMIT_FORM_NETWORK), submits per network (RATELIMIT_SUBMIT_NETWORK) and
per device (RATELIMIT_SUBMIT_DEVICE) — counted with the strategy and storage
Flask-Limiter is configured with (`limiter.limiter`, RATELIMIT_STORAGE_URI),
without its per-request machinery.

Flask-Limiter's decorators need a request context and resolve the view's
limits on every request: about 0.45 ms of CPU, three times all the rest of a
cached page view (bench/page_profile.py --limiter). The views (survey.py) and
the WSGI-level answers (fast_form.py, fast_submit.py) count here, under the
same keys, whichever of them answers. A shared storage that does not answer
(Redis restarting) must not stop the survey: the worker then counts in its
own memory for RETRY_SECONDS and tries the storage again, as Flask-Limiter's
in-memory fallback does (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED).
"""

import logging
import time
from functools import lru_cache

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage

from survey.extensions import limiter
from survey.netid import daily_key

log = logging.getLogger(__name__)
RETRY_SECONDS = 30
_fallback: dict = {"strategy": None, "until": 0.0}


@lru_cache(maxsize=16)
def _items(setting: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(setting))


def _count(app, setting: str, scope: str, key: str) -> bool:
    """Count one hit of every limit in the setting; False once any is over."""
    items = _items(app.config[setting])
    if time.monotonic() >= _fallback["until"]:
        try:
            return all([limiter.limiter.hit(item, scope, key) for item in items])
        except Exception:  # noqa: BLE001 - whatever the storage's client raises
            log.warning(
                "rate-limit storage unreachable: counting in memory for %d s", RETRY_SECONDS, exc_info=True
            )
            _fallback["until"] = time.monotonic() + RETRY_SECONDS
    return all([_memory(type(limiter.limiter)).hit(item, scope, key) for item in items])


def _memory(strategy_class):
    """This worker's own counts, with the configured strategy (fixed window...)."""
    if not isinstance(_fallback["strategy"], strategy_class):
        _fallback["strategy"] = strategy_class(MemoryStorage())
    return _fallback["strategy"]


def reset_fallback() -> None:
    """Forget the in-memory counts and try the storage again (tests)."""
    _fallback.update(strategy=None, until=0.0)


def network_key(app, remote_addr: str | None) -> str:
    """netid.client_network_key for an address (the WSGI layer has no request)."""
    return daily_key(remote_addr or "unknown", app.config["SECRET_KEY"])


def page_allowed(app, remote_addr: str | None) -> bool:
    if not limiter.enabled:
        return True
    return _count(app, "RATELIMIT_FORM_NETWORK", "form-network", network_key(app, remote_addr))


def submit_allowed(app, network: str, device: str | None) -> bool:
    """Both limits are counted, as the view's two decorators did; a browser
    without a device cookie counts on its network's key."""
    if not limiter.enabled:
        return True
    by_network = _count(app, "RATELIMIT_SUBMIT_NETWORK", "submit-network", network)
    by_device = _count(app, "RATELIMIT_SUBMIT_DEVICE", "submit-device", device or network)
    return by_network and by_device
