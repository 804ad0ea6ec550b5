"""Keep the SpatiaLite R*Tree indexes alive.

On SQLite, Django rebuilds a table for many schema changes (constraints, altered fields) and the
rebuilt geometry column comes back without its spatial index: search would then find nothing
through the index. After each migrate we recreate any index SpatiaLite reports as missing.
"""

from django.db import connections


def ensure_spatial_indexes(using: str = "default") -> list[str]:
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    created = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT f_table_name, f_geometry_column FROM geometry_columns "
            "WHERE spatial_index_enabled = 0 AND f_table_name LIKE 'structures_%%'"
        )
        for table, column in cursor.fetchall():
            # The old R*Tree table outlives the rebuild, empty and detached: replace it.
            cursor.execute(f'DROP TABLE IF EXISTS "idx_{table}_{column}"')
            cursor.execute("SELECT CreateSpatialIndex(%s, %s)", [table, column])
            created.append(f"{table}.{column}")
    return created
