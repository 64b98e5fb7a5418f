-- Who may open a document: 'app' (every user of the app) or 'members' (its creator and the users in doc_members).
ALTER TABLE docs ADD COLUMN access TEXT NOT NULL DEFAULT 'app';
-- Bytes of op log and snapshots the document holds, summed per app for the storage quota.
ALTER TABLE docs ADD COLUMN bytes BIGINT NOT NULL DEFAULT 0;
-- Each op's and snapshot's stored bytes: reads are paged by bytes, and compaction knows what it frees.
ALTER TABLE doc_ops ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
ALTER TABLE doc_snapshots ADD COLUMN size INTEGER NOT NULL DEFAULT 0;

CREATE TABLE doc_members (
    doc_id UUID NOT NULL,
    user_id TEXT NOT NULL,
    app_id UUID NOT NULL,
    PRIMARY KEY (doc_id, user_id)
);

-- A client id belongs to the first user who used it on the document (acks, deduplication and presence go by it).
CREATE TABLE doc_clients (
    doc_id UUID NOT NULL,
    client_id TEXT NOT NULL,
    app_id UUID NOT NULL,
    user_key TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (doc_id, client_id)
);
