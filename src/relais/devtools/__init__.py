"""Tools for developers and operators: the demo and the national-scale benchmarks."""
