-- A document is its op log: version N is the text after ops 1..N applied to the snapshot at version 0.
CREATE TABLE docs (
    id UUID PRIMARY KEY,
    app_id UUID NOT NULL,
    created_by TEXT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX docs_app ON docs (app_id, id);

-- The primary key is the commit's uniqueness check: two nodes racing for one version cannot both win.
CREATE TABLE doc_ops (
    doc_id UUID NOT NULL,
    version BIGINT NOT NULL,
    app_id UUID NOT NULL,
    op TEXT NOT NULL,
    client_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    user_id TEXT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT doc_ops_pkey PRIMARY KEY (doc_id, version)
);
-- A resent op (same client and seq) is acknowledged with its first version, never applied twice.
CREATE UNIQUE INDEX doc_ops_client_seq ON doc_ops (doc_id, client_id, seq);

-- Snapshots every N ops so that a read replays at most N ops; the op log stays the source of truth.
CREATE TABLE doc_snapshots (
    doc_id UUID NOT NULL,
    version BIGINT NOT NULL,
    app_id UUID NOT NULL,
    text TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (doc_id, version)
);
