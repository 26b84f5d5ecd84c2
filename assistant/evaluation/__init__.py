"""Tooling outside the product's import graph: evaluation, reports, benchmarks, synthetic corpora,
load tests.
"""
