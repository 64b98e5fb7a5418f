-- Sizes of what was stored before 0002 (a separate migration: CockroachDB cannot write a column in the transaction
-- that added it).
UPDATE doc_ops SET size = octet_length(op);
UPDATE doc_snapshots SET size = octet_length(text);
UPDATE docs SET bytes = COALESCE((SELECT SUM(size) FROM doc_ops WHERE doc_ops.doc_id = docs.id), 0)
    + COALESCE((SELECT SUM(size) FROM doc_snapshots WHERE doc_snapshots.doc_id = docs.id), 0);
