"""`optviz serve`: start the web app."""
from __future__ import annotations

import argparse
import threading
import webbrowser


def main(argv=None) -> None:
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
    args = parser.parse_args(argv)

    import os

    import uvicorn

    # Worker processes import the app afresh, so the setting travels by environment variable.
    os.environ["OPTVIZ_CORS_ORIGINS"] = ",".join(args.cors_origin)
    url = f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else args.host}:{args.port}/"
    if args.open:
        threading.Timer(1.0, webbrowser.open, [url]).start()
    print(f"optviz on {url}  (API docs: {url}docs)")
    # Students pause 5-15 s between slider drags: keep their connections open through the pause
    # instead of uvicorn's 5 s default, which also races with clients reusing the connection.
    uvicorn.run("app.main:app", host=args.host, port=args.port, workers=args.workers, proxy_headers=True,
                timeout_keep_alive=30, timeout_graceful_shutdown=5)


if __name__ == "__main__":
    main()
