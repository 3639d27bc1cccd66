-- Who liked a content, newest first, in keyset pages; and what the content's likes are, for audits and deletion.
-- It serves COUNT(*) per content as the old (content_id) index did, which it replaces.
CREATE INDEX likes_content_newest ON likes (content_id, created_at DESC, user_id DESC);
DROP INDEX likes_content;

-- A user's settings. likes_public false leaves them out of every likers list (they are counted, not named).
CREATE TABLE user_settings (
    user_id      bigint      PRIMARY KEY CHECK (user_id > 0),
    likes_public boolean     NOT NULL DEFAULT true,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- The likes of users whose likes are private: the likers list leaves these out, and each content's count row
-- carries how many there are (private_likers), both changed in the same transaction as the likes they mirror.
CREATE TABLE private_likes (
    content_id bigint NOT NULL,
    user_id    bigint NOT NULL,
    PRIMARY KEY (content_id, user_id)
);
CREATE INDEX private_likes_user ON private_likes (user_id);

-- private_likers: of like_count, how many likers are private. deleted_at: the content was deleted (its count
-- shows 0, its likes go in the background, a like of it is refused).
ALTER TABLE content_like_counts ADD COLUMN private_likers bigint NOT NULL DEFAULT 0;
ALTER TABLE content_like_counts ADD COLUMN deleted_at timestamptz NULL;

-- A content deletion: requested when the persister applied its event (and set the count row's deleted_at, after
-- which no like of it is inserted again), finished once its likes are gone, removed in bounded batches.
CREATE TABLE content_deletions (
    content_id   bigint      PRIMARY KEY CHECK (content_id > 0),
    requested_at timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz NULL
);

GRANT SELECT ON user_settings, private_likes, content_deletions TO likes_edge;
GRANT SELECT, INSERT, UPDATE (likes_public, updated_at) ON user_settings TO likes_persister;
GRANT SELECT, INSERT, DELETE ON private_likes TO likes_persister;
GRANT UPDATE (private_likers, deleted_at) ON content_like_counts TO likes_persister;
GRANT SELECT, INSERT, UPDATE (finished_at) ON content_deletions TO likes_persister;
GRANT SELECT ON user_settings, private_likes, content_deletions TO likes_reheater, likes_reconciler;

-- The change stream's outbox: each net change written in the transaction that made it, published after commit by the
-- persister's relay (in change_id order, change_id as the message id) and then deleted. Kinds: L liked, U unliked,
-- E erased (a like removed by its user's erasure), D content deleted. like_count and version: the content's after it.
CREATE TABLE change_outbox (
    change_id  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       char(1)     NOT NULL CHECK (kind IN ('L', 'U', 'E', 'D')),
    user_id    bigint      NOT NULL,
    content_id bigint      NOT NULL,
    like_count bigint      NOT NULL,
    version    bigint      NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT, DELETE ON change_outbox TO likes_persister;
