"""PostgreSQL search support for the public catalogue (docs/architecture.md §16).

`search_text` is already folded in Python (lower case, no diacritics, đ → d), so both engines
compare folded text with folded text. On PostgreSQL this adds what makes that search fast and
typo-tolerant: `pg_trgm` (trigram similarity and a GIN index that also serves `LIKE '%word%'`)
and `unaccent` with the IMMUTABLE wrapper `f_unaccent(text)` — `unaccent()` itself is only
STABLE (it depends on the search path), so it cannot appear in an index expression; other apps
can index `f_unaccent(lower(col))` with it. Both extensions are *trusted* (PostgreSQL ≥ 13): the
database owner may create them. Where the application role may not, a DBA runs the same
statements first; every statement is idempotent.

SQLite needs nothing: the search falls back to word containment on the folded column.
"""

from django.db import migrations

INDEX = "catalog_procedure_search_trgm"


def _extension_schema(cursor, name: str) -> str:
    cursor.execute(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = %s",
        [name],
    )
    return cursor.fetchone()[0]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with schema_editor.connection.cursor() as cursor:
        unaccent_schema = schema_editor.quote_name(_extension_schema(cursor, "unaccent"))
        trgm_schema = schema_editor.quote_name(_extension_schema(cursor, "pg_trgm"))
    # Schema-qualified inside the function: an IMMUTABLE function must not depend on the
    # caller's search_path, or an index built with it could silently disagree with queries.
    schema_editor.execute(
        "CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS "
        f"$$ SELECT {unaccent_schema}.unaccent('{unaccent_schema}.unaccent'::regdictionary, $1) $$"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalog_procedure "
        f"USING gin (search_text {trgm_schema}.gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute("DROP FUNCTION IF EXISTS f_unaccent(text)")
    # The extensions stay: other objects of the database may use them.


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_onlinefield"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
