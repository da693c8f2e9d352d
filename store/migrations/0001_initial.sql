-- The coprocessor schema, written here from the table contract in
-- shared/reference/fhevm-coprocessor.md §3: the upstream table and column names, types, defaults,
-- keys, indexes and checks, so that upstream tooling reads this database and services can be
-- swapped one at a time. Our own comments say what each table is for.
--
-- Conventions: handles are 32-byte bytea; tenant_id columns are legacy (always 0) and kept only
-- because they are part of some upstream primary keys; chain ids are non-negative bigints.
--
-- Not here (they come with the feature that needs them, as later migrations): upgrade_state
-- (blue/green upgrades), the confidential-bridge tables, the legacy tenants/input_blobs tables and
-- the deprecated *_branch tables.

-- ===== Work queue (host-listener writes, tfhe-worker executes) =====

-- One row per FHE operation seen on the host chain. The output type is byte 30 of output_handle.
-- Rows that are not allowed (intermediates) are inserted already completed.
create table computations (
    tenant_id             integer   not null default 0,
    output_handle         bytea     not null,
    dependencies          bytea[]   not null,               -- input handles and scalar operands
    fhe_operation         smallint  not null,               -- operator number
    created_at            timestamp not null default now(),
    completed_at          timestamp,
    is_scalar             boolean   not null,
    is_completed          boolean   not null default false,
    is_error              boolean   not null default false,
    error_message         text,
    transaction_id        bytea     not null default '\x00', -- host transaction hash
    dependence_chain_id   bytea,
    is_allowed            boolean   not null default false,
    schedule_order        timestamp not null default now(), -- block time + depth in microseconds
    uncomputable_counter  smallint  not null default 1,     -- unused
    host_chain_id         bigint    not null default 0,
    block_number          bigint,
    primary key (output_handle, transaction_id)
);
create index idx_computations_dependence_chain on computations (dependence_chain_id)
    where is_completed = false and is_error = false;
create index idx_computations_schedule_order on computations (schedule_order)
    where is_completed = false;
create index idx_computations_is_allowed on computations (is_allowed) where not is_completed;
create index idx_computations_transaction_id on computations (transaction_id);
create index idx_computations_host_chain_block on computations (host_chain_id, block_number);
create index idx_computations_created_at_pending on computations (created_at)
    where not is_completed;
create index idx_computations_is_completed on computations (is_completed);
create index idx_computations_is_error on computations (is_error);

-- Independently schedulable units of work; a worker holds one at a time through the lock columns.
create table dependence_chain (
    dependence_chain_id  bytea       primary key,          -- a host transaction hash
    status               text        not null
        check (status in ('updated', 'processing', 'processed')),
    error_message        text,
    worker_id            uuid,
    lock_acquired_at     timestamptz,
    lock_expires_at      timestamptz,
    last_updated_at      timestamptz not null default now(),
    dependents           bytea[]     not null default '{}', -- chains waiting on this one
    dependency_count     integer     not null default 0,    -- unfinished chains this one waits on
    block_height         bigint,
    block_hash           bytea,
    block_timestamp      timestamptz,
    schedule_priority    smallint    not null default 0    -- 0 fast lane, 1 slow lane
);
create index idx_pending_dependence_chain
    on dependence_chain (schedule_priority, last_updated_at, dependence_chain_id)
    where status = 'updated' and worker_id is null and dependency_count = 0;
create index idx_dependence_chain_unlock on dependence_chain (last_updated_at, lock_expires_at)
    where dependency_count = 0;
create index idx_dependence_chain_processed_last_updated
    on dependence_chain (last_updated_at, dependence_chain_id) where status = 'processed';
create index idx_dependence_chain_worker_id on dependence_chain (worker_id);
create index idx_dependence_chain_worker_chain on dependence_chain (worker_id, dependence_chain_id);
create index idx_dependence_chain_processing on dependence_chain (worker_id)
    where status = 'processing';
create index idx_dependence_chain_updated_unowned on dependence_chain (last_updated_at)
    where status = 'updated' and worker_id is null;

