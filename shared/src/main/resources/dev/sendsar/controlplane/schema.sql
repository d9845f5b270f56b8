-- Control-plane schema. Aurora DSQL-compatible: text keys, no foreign keys, no sequences, JSON as text,
-- one DDL statement per transaction (statements are separated by a blank line and run one at a time).
CREATE TABLE IF NOT EXISTS tenants (
    id text PRIMARY KEY,
    name text NOT NULL,
    status text NOT NULL,
    settings text NOT NULL,
    created_at text NOT NULL
);

CREATE TABLE IF NOT EXISTS api_keys (
    id text PRIMARY KEY,
    tenant_id text NOT NULL,
    key_hash text NOT NULL UNIQUE,
    created_at text NOT NULL,
    revoked_at text
);
