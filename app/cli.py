"""`optviz serve`: start the web app, its training supervisor, and guarded connections."""
from __future__ import annotations

import argparse
import dataclasses
import os
import secrets
import tempfile
import threading
import webbrowser

from .settings import Settings


def _parser() -> argparse.ArgumentParser:
    defaults = Settings()
    parser = argparse.ArgumentParser(prog="optviz", description="Interactive optimizer visualizer for teaching.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="start the web app")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 for a lecture hall)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    serve.add_argument("--open", action="store_true", help="open the page in the default browser")
    serve.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                       help="allow this origin (e.g. https://course.example.org) to call the API from its pages; "
                            "repeat for several. CORS is off by default")
    serve.add_argument("--training-slots", type=int, default=defaults.training_slots,
                       help="MLP trainings running at once on the whole server; more wait in a queue")
    return parser


def main(argv=None) -> None:
    args = _parser().parse_args(argv)

    import uvicorn

    from . import supervisor
    from .connections import ACCEPT_BACKLOG

    settings = dataclasses.replace(
        Settings.from_environment(), cors_origins=tuple(args.cors_origin), training_slots=args.training_slots,
        supervisor=os.path.join(tempfile.mkdtemp(prefix="optviz-"), "supervisor.sock"), secret=secrets.token_hex(16))
    # Worker processes import the app afresh: the settings travel by environment variable.
    os.environ.update(settings.to_environment())
    trainer = supervisor.start(settings.supervisor, settings)
    url = f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else args.host}:{args.port}/"
    if args.open:
        threading.Timer(1.0, webbrowser.open, [url]).start()
    print(f"optviz on {url}  (API docs: {url}docs)")
    try:
        # Students pause 5-15 s between slider drags: keep their connections open through the
        # pause (uvicorn's 5 s default also races with clients reusing the connection). The
        # guarded protocol adds what uvicorn lacks: a deadline for each request to arrive, and a
        # cap on connections below the file limit (app/connections.py).
        uvicorn.run("app.main:app", host=args.host, port=args.port, workers=args.workers, proxy_headers=True,
                    http="app.connections:GuardedH11Protocol", timeout_keep_alive=30, timeout_graceful_shutdown=5,
                    h11_max_incomplete_event_size=16 * 1024, backlog=ACCEPT_BACKLOG)
    finally:
        trainer.terminate()


if __name__ == "__main__":
    main()
