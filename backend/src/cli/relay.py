"""Publish the task events of the outbox to NATS JetStream until stopped (docs/events.md):

    python -m src.cli.relay        (make relay; in production, one or more replicas of it)

Several may run: one publishes at a time (an advisory lock per batch), the others take over
within a poll when it stops or dies. SIGTERM or Ctrl-C stops it after the batch in flight;
it then prints what it published.
"""

import argparse
import asyncio
import signal
import sys

from src.core.logs import configure_logging
from src.core.settings import get_settings
from src.db.pool import resolve_database_url
from src.db.urls import libpq_conninfo
from src.events.relay import Relay, RelayStats


async def relay() -> RelayStats:
    settings = get_settings()
    configure_logging(settings.log_level, settings.effective_log_format)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    url = resolve_database_url(settings)
    print(
        f"relaying the outbox to {settings.nats_url}, stream {settings.events_stream}", flush=True
    )
    return await Relay(settings, libpq_conninfo(url)).run(stop)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args(argv)
    stats = asyncio.run(relay())
    print(
        f"relay stopped: published {stats.published} events in {stats.batches} batches,"
        f" {stats.duplicates} duplicates dropped by the broker, {stats.failures} failed batches",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
