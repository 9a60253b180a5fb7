"""aiohttp's access log without the health probes and metrics scrapes (every few seconds)."""

from __future__ import annotations

from aiohttp.web_log import AccessLogger
from aiohttp.web_request import BaseRequest
from aiohttp.web_response import StreamResponse

PROBE_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


class QuietProbes(AccessLogger):
    """Logs every request but a successful probe or scrape (a failing one is still logged)."""

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        if request.path in PROBE_PATHS and response.status < 400:
            return
        super().log(request, response, time)
