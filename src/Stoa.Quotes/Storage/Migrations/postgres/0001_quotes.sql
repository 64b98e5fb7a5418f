-- The latest quote per (app or market, symbol): what survives a Redis restart. The engine serves reads.
CREATE TABLE quotes (
    app_id UUID NOT NULL,
    symbol TEXT NOT NULL,
    seq BIGINT NOT NULL,
    payload BYTEA NOT NULL,
    PRIMARY KEY (app_id, symbol)
);
