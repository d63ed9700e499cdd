"""Shared by the benchmark scripts: request URLs repeatedly and print their timings."""

from __future__ import annotations

import math
import statistics
import time


def time_urls(client, urls: list[str], repeats: int) -> None:
    """GET each URL ``repeats`` times in-process; print the median, 95th percentile and size."""
    print(f"{'url':<52} {'median ms':>10} {'p95 ms':>8} {'bytes':>9}")
    for url in urls:
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings.sort()
        p95 = timings[min(len(timings) - 1, math.ceil(len(timings) * 0.95) - 1)]
        print(f"{url:<52} {statistics.median(timings):>10.1f} {p95:>8.1f} {len(response.data):>9}")
