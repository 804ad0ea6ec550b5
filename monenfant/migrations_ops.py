"""Migrations that keep a big table writable (README, "Migrations on big tables").

- ``AjouterIndex``: ``migrations.AddIndex`` that builds the index with ``CREATE INDEX CONCURRENTLY`` on
  PostgreSQL (reads and writes go on while it is built), and a plain ``CREATE INDEX`` elsewhere
  (SpatiaLite). Its migration says ``atomic = False``: PostgreSQL builds a concurrent index outside any
  transaction. The migration state is AddIndex's, so ``makemigrations`` sees nothing to do.
- ``AjouterUnique``: the same for a unique column, as ``migrations.AddConstraint`` of a ``UniqueConstraint``
  with a condition (Django builds it as a partial unique index, and drops it as an index):
  ``CREATE UNIQUE INDEX CONCURRENTLY`` on PostgreSQL, a plain unique index elsewhere; ``atomic = False`` too.
- ``par_lots`` / ``mettre_a_jour_par_lots``: a data migration over millions of rows, by ranges of primary
  keys of at most ``taille`` rows, each range in its own transaction (in a migration with
  ``atomic = False``; otherwise the whole migration is still one transaction and one long lock).

``monenfant/tests/test_migrations_sures.py`` fails on a new migration that adds an index to one of the
big tables another way.
"""

from collections.abc import Callable, Iterator

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import NotSupportedError, migrations, transaction
from django.db.models import Max, QuerySet, UniqueConstraint

LOT = 10_000


class AjouterIndex(AddIndexConcurrently):
    """``AddIndex`` that does not lock the table's writes on PostgreSQL; plain ``AddIndex`` elsewhere."""

    def describe(self):
        return f"Create index {self.index.name} on {', '.join(self.index.fields)} of {self.model_name} (concurrently on PostgreSQL)"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return migrations.AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)
        # A concurrent build that failed (a deadlock, a duplicate, the deploy killed) leaves an invalid
        # index of that name behind: drop it, so that running the migration again builds it.
        self._ensure_not_in_transaction(schema_editor)
        if self._index_invalide(schema_editor):
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(self.index.name)}")
        return super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return migrations.AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
        return super().database_backwards(app_label, schema_editor, from_state, to_state)

    def _index_invalide(self, schema_editor) -> bool:
        return _index_invalide(schema_editor, self.index.name)


def _index_invalide(schema_editor, name: str) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE c.relname = %s AND c.relnamespace = current_schema()::regnamespace AND NOT i.indisvalid",
            [name],
        )
        return cursor.fetchone() is not None


class AjouterUnique(migrations.AddConstraint):
    """``AddConstraint`` of a conditional ``UniqueConstraint`` (a partial unique index, e.g. ``WHERE col IS NOT
    NULL``) that does not lock the table's writes on PostgreSQL; plain ``AddConstraint`` elsewhere."""

    def __init__(self, model_name, constraint):
        if not isinstance(constraint, UniqueConstraint) or constraint.condition is None:
            raise ValueError("AjouterUnique construit un index unique partiel : une UniqueConstraint avec une condition")
        super().__init__(model_name, constraint)

    def describe(self):
        return f"Create unique index {self.constraint.name} on {self.model_name} (concurrently on PostgreSQL)"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        if schema_editor.connection.in_atomic_block:
            raise NotSupportedError("AjouterUnique construit son index hors transaction : mettez atomic = False à la migration.")
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        name = self.constraint.name
        if _index_invalide(schema_editor, name):  # a concurrent build that failed: built again
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(name)}")
        statement = self.constraint.create_sql(model, schema_editor)
        statement.template = statement.template.replace("CREATE UNIQUE INDEX", "CREATE UNIQUE INDEX CONCURRENTLY", 1)
        schema_editor.execute(statement)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(self.constraint.name)}")


def tranches(queryset: QuerySet, taille: int = LOT) -> Iterator[QuerySet]:
    """The rows of ``queryset`` as consecutive ranges of primary keys of at most ``taille`` rows each.

    Each range is read from the index of the primary key (the last pk of the next ``taille`` rows), so a
    range costs the same at the end of the table as at its start, and rows that stop matching the
    queryset once updated do not shift the next range."""
    queryset = queryset.order_by()
    precedente = None
    while True:
        reste = queryset if precedente is None else queryset.filter(pk__gt=precedente)
        borne = next(iter(reste.order_by("pk").values_list("pk", flat=True)[taille - 1:taille]), None)
        if borne is None:
            borne = reste.aggregate(fin=Max("pk"))["fin"]
            if borne is None:
                return
        yield reste.filter(pk__lte=borne)
        precedente = borne


def par_lots(queryset: QuerySet, traiter: Callable[[QuerySet], int | None], *, taille: int = LOT) -> int:
    """Calls ``traiter(lot)`` on each range of ``tranches(queryset, taille)``, each in its own transaction;
    returns the sum of what ``traiter`` returned (e.g. the rows it updated)."""
    total = 0
    for lot in tranches(queryset, taille):
        with transaction.atomic(using=queryset.db):
            total += traiter(lot) or 0
    return total


def mettre_a_jour_par_lots(queryset: QuerySet, *, taille: int = LOT, **valeurs) -> int:
    """``queryset.update(**valeurs)`` by ranges of ``taille`` rows, a transaction each; returns the rows updated.

    In a data migration (``atomic = False``)::

        def remplir(apps, schema_editor):
            Demande = apps.get_model("demandes", "Demande")
            mettre_a_jour_par_lots(Demande.objects.using(schema_editor.connection.alias).filter(canal=""),
                                   canal="en_ligne")
    """
    return par_lots(queryset, lambda lot: lot.update(**valeurs), taille=taille)
