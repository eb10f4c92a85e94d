"""Run the app with uvicorn in the foreground; Ctrl-C (SIGINT) or SIGTERM stop it cleanly.

Used by ``marsoc serve`` and ``marsoc demo``. The first SIGINT or SIGTERM asks the
server to stop: open requests finish (at most 5 s), the app's shutdown runs (closing a
store the app opened) and :func:`serve_app` returns normally, so the caller closes what
it owns and exits 0. Further signals are ignored: ``uv run`` forwards the terminal's
Ctrl-C to a child that already got it from the terminal, and that second signal must
neither force uvicorn to skip the app's shutdown nor interrupt closing the store, nor
kill the process as it exits.
"""

from __future__ import annotations

import errno
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

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


def ignore_stop_signals() -> None:
    """From now on SIGINT/SIGTERM do nothing (clean-up in progress; main thread only)."""
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_IGN)


class _Server(uvicorn.Server):
    """uvicorn, stopped once by the first SIGINT/SIGTERM; later ones are ignored."""

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def stop(signum: int, frame: Any) -> None:
            self.should_exit = True

        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, stop)
        # The handlers stay after the server stops: the caller's clean-up must not be
        # interrupted, and the process exits right after it.
        yield


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
    server = _Server(config)
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
    try:
        server.run()
    except KeyboardInterrupt:  # a signal before the server installed its handlers
        pass
    finally:
        stop_waiting.set()
        # Ignored from here to the process's end: at exit Python sets its own handlers
        # back to the default, and a Ctrl-C forwarded late (uv run) then killed a demo
        # that had stopped cleanly (exit 130); an ignored signal stays ignored.
        ignore_stop_signals()
    if not server.started:
        lifespan = getattr(server, "lifespan", None)
        if lifespan is not None and getattr(lifespan, "startup_failed", False):
            raise ServeError("the web app failed to start (see the messages above)")