-- ===== Ciphertext storage =====

-- 64-bit ciphertexts: results of allowed computations and verified inputs, each stored as a
-- one-element compressed list (safe-serialized).
create table ciphertexts (
    tenant_id           integer   not null default 0,
    handle              bytea     not null,
    ciphertext          bytea     not null,
    ciphertext_version  smallint  not null,              -- always 0
    ciphertext_type     smallint  not null,              -- FheType
    input_blob_hash     bytea,                           -- verified inputs: hash of the proof blob
    input_blob_index    integer   not null default 0,
    created_at          timestamp default now(),
    ciphertext128       bytea,                           -- legacy, unused (see ciphertexts128)
    is_input            boolean   not null default false,
    primary key (handle, ciphertext_version)
);
create index ciphertexts_handle_hash_idx on ciphertexts using hash (handle);

-- Noise-squashed 128-bit ciphertexts, kept only until uploaded and committed on the gateway.
create table ciphertexts128 (
    tenant_id   integer   not null default 0,
    handle      bytea     not null,
    ciphertext  bytea,
    created_at  timestamp not null default now(),
    primary key (tenant_id, handle)
);
create unique index idx_ciphertexts128_no_tenant on ciphertexts128 (handle);

-- Verified input handles with the gateway block that requested them (for state hashing).
create table input_handles (
    handle        bytea       primary key,
    block_number  bigint      not null,
    created_at    timestamptz not null default now()
);

-- ===== Switch-and-squash queue and digests =====

-- One row per allowed handle: the sns-worker squashes its ciphertext and uploads both forms.
create table pbs_computations (
    tenant_id       integer   not null default 0,
    handle          bytea     not null,
    created_at      timestamp not null default now(),
    completed_at    timestamp,
    is_completed    boolean   not null default false,
    transaction_id  bytea,
    host_chain_id   bigint    not null default 0,
    block_number    bigint,
    primary key (tenant_id, handle)
);
create unique index idx_pbs_computations_no_tenant on pbs_computations (handle);
create index idx_pbs_computations_pending_created_at on pbs_computations (created_at, handle)
    where is_completed = false;

-- Digests of the uploaded ciphertexts and the state of their addCiphertextMaterial transaction.
create table ciphertext_digest (
    tenant_id                    integer   not null default 0,
    handle                       bytea     primary key,
    ciphertext                   bytea,              -- keccak256 of the 64-bit form; NULL until uploaded
    ciphertext128                bytea,              -- keccak256 of the 128-bit form (32 zero bytes if none)
    txn_is_sent                  boolean   not null default false,
    txn_limited_retries_count    integer   not null default 0,
    txn_last_error               text,
    txn_last_error_at            timestamp,
    txn_unlimited_retries_count  integer   not null default 0,
    ciphertext128_format         smallint  not null default 10
        check (ciphertext128_format in (0, 10, 11, 20, 21)),
    txn_hash                     bytea,
    txn_block_number             bigint,
    transaction_id               bytea,
    created_at                   timestamp not null default now(),
    host_chain_id                bigint    not null default 0,
    key_id_gw                    bytea     not null default '\x', -- 32-byte big-endian key id
    s3_format_version            smallint,           -- NULL not uploaded, 0 legacy, 1 current
    s3_migration_failure_count   integer   not null default 0,
    s3_migration_last_error      text,
    s3_migration_last_error_at   timestamptz
);
create index idx_ciphertext_digest_unsent on ciphertext_digest (txn_is_sent, created_at);
create index idx_ciphertext_digest_ciphertext_null on ciphertext_digest (ciphertext)
    where ciphertext is null;
create index idx_ciphertext_digest_ciphertext128_null on ciphertext_digest (ciphertext128)
    where ciphertext128 is null;

-- ===== Replica of the host ACL =====

