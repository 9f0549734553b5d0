"""National-scale data and benchmarks for Relais (see README, "Benchmarks")."""
