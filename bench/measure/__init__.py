"""The benchmarks of ``bench/run.py``, one module per benchmark."""
