"""Answers are deterministic functions of the request, so identical requests (a whole class
opening the same shared link) are computed once: a bounded per-worker cache of serialized
answers, with concurrent identical requests waiting for the one computation, and ETags so
browsers revalidate GETs for free."""
from __future__ import annotations

import gzip
import hashlib
import math
import threading
from collections import OrderedDict

import numpy as np
import orjson

from fastapi import Request, Response

from . import __version__

METADATA_MAX_AGE = 300  # seconds a browser may reuse a metadata or grid answer without asking


class Encoded:
    """A serialized answer, with its ETag and gzip form computed once: the same answer goes to a
    whole class, and compressing it per request was most of the server's work in a burst."""

    def __init__(self, raw: bytes, gzip_level: int):
        self.raw = raw
        self.etag = '"' + hashlib.blake2b(raw, digest_size=16).hexdigest() + '"'
        self.gzip_level = gzip_level
        self._gzipped = None

    @property
    def gzipped(self) -> bytes:
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.raw, compresslevel=self.gzip_level)
        return self._gzipped

    def __len__(self) -> int:
        return len(self.raw)


def _check_finite(value) -> None:
    # orjson writes NaN as null; a NaN reaching this point is a bug, and must fail loudly.
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f" and not np.isfinite(value).all():
            raise ValueError("non-finite number in an answer")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("non-finite number in an answer")
    elif isinstance(value, dict):
        for item in value.values():
            _check_finite(item)
    elif isinstance(value, (list, tuple)) and value and isinstance(value[0], (dict, list, tuple, np.ndarray, float)):
        for item in value:
            _check_finite(item)


def to_json(value, gzip_level: int = 6) -> Encoded:
    """orjson writes numpy arrays directly (shortest exact float repr), ~20x faster than
    json.dumps on a trajectory answer. Answers computed per request use gzip level 1: most
    of level 6's ratio at a fifth of the time."""
    _check_finite(value)
    return Encoded(orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY), gzip_level)


class ResponseCache:
    """LRU of serialized answers, bounded in bytes, with single-flight computation."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = self.misses = 0
        self._entries: OrderedDict[str, Encoded] = OrderedDict()
        self._pending: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def get_or_compute(self, key: str, compute):
        while True:
            with self._lock:
                if key in self._entries:
                    self._entries.move_to_end(key)
                    self.hits += 1
                    return self._entries[key]
                waiting = self._pending.get(key)
                if waiting is None:
                    self._pending[key] = threading.Event()
                    self.misses += 1
                    break
            waiting.wait()  # someone else computes this very answer; then read it from the cache
        try:
            body = compute()
            with self._lock:
                self._store(key, body)
            return body
        finally:
            with self._lock:
                self._pending.pop(key).set()

    def get(self, key: str):
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]
        return None

    def put(self, key: str, body):
        """Store an answer computed elsewhere (in a child process); returns it."""
        with self._lock:
            if key not in self._entries:
                self._store(key, body)
        return body

    def _store(self, key: str, body) -> None:
        if len(body) > self.max_bytes // 4:
            return  # one huge answer must not flush everything else
        self._entries[key] = body
        self.size += len(body)
        while self.size > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self.size -= len(evicted)


GZIP_MIN_BYTES = 1024  # smaller answers fit in a packet or two: gzip saves nothing
LOOPBACK_PREFIXES = ("127.", "::1", "::ffff:127.")


def on_this_machine(request: Request) -> bool:
    host = request.client.host if request.client else ""
    return host.startswith(LOOPBACK_PREFIXES)


def compression_pays(request: Request, size: int) -> bool:
    """gzip where it saves time: an answer of more than a packet or two to a client on another
    machine (level 1 costs ~2 ms per 100 KB of trajectory, a 20 Mbit/s link ~40 ms). To a
    browser on the same machine (the lecturer's laptop) the answer crosses loopback at GB/s, so
    compressing only delays it. Behind a proxy on this machine, uvicorn's proxy_headers give
    the real client's address, so remote students still get gzip."""
    return size > GZIP_MIN_BYTES and "gzip" in request.headers.get("accept-encoding", "") \
        and not on_this_machine(request)


def json_response(request: Request, body: Encoded, max_age: int | None = None) -> Response:
    """The body with a strong ETag (a matching If-None-Match gets an empty 304), gzipped when
    that pays (compression_pays; the GZip middleware leaves an encoded response alone)."""
    headers = {"ETag": body.etag, "Cache-Control": f"public, max-age={max_age}" if max_age else "no-cache",
               "Vary": "Accept-Encoding"}
    if body.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if compression_pays(request, len(body)):
        return Response(content=body.gzipped, media_type="application/json",
                        headers={**headers, "Content-Encoding": "gzip"})
    if on_this_machine(request):  # an explicit identity keeps the GZip middleware from compressing it anyway
        headers["Content-Encoding"] = "identity"
    return Response(content=body.raw, media_type="application/json", headers=headers)


def cache_key(*parts) -> str:
    return hashlib.blake2b("\x1f".join([__version__, *map(str, parts)]).encode(), digest_size=20).hexdigest()
