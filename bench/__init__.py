"""Speed benchmarks (`make bench`): printed figures, not timed tests. See bench/run.py."""
