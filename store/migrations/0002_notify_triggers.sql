-- Notifications raised by the database itself (shared/reference/fhevm-coprocessor.md §2). The other
-- channels are notified by the services with pg_notify. Statement-level triggers: one
-- notification per INSERT statement, however many rows it adds; listeners then poll the table.

-- New computations: wake the tfhe-workers.
create function notify_work_available() returns trigger language plpgsql as $body$
begin
    perform pg_notify('work_available', '');
    return null;
end;
$body$;

create trigger work_updated_trigger_from_computations_insertions
    after insert on computations
    for each statement execute function notify_work_available();

-- New switch-and-squash work: wake the sns-workers.
create function notify_event_pbs_computations() returns trigger language plpgsql as $body$
begin
    perform pg_notify('event_pbs_computations', '');
    return null;
end;
$body$;

create trigger on_insert_notify_event_pbs_computations
    after insert on pbs_computations
    for each statement execute function notify_event_pbs_computations();
