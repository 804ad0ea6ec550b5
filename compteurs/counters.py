"""One way to add to a counter row, for every aggregate table (usage, statistics, activity)."""

from django.db import IntegrityError, transaction
from django.db.models import F


def add(model, lookup: dict, n: int = 1, field: str = "nombre") -> None:
    """Add n to the row of `lookup`, creating it the first time; safe under concurrency.

    Update first (the common case). Two first events at once collide on the table's unique
    constraint and the loser adds; on SQLite (BEGIN IMMEDIATE) writers queue and cannot race.
    """
    # No savepoint of its own inside the caller's transaction (two round trips less on every count): only
    # the create, which may collide, needs one to carry on after an IntegrityError.
    with transaction.atomic(savepoint=False):
        rows = model.objects.filter(**lookup)
        if rows.update(**{field: F(field) + n}):
            return
        try:
            with transaction.atomic():
                model.objects.create(**lookup, **{field: n})
        except IntegrityError:
            rows.update(**{field: F(field) + n})
