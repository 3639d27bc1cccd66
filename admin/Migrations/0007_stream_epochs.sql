-- A stream deleted and created again numbers its events from 1 once more: a position is a sequence of one stream,
-- the epoch (the stream's creation time in microseconds, StreamEpoch.cs). Rows of before: epoch 0, older than any.
ALTER TABLE stream_positions ADD COLUMN epoch bigint NOT NULL DEFAULT 0 CHECK (epoch >= 0);
GRANT UPDATE (epoch) ON stream_positions TO likes_persister;
