"""The server's configuration, read once. `optviz serve` writes it into the environment so that
every worker process (uvicorn imports the app afresh in each) reads the same values."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Settings:
    cors_origins: tuple[str, ...] = ()
    # The training supervisor's Unix socket; empty: the first training starts one for this process.
    supervisor: str = ""
    # Signs the client identities the server issues; all workers must share it.
    secret: str = ""
    # Trainings running at once on the whole server (each a low-priority process).
    training_slots: int = 8
    per_client_running: int = 2
    per_client_waiting: int = 2
    queue_length: int = 200
    # Wall-clock caps: a /run answer, a live stream, and a stream whose client stopped reading.
    run_seconds: float = 60.0
    stream_seconds: float = 900.0
    stall_seconds: float = 30.0
    queue_seconds: float = 600.0
    # Wall-clock cap of a long trajectory or grid computation (predicted at most 2.5 s of CPU;
    # this leaves room for a loaded machine), killed past it (app/work_pool.py).
    work_seconds: float = 30.0
    # Predicted CPU seconds one trajectory or grid request may ask for; 0: surfaces.planning's
    # LIMIT_SECONDS (2.5 s). Lowered for the fuzz test's server, so its run stays short.
    work_budget: float = 0.0
    # Predicted seconds of training one request may ask for; 0: mlp.cost's calibrated limits
    # (about 20 s per /run, 2 minutes per stream). Lowered for the fuzz test's server.
    run_budget: float = 0.0
    stream_budget: float = 0.0

    @property
    def per_address_running(self) -> int:
        # One address (a laptop, or a whole class behind one NAT) never holds every slot: a
        # student elsewhere still gets in, and the class's extra trainings wait in the queue.
        return max(1, (self.training_slots * 3) // 4)

    def to_environment(self) -> dict[str, str]:
        values = {}
        for field in fields(self):
            value = getattr(self, field.name)
            values[_variable(field.name)] = ",".join(value) if isinstance(value, tuple) else str(value)
        return values

    @classmethod
    def from_environment(cls, environ=os.environ) -> "Settings":
        values = {}
        for field in fields(cls):
            text = environ.get(_variable(field.name))
            if text is None:
                continue
            default = field.default
            if isinstance(default, tuple):
                values[field.name] = tuple(item for item in text.split(",") if item)
            else:
                values[field.name] = type(default)(text)
        return cls(**values)


def _variable(name: str) -> str:
    return f"OPTVIZ_{name.upper()}"


_current: Settings | None = None


def settings() -> Settings:
    global _current
    if _current is None:
        loaded = Settings.from_environment()
        # Without a shared secret (a single process, tests) a private one is as good.
        _current = loaded if loaded.secret else Settings(**{**loaded.__dict__, "secret": secrets.token_hex(16)})
    return _current
