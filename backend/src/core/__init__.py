"""Cross-cutting pieces every layer uses: settings, logging, metrics, domain errors, and the
sort orders and cursors of paginated lists."""
