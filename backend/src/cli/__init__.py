"""Command-line tools for developers (`make token`)."""
