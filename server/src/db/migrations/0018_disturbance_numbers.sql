-- Disturbances are numbered DST0000001 from their own sequence, like incidents and requests
-- (see 0001): a sequence never repeats a value, even when the transaction that took it rolls back.
CREATE SEQUENCE ticket_number_disturbance;
