"""Kubernetes' probes and Prometheus' scrape of a running bot, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable

from prometheus_client.parser import text_string_to_metric_families

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def get(url: str) -> tuple[int, str]:
    """The status and body of GET `url`, 4xx and 5xx included."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def scrape(base: str) -> Samples:
    """Every sample of `base`/metrics, parsed by prometheus_client's own parser."""
    status, text = get(f"{base}/metrics")
    assert status == 200, text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    """The sample `name` with exactly `labels`, or 0 when it was never counted."""
    return samples.get((name, frozenset(labels.items())), 0.0)


def total(samples: Samples, name: str, **labels: str) -> float:
    """The sum of the samples `name` whose labels include `labels`."""
    wanted = set(labels.items())
    return sum(v for (n, have), v in samples.items() if n == name and wanted <= have)


def scrape_until(base: str, done: Callable[[Samples], bool], timeout: float = 10.0) -> Samples:
    """Scrape until `done` holds for the samples; fail with the last scrape after `timeout`."""
    deadline = time.monotonic() + timeout
    samples = scrape(base)
    while not done(samples):
        if time.monotonic() > deadline:
            raise AssertionError(f"metrics never got there: {samples}")
        time.sleep(0.05)
        samples = scrape(base)
    return samples


def wait_status(url: str, status: int, timeout: float = 15.0) -> str:
    """Poll GET `url` until it answers `status`; the body it answered with."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            got, body = get(url)
        except OSError:
            got, body = 0, ""
        if got == status:
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} answered {got} {body!r}, not {status}")
        time.sleep(0.05)
