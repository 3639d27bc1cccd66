-- The truth: one row per (user, content) that is liked now.
CREATE TABLE likes (
    user_id    bigint      NOT NULL CHECK (user_id > 0),
    content_id bigint      NOT NULL CHECK (content_id > 0),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, content_id)
);

-- "A user's likes, newest first" (timeline rebuilds, my-likes past N) with keyset pagination.
CREATE INDEX likes_user_newest ON likes (user_id, created_at DESC, content_id DESC);

-- "A content's likes" (audits, COUNT(*) per content).
CREATE INDEX likes_content ON likes (content_id);

-- The exact count per content, kept in the same transaction as the rows it counts.
-- version grows by one with every change: Redis keeps count:version and takes only newer ones,
-- so concurrent or repeated writers can never move a counter backwards.
CREATE TABLE content_like_counts (
    content_id bigint      PRIMARY KEY CHECK (content_id > 0),
    like_count bigint      NOT NULL CHECK (like_count >= 0),
    version    bigint      NOT NULL DEFAULT 1,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- "Contents touched since the last reconcile run".
CREATE INDEX content_like_counts_updated ON content_like_counts (updated_at);
