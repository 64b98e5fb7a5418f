CREATE TABLE apps (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    api_key TEXT NOT NULL UNIQUE,
    secret TEXT NOT NULL,
    previous_secret TEXT NULL,
    previous_secret_expires_at TEXT NULL,
    created_at TEXT NOT NULL
);
