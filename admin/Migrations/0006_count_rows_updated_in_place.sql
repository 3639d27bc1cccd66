-- Every batch updates the count rows of the contents it touches. An update that changes no indexed column
-- and finds room on its page is done in place (HOT): no new index entries, far less WAL and vacuum. The
-- index on updated_at made every one of them a full update, so:
--   updated_at  stays exact (the reconciler's grace: lag or lost write) but is no longer indexed;
--   touched_at  is indexed, for "contents touched since the last reconcile run", and moves at most once per
--               the persister's TouchedAtResolution, so most updates of a busy row leave it alone;
--   fillfactor  leaves room on each page for the new versions.
ALTER TABLE content_like_counts ADD COLUMN touched_at timestamptz NOT NULL DEFAULT now();
UPDATE content_like_counts SET touched_at = updated_at;
CREATE INDEX content_like_counts_touched ON content_like_counts (touched_at);
DROP INDEX content_like_counts_updated;
ALTER TABLE content_like_counts SET (fillfactor = 70);

GRANT UPDATE (touched_at) ON content_like_counts TO likes_persister, likes_reconciler;
