"""The password of the benchmarks' users, in a module Locust can import without
Django: they exist in generated data only, like the data itself."""

PASSWORD = "Bench-Pages-2026"
