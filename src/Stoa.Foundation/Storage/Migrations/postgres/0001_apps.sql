CREATE TABLE apps (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    api_key TEXT NOT NULL UNIQUE,
    secret TEXT NOT NULL,
    previous_secret TEXT NULL,
    previous_secret_expires_at TIMESTAMPTZ NULL,
    created_at TIMESTAMPTZ NOT NULL
);
