-- What the reconciler remembers between runs, one row per job ('recent', 'full').
-- watermark: for 'recent', the PostgreSQL time the last successful run started; the next run checks every
-- content whose count row changed after it (minus a safety margin). Only ever moves forward.
CREATE TABLE reconciler_state (
    job          text        PRIMARY KEY,
    watermark    timestamptz NULL,
    last_success timestamptz NOT NULL,
    runs         bigint      NOT NULL DEFAULT 0 CHECK (runs >= 0)
);
