"""One role per subscriber per elementary service, across Payer's two kinds of rows.

Payer's administrators hold one row for the nine elementary services ('payer'), delegates
one row per elementary service ('payer_tva', …). A unique index cannot say "not both", so a
trigger does, on SQLite and on PostgreSQL (where an advisory lock per company and subscriber
makes it safe under concurrency).
"""

from django.db import migrations

MESSAGE = "one role per subscriber per elementary service: Payer administrator and delegate"

SQLITE_CONDITION = """
    NEW.service = 'payer' AND EXISTS (
        SELECT 1 FROM habilitations_habilitation h
        WHERE h.company_id = NEW.company_id AND h.subscriber_id = NEW.subscriber_id
          AND h.service = 'payer' AND h.id IS NOT NEW.id
          AND (h.role IN ('AT', 'AS')) <> (NEW.role IN ('AT', 'AS'))
    )
"""

SQLITE_FORWARD = [
    f"""CREATE TRIGGER habilitation_payer_roles_insert
        BEFORE INSERT ON habilitations_habilitation WHEN {SQLITE_CONDITION}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER habilitation_payer_roles_update
        BEFORE UPDATE ON habilitations_habilitation WHEN {SQLITE_CONDITION}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS habilitation_payer_roles_insert;",
    "DROP TRIGGER IF EXISTS habilitation_payer_roles_update;",
]

POSTGRES_FORWARD = [
    f"""CREATE FUNCTION habilitation_payer_roles() RETURNS trigger AS $$
    BEGIN
        IF NEW.service = 'payer' THEN
            PERFORM pg_advisory_xact_lock(
                hashtext('habilitation-payer:' || NEW.company_id || ':' || NEW.subscriber_id));
            IF EXISTS (
                SELECT 1 FROM habilitations_habilitation h
                WHERE h.company_id = NEW.company_id AND h.subscriber_id = NEW.subscriber_id
                  AND h.service = 'payer' AND h.id IS DISTINCT FROM NEW.id
                  AND (h.role IN ('AT', 'AS')) <> (NEW.role IN ('AT', 'AS'))
            ) THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'unique_violation';
            END IF;
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER habilitation_payer_roles
        BEFORE INSERT OR UPDATE ON habilitations_habilitation
        FOR EACH ROW EXECUTE FUNCTION habilitation_payer_roles();""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS habilitation_payer_roles ON habilitations_habilitation;",
    "DROP FUNCTION IF EXISTS habilitation_payer_roles();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("habilitations", "0002_drop_redundant_fk_indexes")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
