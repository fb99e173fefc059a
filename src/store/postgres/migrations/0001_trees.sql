-- newswatch's PostgreSQL store, schema 1: one table per sled tree (src/store/sled/mod.rs),
-- each keyed by the same bytes as sled's key (`k`, compared bytewise like sled) and holding
-- the same value bytes (`v`: the serde JSON sled stores, or its binary records), so that an
-- export reads the same from either backend. Extra columns only where a query needs them.

CREATE TABLE meta             (k bytea PRIMARY KEY, v bytea NOT NULL);
CREATE TABLE feeds            (k bytea PRIMARY KEY, v bytea NOT NULL);  -- url → FeedState
CREATE TABLE feed_seen        (k bytea PRIMARY KEY, v bytea NOT NULL);  -- schema 1–2 (imports)
CREATE TABLE seen_sets        (k bytea PRIMARY KEY, v bytea NOT NULL);  -- feed id → hashes
CREATE TABLE story_index      (k bytea PRIMARY KEY, v bytea NOT NULL);  -- u:/g: key → id
CREATE TABLE items            (k bytea PRIMARY KEY, v bytea NOT NULL);  -- id → StoredItem
CREATE TABLE pending          (k bytea PRIMARY KEY, v bytea NOT NULL);  -- id → ()
-- claim key \0 sequence → ClaimRecord; `ckey` (the comparison key) for claim_keys_under.
CREATE TABLE claims           (k bytea PRIMARY KEY, v bytea NOT NULL,
                               ckey bytea GENERATED ALWAYS AS
                                 (substring(k FROM 1 FOR greatest(position('\x00'::bytea IN k) - 1, 0))) STORED);
CREATE INDEX claims_ckey ON claims (ckey);
CREATE TABLE claims_by_entity (k bytea PRIMARY KEY, v bytea NOT NULL);  -- entity \0 claim key
CREATE TABLE digests          (k bytea PRIMARY KEY, v bytea NOT NULL);  -- id → DigestRecord
CREATE TABLE queued           (k bytea PRIMARY KEY, v bytea NOT NULL);  -- unsent digest ids
CREATE TABLE seed_docs        (k bytea PRIMARY KEY, v bytea NOT NULL);
CREATE TABLE title_index      (k bytea PRIMARY KEY, v bytea NOT NULL);  -- title hash → TitleRecord
CREATE TABLE fp_sigs          (k bytea PRIMARY KEY, v bytea NOT NULL);  -- id → time, url, fingerprint
CREATE TABLE fp_bands         (k bytea PRIMARY KEY, v bytea NOT NULL);  -- band key → JSON ids
CREATE TABLE fp_by_time       (k bytea PRIMARY KEY, v bytea NOT NULL);  -- time BE + id → title hash

-- Work shared between instances (not exported: it describes the running cluster).
CREATE TABLE leases (
    name     text PRIMARY KEY,
    owner    text,
    "until"  timestamptz,
    finished boolean NOT NULL DEFAULT false
);
CREATE TABLE claim_locks (subject text PRIMARY KEY);

-- Claim tree keys' sequence numbers, and next_id's numbers.
CREATE SEQUENCE claim_seq START 1;
CREATE SEQUENCE id_seq START 1;
