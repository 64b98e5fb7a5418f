-- One row per (followee, follower) pair ever followed; unfollowing keeps the row inactive so that its version keeps
-- growing: the Redis mirror applies a change only if its version is newer than the one it has.
CREATE TABLE follows (
    app_id TEXT NOT NULL,
    followee_id TEXT NOT NULL,
    follower_id TEXT NOT NULL,
    active INTEGER NOT NULL,
    version INTEGER NOT NULL,
    followed_at TEXT NOT NULL,
    PRIMARY KEY (app_id, followee_id, follower_id)
);
CREATE INDEX follows_by_follower ON follows (app_id, follower_id, followee_id);
