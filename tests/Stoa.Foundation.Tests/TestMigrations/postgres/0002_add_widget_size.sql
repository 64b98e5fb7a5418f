-- Depends on 0001: fails if the order were wrong.
ALTER TABLE widgets ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
