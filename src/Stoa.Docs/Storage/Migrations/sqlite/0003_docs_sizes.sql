-- Sizes of what was stored before 0002 (kept apart from it as on PostgreSQL/CockroachDB).
UPDATE doc_ops SET size = LENGTH(CAST(op AS BLOB));
UPDATE doc_snapshots SET size = LENGTH(CAST(text AS BLOB));
UPDATE docs SET bytes = COALESCE((SELECT SUM(size) FROM doc_ops WHERE doc_ops.doc_id = docs.id), 0)
    + COALESCE((SELECT SUM(size) FROM doc_snapshots WHERE doc_snapshots.doc_id = docs.id), 0);
