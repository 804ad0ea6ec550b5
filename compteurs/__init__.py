"""Counters, shared machinery: one way to add to a counter row (counters.add), and the usage counters
of the site (usage.count, buffered in Redis, flushed by tasks.flush_usage). Imports no app.

The events are each app's own (its enums); the project's wiring (monenfant/apps.py) lists them here
(evenements.inscrire), in the order the back office shows them. The table is the project's
(settings.COMPTEURS_USAGE_MODEL), with the dimensions usage.count writes.
"""
