"""Run the app with uvicorn in the foreground; Ctrl-C (SIGINT) or SIGTERM stop it cleanly.

Used by ``marsoc serve`` and ``marsoc demo``. uvicorn catches the signal, finishes
open requests, runs the app's shutdown (which closes a store the app opened), then
re-raises the signal; it arrives here as :class:`KeyboardInterrupt` and
:func:`serve_app` returns normally so the caller can close what it owns.
"""

from __future__ import annotations

import errno
import signal
import socket
import threading
from typing import Any, Callable

import uvicorn
from fastapi import FastAPI


class ServeError(RuntimeError):
    """The server could not start (port taken, store not reachable)."""


def port_problem(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be listened on, or None when it can."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is already in use (another marsoc? choose one with --port)"
            return f"cannot listen on {host}:{port}: {error.strerror or error}"
    return None


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def serve_app(
    app: FastAPI,
    host: str,
    port: int,
    *,
    log_level: str = "info",
    access_log: bool = True,
    on_ready: Callable[[], None] | None = None,
) -> None:
    """Serve ``app`` until Ctrl-C or SIGTERM; call ``on_ready`` once it accepts connections."""
    problem = port_problem(host, port)
    if problem:
        raise ServeError(problem)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        access_log=access_log,
        lifespan="on",
        server_header=False,
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)
    stop_waiting = threading.Event()

    def announce() -> None:
        while not stop_waiting.is_set():
            if server.started:
                if on_ready is not None:
                    on_ready()
                return
            if server.should_exit:
                return
            stop_waiting.wait(0.05)

    watcher = threading.Thread(target=announce, name="marsoc-ready", daemon=True)
    watcher.start()
    previous_term = None
    if threading.current_thread() is threading.main_thread():
        # SIGTERM stops the server the way Ctrl-C does (uvicorn re-raises it after shutdown).
        previous_term = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        stop_waiting.set()
        if previous_term is not None:
            signal.signal(signal.SIGTERM, previous_term)
    if not server.started:
        lifespan = getattr(server, "lifespan", None)
        if lifespan is not None and getattr(lifespan, "startup_failed", False):
            raise ServeError("the web app failed to start (see the messages above)")
