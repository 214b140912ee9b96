"""The benchmark driver's parts; bench/run.py puts them together."""
