CREATE TABLE widgets (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
