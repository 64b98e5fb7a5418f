-- One row per (followee, follower) pair ever followed; unfollowing keeps the row inactive so that its version keeps
-- growing: the Redis mirror applies a change only if its version is newer than the one it has.
CREATE TABLE follows (
    app_id UUID NOT NULL,
    followee_id TEXT NOT NULL,
    follower_id TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    followed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (app_id, followee_id, follower_id)
);
CREATE INDEX follows_by_follower ON follows (app_id, follower_id, followee_id);
