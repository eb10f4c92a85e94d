"""Link analysis on NetworkX graphs extracted from the store.

One module per algorithm family; every function is pure (takes a graph, returns
typed results with their evidence: :mod:`graph_service.analytics.results`, whose
``to_json`` is the one path to JSON). See ``docs/analytics.md``.
"""
