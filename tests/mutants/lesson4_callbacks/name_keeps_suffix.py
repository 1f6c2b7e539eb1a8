"""Callback.name forgets to strip the trailing "Callback": AvgStatsCallback -> avg_stats_callback."""

CATCHES = ["Callback"]


Callback.name = property(lambda self: camel2snake(type(self).__name__))  # noqa: F821
