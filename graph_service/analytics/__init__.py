"""Link analysis on NetworkX graphs extracted from the store.

One module per algorithm family; every function is pure (takes a graph, returns plain,
JSON-serialisable data with its evidence). See ``docs/analytics.md``.
"""
