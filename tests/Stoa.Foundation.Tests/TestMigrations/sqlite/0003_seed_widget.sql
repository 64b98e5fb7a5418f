-- Not idempotent on purpose: applying it twice would fail on the primary key.
INSERT INTO widgets (id, name, size) VALUES ('seed', 'seeded once', 3);
