"""The database refuses more seat-holding registrations than an event has seats.

The services lock the event row before they count and write, and that lock is what keeps
the count honest. This migration adds the database's own check behind it, for any write
that does not go through the services (a shell, a data migration, a future bug): a trigger
that, after a registration is inserted or changes status or event, or an event's capacity
changes, counts the seats held (approved, confirmed, offered) and aborts the statement when
they exceed the capacity. A CHECK constraint cannot count rows of another table, so a
trigger is the only way to say it in the database.

On PostgreSQL the trigger first locks the event row, so two transactions that bypass the
services' lock still queue, and the second one counts the first one's committed seat (in
READ COMMITTED each statement of the function takes a fresh snapshot). The error is a
check_violation naming ``registration_within_capacity``, which Django raises as
IntegrityError. The transaction-local setting ``clustermissions.seat_check = 'off'`` skipped
it for the race test's negative control; migration 0008 removes that switch.

SQLite runs one writer at a time; its triggers say the same with RAISE(ABORT).
"""

from django.db import migrations

SEAT_STATUSES = "('approved', 'confirmed', 'offered')"

POSTGRESQL_FORWARD = f"""
CREATE FUNCTION missions_registration_within_capacity() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    event_id_ bigint;
    seats integer;
    held integer;
BEGIN
    IF current_setting('clustermissions.seat_check', true) = 'off' THEN
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'missions_event' THEN
        event_id_ := NEW.id;
    ELSE
        IF NEW.status NOT IN {SEAT_STATUSES} THEN
            RETURN NULL;
        END IF;
        event_id_ := NEW.event_id;
    END IF;
    SELECT capacity INTO seats FROM missions_event WHERE id = event_id_ FOR UPDATE;
    SELECT count(*) INTO held FROM missions_registration
        WHERE event_id = event_id_ AND status IN {SEAT_STATUSES};
    IF held > seats THEN
        RAISE EXCEPTION 'registration_within_capacity: event % has % seats, % would be held',
            event_id_, seats, held
            USING ERRCODE = 'check_violation', CONSTRAINT = 'registration_within_capacity';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER registration_within_capacity
    AFTER INSERT OR UPDATE OF status, event_id ON missions_registration
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION missions_registration_within_capacity();

CREATE CONSTRAINT TRIGGER event_capacity_covers_seats
    AFTER UPDATE OF capacity ON missions_event
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION missions_registration_within_capacity();
"""

POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS event_capacity_covers_seats ON missions_event;
DROP TRIGGER IF EXISTS registration_within_capacity ON missions_registration;
DROP FUNCTION IF EXISTS missions_registration_within_capacity();
"""

SQLITE_HELD = f"""
    (SELECT count(*) FROM missions_registration
     WHERE event_id = {{event}} AND status IN {SEAT_STATUSES})
    > (SELECT capacity FROM missions_event WHERE id = {{event}})
"""

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER registration_within_capacity_insert
    AFTER INSERT ON missions_registration
    WHEN NEW.status IN {SEAT_STATUSES}
    BEGIN
        SELECT RAISE(ABORT, 'registration_within_capacity')
        WHERE {SQLITE_HELD.format(event="NEW.event_id")};
    END;
    """,
    f"""
    CREATE TRIGGER registration_within_capacity_update
    AFTER UPDATE OF status, event_id ON missions_registration
    WHEN NEW.status IN {SEAT_STATUSES}
    BEGIN
        SELECT RAISE(ABORT, 'registration_within_capacity')
        WHERE {SQLITE_HELD.format(event="NEW.event_id")};
    END;
    """,
    f"""
    CREATE TRIGGER event_capacity_covers_seats
    AFTER UPDATE OF capacity ON missions_event
    BEGIN
        SELECT RAISE(ABORT, 'registration_within_capacity')
        WHERE {SQLITE_HELD.format(event="NEW.id")};
    END;
    """,
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS registration_within_capacity_insert;",
    "DROP TRIGGER IF EXISTS registration_within_capacity_update;",
    "DROP TRIGGER IF EXISTS event_capacity_covers_seats;",
]


def _run(schema_editor, statements_by_vendor):
    statements = statements_by_vendor.get(schema_editor.connection.vendor)
    if statements is None:
        return  # Another database: the services' lock alone keeps the count.
    for statement in [statements] if isinstance(statements, str) else statements:
        schema_editor.execute(statement, params=None)


def forward(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD})


def backward(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [
        ("missions", "0004_itineraryitem_arrival_time_zone"),
    ]

    operations = [migrations.RunPython(forward, backward)]
