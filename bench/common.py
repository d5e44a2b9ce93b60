"""Helpers the benchmark scripts share: timing samples and the shared lock."""

import contextlib
import fcntl
import time


def sample_ms(call, repeat: int) -> list[float]:
    """Wall time of `repeat` calls, in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


@contextlib.contextmanager
def bench_lock(path: str | None):
    """Hold the shared benchmark lock (flock on `path`) for one timed phase, so
    two benchmarks on one machine never time at once; no path, no lock."""
    if not path:
        yield
        return
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
