-- Least privilege (docs/security.md): one role per daemon that uses PostgreSQL, with only the grants its
-- statements need. The roles own nothing: the role running the migrations owns the schema. They are created
-- NOLOGIN: no password belongs in a migration; `likes-admin logins` (the scripts, the Helm hook) gives each
-- LOGIN and its password from a secret. Roles are cluster-wide: where they already exist (created by a DBA,
-- or by the migration of another database) they are kept as they are; creating one needs CREATEROLE.
DO $$
DECLARE
    daemon_role text;
BEGIN
    FOREACH daemon_role IN ARRAY ARRAY['likes_edge', 'likes_persister', 'likes_reheater', 'likes_reconciler'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = daemon_role) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT', daemon_role);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL; -- created at the same moment by the migration of another database
            END;
        END IF;
    END LOOP;
END
$$;

-- Nobody but the owner creates objects in the schema (the default since PostgreSQL 15; a warning where the
-- migrating role does not own it).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- The edge reads: counts and liked-state when Redis cannot answer, my-likes past the timeline. It never writes.
GRANT SELECT ON likes, content_like_counts TO likes_edge;

-- The persister writes the truth: likes inserted and deleted (a re-like moves created_at), count rows created
-- and moved, the stream position of each partition.
GRANT SELECT, INSERT, DELETE ON likes TO likes_persister;
GRANT UPDATE (created_at) ON likes TO likes_persister;
GRANT SELECT, INSERT ON content_like_counts TO likes_persister;
GRANT UPDATE (like_count, version, updated_at) ON content_like_counts TO likes_persister;
GRANT SELECT, INSERT ON stream_positions TO likes_persister;
GRANT UPDATE (sequence) ON stream_positions TO likes_persister;

-- The reheater reads a user's newest likes and the stream position they cover.
GRANT SELECT ON likes, stream_positions TO likes_reheater;

-- The reconciler counts likes, repairs count rows (locking them: FOR UPDATE needs UPDATE), keeps its own state,
-- and runs its clustered Quartz scheduler.
GRANT SELECT ON likes TO likes_reconciler;
GRANT SELECT, INSERT ON content_like_counts TO likes_reconciler;
GRANT UPDATE (like_count, version, updated_at) ON content_like_counts TO likes_reconciler;
GRANT SELECT, INSERT, UPDATE ON reconciler_state TO likes_reconciler;
GRANT SELECT, INSERT, UPDATE, DELETE ON
    qrtz_job_details, qrtz_triggers, qrtz_simple_triggers, qrtz_cron_triggers, qrtz_simprop_triggers,
    qrtz_blob_triggers, qrtz_calendars, qrtz_paused_trigger_grps, qrtz_paused_job_grps, qrtz_fired_triggers,
    qrtz_scheduler_state, qrtz_locks, qrtz_execution_history, qrtz_misfire_history, qrtz_job_status
    TO likes_reconciler;