-- Persistent allows: event_type 0 = account allowed (account_address set), 1 = allowed for
-- decryption (account_address ''). The txn_* columns are legacy.
create table allowed_handles (
    tenant_id                    integer   not null default 0,
    handle                       bytea     not null,
    account_address              text      not null,
    event_type                   smallint  not null,
    txn_is_sent                  boolean   not null default false,
    txn_limited_retries_count    integer   not null default 0,
    txn_last_error               text,
    txn_last_error_at            timestamp,
    txn_unlimited_retries_count  integer   not null default 0,
    txn_hash                     bytea,
    txn_block_number             bigint,
    allowed_at                   timestamp not null default now(),
    transaction_id               bytea,
    host_chain_id                bigint,
    block_number                 bigint,
    primary key (tenant_id, handle, account_address)
);
create unique index idx_allowed_handles_no_tenant on allowed_handles (handle, account_address);

-- User-decryption delegations and their revocations (new_expiration_date 0), per observed block.
create table delegate_user_decrypt (
    key                  bigint  generated always as identity primary key,
    delegator            bytea   not null,
    delegate             bytea   not null,
    contract_address     bytea   not null,
    delegation_counter   bigint  not null,
    old_expiration_date  numeric not null,
    new_expiration_date  numeric not null,
    host_chain_id        bigint  not null,
    block_number         bigint  not null,
    block_hash           bytea   not null,
    transaction_id       bytea,
    on_gateway           boolean not null,
    reorg_out            boolean not null,
    gateway_nb_attempts  bigint  not null default 0,
    gateway_last_error   text,
    unique (delegator, delegate, contract_address, delegation_counter, old_expiration_date,
            new_expiration_date, block_number, block_hash, transaction_id)
);

-- ===== Input proofs (gateway requests) =====

create table verify_proofs (
    zk_proof_id       bigint      primary key check (zk_proof_id >= 0),
    chain_id          bigint      not null check (chain_id >= 0), -- host chain of the contract
    contract_address  text        not null,
    user_address      text        not null,
    input             bytea,                  -- the ciphertext list with its proof
    handles           bytea,                  -- concatenated 32-byte handles
    retry_count       integer     not null default 0,
    verified          boolean,                -- NULL pending, true accepted, false rejected
    last_error        text,
    verified_at       timestamptz,
    last_retry_at     timestamptz,
    created_at        timestamptz not null default now(),
    extra_data        bytea       not null default '\x',
    transaction_id    bytea,                  -- gateway transaction hash
    block_number      bigint                  -- gateway block
);
create index idx_verify_proofs_verified_retry on verify_proofs (verified, retry_count, zk_proof_id);

-- ===== Keys and chains =====

-- FHE key sets; the latest (highest sequence_number) is the one in use.
create table keys (
    sequence_number        bigint      generated always as identity primary key,
    key_id_gw              bytea       not null,  -- 32-byte big-endian KMS key id
    key_id                 bytea       not null,
    pks_key                bytea       not null,  -- compact public key
    sks_key                bytea       not null,  -- server key without noise-squashing material
    cks_key                bytea,                 -- client key, tests only
    sns_pk                 oid,                   -- legacy large object: full server key
    created_at             timestamptz not null default now(),
    chain_id               bigint,
    block_hash             bytea,
    compressed_xof_keyset  bytea                  -- preferred: the key set as the KMS publishes it
);
create unique index uniq_keys_chain_block_id_gw on keys (chain_id, block_hash, key_id_gw);

-- Common reference strings for input proofs; the latest is the one in use.
create table crs (
    sequence_number  bigint      generated always as identity primary key,
    crs_id           bytea       not null,
    crs              bytea       not null,
    created_at       timestamptz not null default now(),
    chain_id         bigint,
    block_hash       bytea
);

create table host_chains (
    chain_id              bigint      primary key check (chain_id >= 0),
    name                  text        not null,
    acl_contract_address  text        not null,
    created_at            timestamptz not null default now()
);

-- ===== Block tracking =====

-- Host blocks seen, with their finality; reorgs mark forks orphaned.
create table host_chain_blocks_valid (
    chain_id           bigint      not null check (chain_id >= 0),
    block_hash         bytea       not null,
    block_number       bigint      not null,
    block_status       text        not null default 'unknown'
        check (block_status in ('pending', 'unknown', 'finalized', 'orphaned')),
    created_at         timestamptz not null default now(),
    fhe_event_count    integer     not null default 0,
    allow_event_count  integer     not null default 0,
    parent_hash        bytea,
    primary key (chain_id, block_hash)
);
create index idx_host_chain_blocks_valid_block_number
    on host_chain_blocks_valid (chain_id, block_number);
