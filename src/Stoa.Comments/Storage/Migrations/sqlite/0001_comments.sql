-- Threads exist implicitly (client-chosen ids); a row appears with the first comment or a lock.
CREATE TABLE comment_threads (
    app_id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    comment_count INTEGER NOT NULL DEFAULT 0,
    locked INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (app_id, thread_id)
);

-- Parent pointer + root + depth; counters and the derived sort scores are columns so that every listing is one
-- index range scan. Keys are random TEXTs (no sequences: CockroachDB hot-spots on them).
CREATE TABLE comments (
    app_id TEXT NOT NULL,
    id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    parent_id TEXT NOT NULL,
    root_id TEXT NOT NULL,
    depth INTEGER NOT NULL,
    author_id TEXT NOT NULL,
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    links TEXT NULL,
    created_at TEXT NOT NULL,
    edited_at TEXT NULL,
    deleted_at TEXT NULL,
    upvotes INTEGER NOT NULL DEFAULT 0,
    downvotes INTEGER NOT NULL DEFAULT 0,
    likes INTEGER NOT NULL DEFAULT 0,
    reply_count INTEGER NOT NULL DEFAULT 0,
    best REAL NOT NULL DEFAULT 0,
    hot REAL NOT NULL DEFAULT 0,
    controversy REAL NOT NULL DEFAULT 0,
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
    app_id TEXT NOT NULL,
    comment_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    value INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (app_id, comment_id, user_id)
);

CREATE TABLE comment_likes (
    app_id TEXT NOT NULL,
    comment_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (app_id, comment_id, user_id)
);
