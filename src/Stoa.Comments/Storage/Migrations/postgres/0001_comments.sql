-- Threads exist implicitly (client-chosen ids); a row appears with the first comment or a lock.
CREATE TABLE comment_threads (
    app_id UUID NOT NULL,
    thread_id TEXT NOT NULL,
    comment_count BIGINT NOT NULL DEFAULT 0,
    locked SMALLINT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (app_id, thread_id)
);

-- Parent pointer + root + depth; counters and the derived sort scores are columns so that every listing is one
-- index range scan. Keys are random UUIDs (no sequences: CockroachDB hot-spots on them). Top-level comments have
-- parent_id = the nil UUID rather than NULL: every listing is then equality on (app_id, thread_id, parent_id), which
-- lets the index order serve ORDER BY and the (key, id) row comparison; PostgreSQL treats IS NULL as neither.
CREATE TABLE comments (
    app_id UUID NOT NULL,
    id UUID NOT NULL,
    thread_id TEXT NOT NULL,
    parent_id UUID NOT NULL,
    root_id UUID NOT NULL,
    depth INT NOT NULL,
    author_id TEXT NOT NULL,
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    links TEXT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    edited_at TIMESTAMPTZ NULL,
    deleted_at TIMESTAMPTZ NULL,
    upvotes BIGINT NOT NULL DEFAULT 0,
    downvotes BIGINT NOT NULL DEFAULT 0,
    likes BIGINT NOT NULL DEFAULT 0,
    reply_count BIGINT NOT NULL DEFAULT 0,
    best DOUBLE PRECISION NOT NULL DEFAULT 0,
    hot DOUBLE PRECISION NOT NULL DEFAULT 0,
    controversy DOUBLE PRECISION NOT NULL DEFAULT 0,
    PRIMARY KEY (app_id, id)
);

-- One index per sort, each ending in (sort key, id) for keyset paging; new and old share one (scanned both ways).
CREATE INDEX comments_by_created ON comments (app_id, thread_id, parent_id, created_at, id);
CREATE INDEX comments_by_upvotes ON comments (app_id, thread_id, parent_id, upvotes, id);
CREATE INDEX comments_by_replies ON comments (app_id, thread_id, parent_id, reply_count, id);
CREATE INDEX comments_by_best ON comments (app_id, thread_id, parent_id, best, id);
CREATE INDEX comments_by_hot ON comments (app_id, thread_id, parent_id, hot, id);
CREATE INDEX comments_by_controversy ON comments (app_id, thread_id, parent_id, controversy, id);

-- The truth for votes and likes: one row per (comment, user); the counters above are kept equal to them.
CREATE TABLE comment_votes (
    app_id UUID NOT NULL,
    comment_id UUID NOT NULL,
    user_id TEXT NOT NULL,
    value SMALLINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (app_id, comment_id, user_id)
);

CREATE TABLE comment_likes (
    app_id UUID NOT NULL,
    comment_id UUID NOT NULL,
    user_id TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (app_id, comment_id, user_id)
);
