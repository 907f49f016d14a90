"""A stand-in for the national public-service portal on loopback (tests, the demo, the benchmark)."""
