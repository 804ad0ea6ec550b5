"""Migrations on the big, write-hot tables keep them writable (README, "Migrations on big tables").

A new migration that adds an index to one of BIG_TABLES (AddIndex, a field with db_index, unique or a
spatial index, a foreign key, an AlterField that adds one, a unique constraint, CREATE INDEX in SQL) uses
monenfant.migrations_ops.AjouterIndex (CREATE INDEX CONCURRENTLY on PostgreSQL), or AjouterUnique for a
unique column (CREATE UNIQUE INDEX CONCURRENTLY), in a migration with ``atomic = False``. The migrations applied before the rule are history and stay as they are: the rule
reads those numbered after CHECKED_AFTER (the newest of this change included) and every future one.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.gis.db.models import GeometryField
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import IntegrityError, NotSupportedError, connection, migrations, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ModelState, ProjectState
from django.test.utils import CaptureQueriesContext

from monenfant.migrations_ops import AjouterIndex, AjouterUnique, mettre_a_jour_par_lots, par_lots, tranches
from notifications.models import Notification

ROOT = Path(__file__).resolve().parents[2]

# Hundreds of thousands to millions of rows, written while the site runs.
BIG_TABLES = {
    "structures_structure",            # 300,000 fiches
    "structures_historicalstructure",  # a row per change of a fiche
    "structures_horaire",
    "structures_creneaudisponible",
    "structures_creneautravaille",
    "structures_compteurusage",        # usage counters, flushed from Redis every few minutes
    "structures_ligneimport",          # every row of every import
    "demandes_demande",                # a million demandes
    "demandes_enfant",
    "demandes_accesdemande",
    "demandes_transitiondemande",
    "demandes_statistiquedemande",
    "habilitations_notification",      # the outbox (notifications.Notification), written by every email
}

# Migrations numbered up to these were written before the rule (some broke it: see
# test_the_rule_would_have_caught_the_old_locking_indexes); the later ones, and those of any new app, follow it.
CHECKED_AFTER = {
    "demandes": 14,       # 0015_demandes_reorientees is checked
    "structures": 14,     # 0015_creneaux_travailles is checked
    "notifications": 1,   # 0002_notification_objet (index on the outbox) is checked
    "guide": 9,
    "habilitations": 9,
    "linf": 7,
    "simulateur": 4,
}

# (app, migration) -> why its locking index is acceptable. Empty: say why here if one ever must be.
ALLOWED = {}

CREATE_INDEX = re.compile(r"\bCREATE\s+(?:UNIQUE\s+)?INDEX\s+(?!CONCURRENTLY)(?:IF\s+NOT\s+EXISTS\s+)?\S+\s+ON\s+(?:ONLY\s+)?\"?(\w+)",
                          re.IGNORECASE)


def project_apps() -> list[str]:
    return sorted(config.label for config in apps.get_app_configs() if Path(config.path).is_relative_to(ROOT))


def number(name: str) -> int | None:
    return int(name[:4]) if name[:4].isdigit() else None


def table(state, app_label: str, model_name: str) -> str:
    model_state = state.models[app_label, model_name.lower()]
    return model_state.options.get("db_table") or f"{app_label}_{model_state.name_lower}"


def indexes(field) -> set[str]:
    """The indexes a column of this field gets."""
    found = set()
    if field.db_index:  # a foreign key's default too
        found.add("index")
    if field.unique and not field.primary_key:
        found.add("unique")
    if isinstance(field, GeometryField) and field.spatial_index:
        found.add("spatial")
    return found


def sql_statements(operation: migrations.RunSQL):
    sql = operation.sql
    for statement in [sql] if isinstance(sql, str) else sql:
        yield statement[0] if isinstance(statement, list | tuple) else statement


def faults(app_label: str, migration, state) -> list[str]:
    """What in ``migration`` builds an index on a big table while locking its writes; state: before it."""
    found = []
    created = set()  # tables created by this migration: empty, any index is instant

    def big(model_name: str, state) -> str | None:
        name = table(state, app_label, model_name)
        return name if name in BIG_TABLES and name not in created else None

    def check(operation, state):
        where = f"{app_label}.{migration.name}: {operation.describe()}"
        if isinstance(operation, migrations.SeparateDatabaseAndState):
            inner = state.clone()
            for sub in operation.database_operations:
                check(sub, inner)
                sub.state_forwards(app_label, inner)
        elif isinstance(operation, migrations.CreateModel):
            created.add(operation.options.get("db_table") or f"{app_label}_{operation.name_lower}")
        elif isinstance(operation, AddIndexConcurrently | AjouterUnique):
            if migration.atomic:
                found.append(f"{where}: a concurrent index needs `atomic = False` on the migration")
        elif isinstance(operation, migrations.AddIndex):
            if name := big(operation.model_name, state):
                found.append(f"{where}: {name} is big, use monenfant.migrations_ops.AjouterIndex")
        elif isinstance(operation, migrations.AddField):
            if (name := big(operation.model_name, state)) and indexes(operation.field):
                found.append(f"{where}: the new column of {name} gets an index ({', '.join(sorted(indexes(operation.field)))}); "
                             "add the field with db_index=False, then its index with AjouterIndex")
        elif isinstance(operation, migrations.AlterField):
            old = state.models[app_label, operation.model_name_lower].fields[operation.name]
            if (name := big(operation.model_name, state)) and indexes(operation.field) - indexes(old):
                found.append(f"{where}: the column of {name} gets an index; keep db_index=False and add it with AjouterIndex")
        elif isinstance(operation, migrations.AddConstraint):
            if (name := big(operation.model_name, state)) and isinstance(operation.constraint, models.UniqueConstraint):
                found.append(f"{where}: a unique constraint builds an index on {name} while locking its writes")
        elif isinstance(operation, migrations.AlterUniqueTogether):
            before = state.models[app_label, operation.name_lower].options.get("unique_together") or set()
            if (name := big(operation.name, state)) and set(operation.option_value or ()) - set(before):
                found.append(f"{where}: unique_together builds an index on {name} while locking its writes")
        elif isinstance(operation, migrations.RunSQL):
            for statement in sql_statements(operation):
                for name in CREATE_INDEX.findall(statement):
                    if name in BIG_TABLES and name not in created:
                        found.append(f"{where}: CREATE INDEX on {name} without CONCURRENTLY")

    for operation in migration.operations:
        check(operation, state)
        operation.state_forwards(app_label, state)
    return found


def migrations_of(loader, app_label):
    return sorted((key for key in loader.disk_migrations if key[0] == app_label), key=lambda key: key[1])


def all_faults(selected) -> dict[str, list[str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    result = {}
    for app_label in project_apps():
        for key in migrations_of(loader, app_label):
            if not selected(app_label, key[1]):
                continue
            state = loader.project_state(key, at_end=False)
            if found := faults(app_label, loader.graph.nodes[key], state):
                result[f"{key[0]}.{key[1]}"] = found
    return result


def after_the_rule(app_label: str, name: str) -> bool:
    n = number(name)
    return n is None or n > CHECKED_AFTER.get(app_label, 0)


def test_new_migrations_build_indexes_on_big_tables_concurrently():
    found = all_faults(after_the_rule)
    assert {name: faults for name, faults in found.items() if tuple(name.split(".")) not in ALLOWED} == {}


def test_the_newest_migrations_are_among_those_checked():
    assert after_the_rule("notifications", "0002_notification_objet")
    assert after_the_rule("demandes", "0015_demandes_reorientees")
    assert after_the_rule("demandes", "0017_index_jeton_suivi")
    assert after_the_rule("structures", "0015_creneaux_travailles")
    assert after_the_rule("nouvelle_app", "0001_initial")
    assert not after_the_rule("demandes", "0009_index_demandes_nouvelles")


def test_the_outbox_index_is_built_concurrently():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    migration = loader.graph.nodes["notifications", "0002_notification_objet"]
    assert migration.atomic is False
    assert any(isinstance(op, AjouterIndex) and op.index.name == "notification_objet" for op in migration.operations)


def test_the_rule_would_have_caught_the_old_locking_indexes():
    """The history the rule leaves alone: the check finds what a new migration must not do again."""
    found = all_faults(lambda app_label, name: not after_the_rule(app_label, name))
    assert {"demandes.0009_index_demandes_nouvelles", "structures.0008_index_compteur_evenement",
            "structures.0014_structure_departement"} <= set(found)
    # A table created in the same migration is empty: its indexes are fine (the counters' first migration).
    assert "structures.0007_compteur_usage" not in found


def test_the_follow_up_token_is_unique_through_an_index_built_concurrently():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    migration = loader.graph.nodes["demandes", "0017_index_jeton_suivi"]
    assert migration.atomic is False
    assert any(isinstance(op, AjouterUnique) and op.constraint.name == "demande_jeton_suivi_unique" for op in migration.operations)


def test_a_concurrent_index_in_an_atomic_migration_is_a_fault():
    state = ProjectState()
    state.add_model(ModelState("notifications", "Notification", [("id", models.BigAutoField(primary_key=True)),
                                                                 ("objet", models.CharField(max_length=40))],
                               options={"db_table": "habilitations_notification"}))
    migration = type("Migration", (migrations.Migration,), {"operations": [
        AjouterIndex(model_name="notification", index=models.Index(fields=["objet"], name="n_objet")),
        migrations.AddField("notification", "cle", models.CharField(max_length=3, db_index=True)),
        migrations.AddField("notification", "lu_le", models.DateTimeField(null=True)),
        migrations.RunSQL("CREATE INDEX n_cle ON habilitations_notification (cle)"),
        migrations.RunSQL("CREATE INDEX CONCURRENTLY n_lu ON habilitations_notification (lu_le)"),
        AjouterUnique(model_name="notification", constraint=models.UniqueConstraint(
            fields=["objet"], condition=models.Q(objet__gt=""), name="n_objet_unique")),
        migrations.AddConstraint(model_name="notification", constraint=models.UniqueConstraint(
            fields=["objet"], condition=models.Q(objet__gt=""), name="n_objet_unique_2")),
    ]})("0099_essai", "notifications")
    found = faults("notifications", migration, state)
    assert len(found) == 5
    assert "atomic = False" in found[0] and "cle" in found[1] and "CREATE INDEX" in found[2]
    assert "atomic = False" in found[3] and "unique constraint" in found[4]


# The operation and the batches, on SpatiaLite and again on PostGIS (make test's second pass).

def essai_state():
    state = ProjectState()
    state.add_model(ModelState("notifications", "Essai", [("id", models.BigAutoField(primary_key=True)),
                                                          ("objet", models.CharField(max_length=40))],
                               options={"db_table": "essai_index_concurrent"}))
    return state


@pytest.fixture
def essai_table(transactional_db):
    state = essai_state()
    with connection.schema_editor(atomic=False) as editor:
        editor.create_model(state.apps.get_model("notifications", "Essai"))
    yield state
    with connection.schema_editor(atomic=False) as editor:
        editor.delete_model(state.apps.get_model("notifications", "Essai"))


def index_names() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, "essai_index_concurrent"))


@pytest.mark.postgis
def test_ajouter_index_builds_the_index_concurrently_on_postgresql_and_plainly_elsewhere(essai_table):
    operation = AjouterIndex(model_name="essai", index=models.Index(fields=["objet"], name="essai_objet"))
    after = essai_table.clone()
    operation.state_forwards("notifications", after)
    assert after.models["notifications", "essai"].options["indexes"][0].name == "essai_objet"

    with CaptureQueriesContext(connection) as queries, connection.schema_editor(atomic=False) as editor:
        operation.database_forwards("notifications", editor, essai_table, after)
    assert "essai_objet" in index_names()
    created = [q["sql"] for q in queries.captured_queries if "CREATE INDEX" in q["sql"]]
    assert len(created) == 1
    assert ("CONCURRENTLY" in created[0]) == (connection.vendor == "postgresql")

    with connection.schema_editor(atomic=False) as editor:
        operation.database_backwards("notifications", editor, after, essai_table)
    assert "essai_objet" not in index_names()


@pytest.mark.postgis
def test_ajouter_unique_builds_a_partial_unique_index_concurrently_on_postgresql(essai_table):
    constraint = models.UniqueConstraint(fields=["objet"], condition=models.Q(objet__gt=""), name="essai_objet_unique")
    operation = AjouterUnique(model_name="essai", constraint=constraint)
    after = essai_table.clone()
    operation.state_forwards("notifications", after)
    with CaptureQueriesContext(connection) as queries, connection.schema_editor(atomic=False) as editor:
        operation.database_forwards("notifications", editor, essai_table, after)
    created = [q["sql"] for q in queries.captured_queries if "CREATE UNIQUE INDEX" in q["sql"]]
    assert len(created) == 1 and ("CONCURRENTLY" in created[0]) == (connection.vendor == "postgresql")
    Essai = after.apps.get_model("notifications", "Essai")  # noqa: N806
    Essai.objects.bulk_create([Essai(objet=""), Essai(objet=""), Essai(objet="a")])  # the condition leaves "" out
    with pytest.raises(IntegrityError), transaction.atomic():
        Essai.objects.create(objet="a")
    with connection.schema_editor(atomic=False) as editor:
        operation.database_backwards("notifications", editor, after, essai_table)
    assert "essai_objet_unique" not in index_names()
    with pytest.raises(ValueError, match="condition"):
        AjouterUnique(model_name="essai", constraint=models.UniqueConstraint(fields=["objet"], name="sans_condition"))


@pytest.mark.postgis
def test_ajouter_index_refuses_a_transaction_on_postgresql_only(essai_table):
    operation = AjouterIndex(model_name="essai", index=models.Index(fields=["objet"], name="essai_objet"))
    after = essai_table.clone()
    operation.state_forwards("notifications", after)
    if connection.vendor != "postgresql":
        with connection.schema_editor(atomic=False) as editor:
            operation.database_forwards("notifications", editor, essai_table, after)
        assert "essai_objet" in index_names()
        return
    with pytest.raises(NotSupportedError), transaction.atomic(), connection.schema_editor() as editor:
        operation.database_forwards("notifications", editor, essai_table, after)
    assert "essai_objet" not in index_names()


@pytest.mark.postgis
def test_ajouter_index_rebuilds_an_index_a_failed_concurrent_build_left_invalid(essai_table):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: an interrupted CREATE INDEX CONCURRENTLY leaves an invalid index")
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            pytest.skip("marking an index invalid needs a superuser (make test's throwaway server)")
        cursor.execute("CREATE INDEX essai_objet ON essai_index_concurrent (objet)")
        cursor.execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'essai_objet'::regclass")
    operation = AjouterIndex(model_name="essai", index=models.Index(fields=["objet"], name="essai_objet"))
    after = essai_table.clone()
    operation.state_forwards("notifications", after)
    with connection.schema_editor(atomic=False) as editor:
        operation.database_forwards("notifications", editor, essai_table, after)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = 'essai_objet'::regclass")
        assert cursor.fetchone() == (True,)


def notifications(n: int):
    Notification.objects.bulk_create(Notification(destinataires="a@exemple.fr", sujet=f"essai-lot {i}", corps="…")
                                     for i in range(n))
    return Notification.objects.filter(sujet__startswith="essai-lot")


@pytest.mark.postgis
def test_a_batched_update_goes_by_ranges_of_primary_keys_each_in_its_own_transaction(transactional_db):
    rows = notifications(25)
    sizes, in_transaction = [], []

    def traiter(lot):
        in_transaction.append(connection.in_atomic_block)
        sizes.append(lot.count())
        return lot.update(objet="lot")

    assert par_lots(rows.filter(objet=""), traiter, taille=10) == 25
    assert sizes == [10, 10, 5]
    assert in_transaction == [True, True, True] and not connection.in_atomic_block
    assert set(rows.values_list("objet", flat=True)) == {"lot"}


@pytest.mark.postgis
def test_the_ranges_cover_every_row_once_whatever_the_gaps(db):
    rows = notifications(30)
    rows.filter(pk__in=list(rows.order_by("pk").values_list("pk", flat=True)[5:17])).delete()
    seen = [pk for lot in tranches(rows, 4) for pk in lot.values_list("pk", flat=True)]
    assert sorted(seen) == sorted(rows.values_list("pk", flat=True)) and len(seen) == len(set(seen)) == 18
    assert list(tranches(rows.none(), 4)) == [] and list(tranches(rows.filter(sujet="aucune"), 4)) == []
    assert mettre_a_jour_par_lots(rows, taille=7, objet="fait") == 18
    assert mettre_a_jour_par_lots(rows.filter(objet=""), taille=7, objet="encore") == 0