create index idx_host_chain_blocks_valid_parent_hash
    on host_chain_blocks_valid (chain_id, parent_hash);

-- Progress of the polling host listener.
create table host_listener_poller_state (
    chain_id              bigint    primary key,
    last_caught_up_block  bigint    not null,
    updated_at            timestamp not null default now()
);

-- Blocks received by the broker-fed host listener.
create table host_chain_consumer_blocks (
    chain_id          bigint      not null,
    block_hash        bytea       not null,
    block_number      bigint      not null,
    created_at        timestamptz not null default now(),
    duplicate_count   bigint      not null default 0,
    stats_processed   boolean     not null default false,
    primary key (chain_id, block_hash)
);

-- Progress of the gateway listener: a single row (dummy_id = true).
create table gw_listener_last_block (
    dummy_id                        boolean primary key default true,
    last_block_num                  bigint check (last_block_num >= 0),
    earliest_open_ct_commits_block  bigint check (earliest_open_ct_commits_block >= 0)
);

-- ===== Metrics, consensus, operations =====

-- Host transactions, for latency metrics only.
create table transactions (
    id            bytea       primary key,
    chain_id      bigint      not null,
    created_at    timestamptz not null default now(),
    block_number  bigint      not null,
    completed_at  timestamptz
);

-- Per finalized block: hash of the ciphertexts it produced, compared across coprocessors.
create table state_hash (
    chain_id        bigint      not null,
    block_number    bigint      not null,
    state_hash      text        not null,
    created_at      timestamptz not null default now(),
    s3_uploaded_at  timestamptz,
    primary key (chain_id, block_number)
);

-- KMS key activations seen on the host chain, staged until their block is final.
create table kms_key_activation_events (
    chain_id                           bigint      not null check (chain_id >= 0),
    block_hash                         bytea       not null,
    block_number                       bigint      not null,
    transaction_hash                   bytea       not null,
    key_id                             bytea       not null,
    key_content_sns_pk                 oid,
    key_content_sks_key                bytea,
    key_content_public                 bytea,
    key_digest_server                  bytea,
    key_digest_public                  bytea,
    storage_urls                       text[]      not null,
    status                             text        not null default 'pending'
        check (status in ('pending', 'ready', 'activated', 'cancelled', 'error')),
    retry_count                        integer     not null default 0,
    last_error                         text,
    created_at                         timestamptz not null default now(),
    last_updated_at                    timestamptz,
    key_content_compressed_xof_keyset  bytea,
    unique (chain_id, block_hash, key_id)
);

-- CRS activations, staged the same way.
create table kms_crs_activation_events (
    chain_id          bigint      not null check (chain_id >= 0),
    block_hash        bytea       not null,
    block_number      bigint      not null,
    transaction_hash  bytea       not null,
    crs_id            bytea       not null,
    crs_content       bytea,
    crs_digest        bytea       not null,
    storage_urls      text[]      not null,
    status            text        not null default 'pending'
        check (status in ('pending', 'ready', 'activated', 'cancelled', 'error')),
    retry_count       integer     not null default 0,
    last_error        text,
    created_at        timestamptz not null default now(),
    last_updated_at   timestamptz,
    unique (chain_id, block_hash, crs_id)
);

-- Requests to revert local state after a digest disagreed with the gateway consensus.
create table drift_revert_signal (
    id                           bigserial   primary key,
    host_chain_id                bigint      not null,
    offending_host_block_number  bigint      not null,
    status                       text        not null,
    created_at                   timestamptz not null default now(),
    updated_at                   timestamptz not null default now()
);

-- The stack version that is live: a single row.
create table versioning (
    singleton      boolean     primary key default true check (singleton),
    stack_version  text        not null,
    updated_at     timestamptz not null default now()
);
