-- A fence for the persister's partitions: the position of a partition moves only from where its writer says it
-- stands. A replica that lost its lease mid-batch (paused, cut off) and commits late finds the position moved by the
-- replica that holds the partition now, and its whole transaction is rolled back (SQLSTATE LK001): it never applies
-- events out of order after its successor. Positions of an older stream (a lower epoch) count as its start.
CREATE FUNCTION likes_advance_positions(
    p_consumer text, p_partitions int[], p_epochs bigint[], p_afters bigint[], p_throughs bigint[])
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    i int;
    moved int;
BEGIN
    FOR i IN 1 .. coalesce(array_length(p_partitions, 1), 0) LOOP
        INSERT INTO stream_positions AS s (consumer, partition, epoch, sequence)
        VALUES (p_consumer, p_partitions[i], p_epochs[i], p_throughs[i])
        ON CONFLICT (consumer, partition) DO UPDATE
        SET epoch = excluded.epoch, sequence = excluded.sequence
        WHERE s.epoch < excluded.epoch OR (s.epoch = excluded.epoch AND s.sequence <= p_afters[i]);
        GET DIAGNOSTICS moved = ROW_COUNT;
        IF moved = 0 THEN
            RAISE EXCEPTION USING
                ERRCODE = 'LK001',
                MESSAGE = format('partition %s of %s was applied past %s by another writer', p_partitions[i], p_consumer, p_afters[i]);
        END IF;
    END LOOP;
END
$$;

REVOKE EXECUTE ON FUNCTION likes_advance_positions(text, int[], bigint[], bigint[], bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION likes_advance_positions(text, int[], bigint[], bigint[], bigint[]) TO likes_persister;
