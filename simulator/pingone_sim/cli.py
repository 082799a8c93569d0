"""Command line entry point: python simulator/serve.py [options]."""

from __future__ import annotations

import argparse
import ipaddress
import json
import logging
import os
import signal
import sys
import tempfile
import threading
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server

from .app import RECORDER_EXTENSION, create_app
from .config import DEFAULT_WORKER_NAME, ConfigError, SimConfig, check_environment, check_worker, load_config_file

LOG = logging.getLogger("pingone_sim")
RECORD_ENV = "PINGONE_SIM_RECORD"


class QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's handler without its own access log (it would print query strings); errors still go to the log."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """The simulator middleware writes the access log."""


def is_loopback(host: str) -> bool:
    """localhost, 127.0.0.0/8 or ::1."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_host(host: str) -> str:
    """Host as it appears in a URL."""
    host = host.strip("[]")
    return f"[{host}]" if ":" in host else host


def build_parser() -> argparse.ArgumentParser:
    """The CLI."""
    parser = argparse.ArgumentParser(prog="serve.py", description="Local PingOne API simulator (loopback only).")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (127.0.0.0/8, ::1 or localhost)")
    parser.add_argument("--port", type=int, default=8080, help="port to bind, 0 picks a free port (default 8080)")
    parser.add_argument("--config", help="JSON config file (environments, workers, page_size, token_lifetime)")
    parser.add_argument("--state", help="JSON state file: loaded at start when present, saved after every change")
    parser.add_argument("--ready-file", help="write {pid, port, base_url, public_url} here once listening")
    parser.add_argument("--pid-file", help="write the process id here")
    parser.add_argument("--public-url", help="base URL used in links and token issuers (default http://HOST:PORT)")
    parser.add_argument("--page-size", type=int, help="page the applications list with this many items (0: no paging)")
    parser.add_argument("--worker-client-id", help="add a worker application with this client id")
    parser.add_argument("--worker-client-secret", help="secret of --worker-client-id")
    parser.add_argument("--admin-environment-id", help="environment holding --worker-client-id (created if needed)")
    parser.add_argument("--quiet", action="store_true", help="no access log")
    parser.add_argument("--record", default=os.environ.get(RECORD_ENV) or None, metavar="FILE",
                        help=f"append one JSON line per management API exchange to FILE (default: ${RECORD_ENV}; "
                             "secrets replaced by placeholders)")
    return parser


def build_config(args: argparse.Namespace) -> SimConfig:
    """Merge --config with the flags."""
    file_conf: dict[str, Any] = load_config_file(args.config) if args.config else {}
    environments = list(file_conf.get("environments", []))
    workers = list(file_conf.get("workers", []))
    worker_flags = (args.worker_client_id, args.worker_client_secret, args.admin_environment_id)
    if any(worker_flags):
        if not all(worker_flags):
            raise ConfigError("--worker-client-id, --worker-client-secret and --admin-environment-id must be given together")
        if not any(env["id"] == args.admin_environment_id for env in environments):
            environments.append(check_environment({"id": args.admin_environment_id, "name": "Administrators"}))
        if any(worker["client_id"] == args.worker_client_id for worker in workers):
            raise ConfigError(f"worker {args.worker_client_id} is also defined in the config file")
        workers.append(check_worker({"environment_id": args.admin_environment_id, "client_id": args.worker_client_id,
                                     "client_secret": args.worker_client_secret, "name": DEFAULT_WORKER_NAME}))
    page_size = args.page_size if args.page_size is not None else file_conf.get("page_size", 0)
    if not 0 <= page_size <= 1000:
        raise ConfigError("--page-size must be between 0 and 1000")
    if not 0 <= args.port <= 65535:
        raise ConfigError("--port must be between 0 and 65535")
    public_url = args.public_url.rstrip("/") if args.public_url else None
    if public_url is not None and not public_url.startswith(("http://", "https://")):
        raise ConfigError("--public-url must start with http:// or https://")
    return SimConfig(host=args.host, port=args.port, public_url=public_url, page_size=page_size,
                     token_lifetime=file_conf.get("token_lifetime", 3600), state_path=args.state, quiet=args.quiet,
                     record_path=args.record, environments=environments, workers=workers)


def write_atomic(path: str, text: str) -> None:
    """Write a file via a temporary file and rename."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".sim-", suffix=".tmp", dir=directory)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def _remove(path: str | None) -> None:
    if path:
        try:
            os.unlink(path)
        except OSError:
            pass


def main(argv: list[str] | None = None) -> int:
    """Run the simulator until SIGTERM/SIGINT."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not is_loopback(args.host):
        parser.error(f"--host {args.host!r} is not a loopback address; the simulator only binds 127.0.0.0/8, ::1 or localhost")
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s pingone-sim %(message)s")
    try:
        config = build_config(args)
        app = create_app(config)
    except (ConfigError, OSError, ValueError, KeyError) as exc:
        LOG.error("error: %s", exc)
        return 2
    server = make_server(args.host.strip("[]"), args.port, app, threaded=True, request_handler=QuietRequestHandler)
    port = server.server_port
    base = f"http://{url_host(args.host)}:{port}"
    if config.public_url is None:
        config.public_url = base
    store = app.extensions["pingone_sim"].store
    LOG.info("listening on %s (public URL %s, pid %d)", base, config.public_url, os.getpid())
    if config.record_path:
        LOG.info("recording management API exchanges to %s", config.record_path)
    for env in store.list_environments():
        workers = [r.id for r in env.apps.values() if r.data.get("type") == "WORKER"]
        LOG.info("environment %s (%s)%s workers: %s", env.id, env.name, " [forbidden]" if env.forbidden else "", ", ".join(workers) or "-")
    if args.pid_file:
        write_atomic(args.pid_file, f"{os.getpid()}\n")
    if args.ready_file:
        write_atomic(args.ready_file, json.dumps({"pid": os.getpid(), "port": port, "base_url": base, "public_url": config.public_url}))

    def stop(signum: int, _frame: Any) -> None:
        LOG.info("received signal %d, shutting down", signum)
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        store.save()
        recorder = app.extensions.get(RECORDER_EXTENSION)
        if recorder is not None:
            recorder.close()
        _remove(args.ready_file)
        _remove(args.pid_file)
        LOG.info("stopped")
    return 0
