"""Debian's nginx started unprivileged with the generated media config, for tests and the
benchmark: `with running_nginx(folder, media_root) as base_url: …`."""

import contextlib
import getpass
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

from media_pipeline.nginx import NginxSite, write
from tests.utils import wait_until

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"  # Debian's package (make test installs it)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _accepting(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def running_nginx(folder: Path, media_root: Path, **options) -> Iterator[str]:
    port = free_port()
    config = write(
        NginxSite(
            folder=folder,
            listen=f"127.0.0.1:{port}",
            media_root=media_root,
            foreground=True,
            # As root (CI's machine) the workers would drop to nobody, who cannot read the
            # tests' private folders; unprivileged nginx runs as its starter anyway.
            user=getpass.getuser() if os.geteuid() == 0 else "",
            **options,
        )
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(config), "-e", str(folder / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until(
            lambda: _accepting(port) or process.poll() is not None, timeout=15, interval=0.05
        )
        if process.poll() is not None:
            raise RuntimeError(f"nginx did not start: {process.stderr.read().decode()}")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
