"""The seat trigger of migration 0005 loses its test-only switch.

Migration 0005's function returned early when the transaction-local setting
``clustermissions.seat_check`` was ``'off'``: only the race test's negative control set it,
through a switch in the services. Production code has no business carrying a way to turn
its own invariant off, so the function is replaced by the same check without the switch.
The race test now disables the trigger itself (``ALTER TABLE … DISABLE TRIGGER``) for its
negative control. The reverse restores 0005's function. SQLite's triggers never had the
switch; nothing changes there.
"""

from django.db import migrations

SEAT_STATUSES = "('approved', 'confirmed', 'offered')"

_FUNCTION = """
CREATE OR REPLACE FUNCTION missions_registration_within_capacity() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    event_id_ bigint;
    seats integer;
    held integer;
BEGIN
{switch}    IF TG_TABLE_NAME = 'missions_event' THEN
        event_id_ := NEW.id;
    ELSE
        IF NEW.status NOT IN {statuses} THEN
            RETURN NULL;
        END IF;
        event_id_ := NEW.event_id;
    END IF;
    SELECT capacity INTO seats FROM missions_event WHERE id = event_id_ FOR UPDATE;
    SELECT count(*) INTO held FROM missions_registration
        WHERE event_id = event_id_ AND status IN {statuses};
    IF held > seats THEN
        RAISE EXCEPTION 'registration_within_capacity: event % has % seats, % would be held',
            event_id_, seats, held
            USING ERRCODE = 'check_violation', CONSTRAINT = 'registration_within_capacity';
    END IF;
    RETURN NULL;
END;
$$;
"""

_SWITCH = """    IF current_setting('clustermissions.seat_check', true) = 'off' THEN
        RETURN NULL;
    END IF;
"""

WITHOUT_SWITCH = _FUNCTION.format(switch="", statuses=SEAT_STATUSES)
WITH_SWITCH = _FUNCTION.format(switch=_SWITCH, statuses=SEAT_STATUSES)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(WITHOUT_SWITCH, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(WITH_SWITCH, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("missions", "0007_timestamped_models"),
    ]

    operations = [migrations.RunPython(forward, backward)]
