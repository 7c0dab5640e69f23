"""Benchmarks: each ``bench_*`` module's ``run()`` returns rows measured against a baseline in
the same run; ``python -m benchmarks`` runs them all and writes ``benchmarks/results.md``."""
