"""Logging: JSON lines in production (python-json-logger, orjson), readable lines in development.

Every record carries the id of the request it was written for (a context variable set by
RequestContextMiddleware), so one request's lines can be found together.
"""

import logging
import sys
from contextvars import ContextVar

from pythonjsonlogger.orjson import OrjsonFormatter

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class _StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stdout is at the time (test runners swap and close it)."""

    @property
    def stream(self) -> object:
        return sys.stdout

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


def configure_logging(level: str, log_format: str) -> None:
    # What no line of ours prints, and every record would otherwise look up: the caller's file
    # and line (a walk up the stack), the thread, the process. The logging HOWTO's
    # "Optimization" section names these switches; together with orjson instead of the json
    # module they took the access log line from 41 to 14 µs (docs/performance.md).
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    handler = _StdoutHandler()
    handler.addFilter(_RequestIdFilter())
    if log_format == "json":
        handler.setFormatter(
            OrjsonFormatter(
                "{asctime}{levelname}{name}{message}",
                style="{",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                datefmt="%Y-%m-%dT%H:%M:%S%z",
            )
        )
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)-7s %(name)s [%(request_id)s] %(message)s")
        )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    # uvicorn's own access log would repeat ours without the user and request ids.
    logging.getLogger("uvicorn.access").disabled = True
    # pgserver narrates every start and stop of the embedded server at INFO.
    logging.getLogger("pgserver").setLevel(max(logging.WARNING, root.level))
    # The MCP SDK logs every stateless request's start and end at INFO; our access log has one
    # line per request already (and httpx2 narrates every call the MCP client makes).
    for chatty in ("mcp", "httpx2"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root.level))
