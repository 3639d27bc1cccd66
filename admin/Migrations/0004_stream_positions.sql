-- How far PostgreSQL reflects each partition of the event stream: the persister moves it in the same
-- transaction as the rows, so a reader that sees a snapshot also knows the stream sequence it covers
-- (a timeline rebuilt from that snapshot must not erase what the aggregator applied after it).
CREATE TABLE stream_positions (
    consumer  text   NOT NULL,
    partition int    NOT NULL CHECK (partition >= 0),
    sequence  bigint NOT NULL CHECK (sequence >= 0),
    PRIMARY KEY (consumer, partition)
);
