"""City-scale data generator and benchmarks (see bench/RESULTS.md)."""
