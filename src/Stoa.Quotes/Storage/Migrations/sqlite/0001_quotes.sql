-- The latest quote per (app or market, symbol): what survives a Redis restart. The engine serves reads.
CREATE TABLE quotes (
    app_id TEXT NOT NULL,
    symbol TEXT NOT NULL,
    seq INTEGER NOT NULL,
    payload BLOB NOT NULL,
    PRIMARY KEY (app_id, symbol)
);
