"""Task events: the outbox published to a broker (docs/events.md)."""
