-- 数据铁笼 base: every act that matters, queued by its command's transaction, then sequenced into an
-- RFC 9162 Merkle log by one sequencer. docs/ledger.md describes the leaf bytes and checkpoints.

-- Entries waiting for the sequencer. Times keep milliseconds only: the leaf hash covers them as ISO 8601
-- with milliseconds, so the stored value must be exactly what was hashed.
CREATE TABLE ledger_queue (
  id           bigserial PRIMARY KEY,
  actor_kind   text NOT NULL,
  actor_id     text NOT NULL,
  action       text NOT NULL,
  object_type  text,
  object_id    text,
  purpose      text,
  payload_hash bytea NOT NULL,
  recorded_at  timestamptz(3) NOT NULL,
  CHECK ((object_type IS NULL) = (object_id IS NULL))
);

-- Sequenced entries; leaf_index is the position in the log, contiguous from 0.
CREATE TABLE ledger_entries (
  leaf_index   bigint PRIMARY KEY,
  actor_kind   text NOT NULL,
  actor_id     text NOT NULL,
  action       text NOT NULL,
  object_type  text,
  object_id    text,
  purpose      text,
  payload_hash bytea NOT NULL,
  recorded_at  timestamptz(3) NOT NULL,
  CHECK ((object_type IS NULL) = (object_id IS NULL))
);

-- Every perfect subtree hash of the tree, so proofs are read, never recomputed from leaves. Node (level, i)
-- covers leaves [i·2^level, (i+1)·2^level); level 0 holds the leaf hashes. Each row holds nodes
-- [chunk·256, chunk·256 + 256) of one level as concatenated 32-byte hashes; only the last chunk of a level
-- grows, and a full chunk never changes.
CREATE TABLE ledger_nodes (
  level  smallint NOT NULL,
  chunk  bigint NOT NULL,
  hashes bytea NOT NULL,
  PRIMARY KEY (level, chunk)
);
-- Hashes do not compress; skip the attempt.
ALTER TABLE ledger_nodes ALTER COLUMN hashes SET STORAGE EXTERNAL;

-- One signed checkpoint (C2SP tlog-checkpoint note) per integrated batch.
CREATE TABLE ledger_checkpoints (
  size      bigint PRIMARY KEY,
  root_hash bytea NOT NULL,
  note      text NOT NULL,
  signed_at timestamptz NOT NULL
);
