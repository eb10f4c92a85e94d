"""The foreground server's stop: after the first Ctrl-C every later one is ignored, to
the process's very end (a late one forwarded by ``uv run`` must not kill it as it exits)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from test_demo_command import free_port

SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    from fastapi import FastAPI
    from graph_service.api.server import serve_app

    serve_app(FastAPI(), "127.0.0.1", int(sys.argv[1]), log_level="warning",
              on_ready=lambda: os.kill(os.getpid(), signal.SIGINT))
    print("after", signal.getsignal(signal.SIGINT) == signal.SIG_IGN, signal.getsignal(signal.SIGTERM) == signal.SIG_IGN)
    os.kill(os.getpid(), signal.SIGINT)  # a late Ctrl-C, as the process ends
    os.kill(os.getpid(), signal.SIGTERM)
    print("still here")
    """
)


def test_signals_after_the_stop_are_ignored_to_the_end():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(free_port())], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["after", "True", "True", "still", "here"]
