//! The PostgreSQL backend (`[store] url`): several newswatch instances share one database.
//!
//! Tables mirror sled's trees one for one (see `migrations/0001_trees.sql` and the tree list
//! in `store/sled/mod.rs`): each row is a sled record, `k` the same key bytes (bytea compares
//! bytewise, as sled orders keys) and `v` the same value bytes (serde JSON, or sled's binary
//! records). An export therefore reads the same from either backend, line for line. Shared
//! work adds `leases` (feeds, digest ticks, sends, the digest build) and `claim_locks`.
//!
//! The [`StoreBackend`] interface is synchronous; tokio-postgres is async. The store owns a
//! small tokio runtime (two worker threads) that drives its connections; each call runs its
//! future there and waits for the answer: from a thread outside any runtime (a command, a
//! `spawn_blocking` thread) with `Handle::block_on`, from a multi-thread runtime's worker
//! inside `block_in_place` (so the worker's other tasks move on), and from a current-thread
//! runtime on a scoped helper thread (blocking that runtime for the call, never panicking).
//! Connections come from a small pool (at most [`POOL_SIZE`]); statements are prepared once
//! per connection. `sslmode=require` in the URL connects over TLS (rustls with ring, the
//! platform's certificate roots, the server's name checked); `prefer` (the default) and
//! `disable` connect without TLS.

use std::collections::HashMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use tokio::runtime::{Handle, Runtime, RuntimeFlavor};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, NoTls, Row, Statement};

use crate::transforms::fingerprint::Fingerprint;

use super::sled::{
    as_raw_json, hkey, read_header, read_records, to_hex, ExportHeader, ExportLine, SledStore,
};
use super::types::*;
use super::{StoreBackend, SCHEMA_VERSION};

/// The schema migrations, in order: the database's version is how many have run.
const MIGRATIONS: &[(&str, &str)] = &[("0001_trees", include_str!("migrations/0001_trees.sql"))];

/// The schema version this newswatch writes (the number of migrations it knows).
pub const PG_SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Connections one process keeps open at most.
pub const POOL_SIZE: usize = 4;

/// The advisory lock key the migrations run under (any constant; "newswatch" in ASCII).
const MIGRATION_LOCK: i64 = 0x6e65_7773_7761_7463;

/// The tables that hold sled's trees, in name order (the export's order).
pub const TREES: &[&str] = &[
    "claims",
    "claims_by_entity",
    "digests",
    "feed_seen",
    "feeds",
    "fp_bands",
    "fp_by_time",
    "fp_sigs",
    "items",
    "meta",
    "pending",
    "queued",
    "seed_docs",
    "seen_sets",
    "story_index",
    "title_index",
];

/// Rows read per page when a whole table is walked (export, retention).
const PAGE: i64 = 1000;

/// SQLSTATEs after which a transaction is simply run again.
fn is_retryable(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<tokio_postgres::Error>()
            .and_then(|e| e.code())
            .is_some_and(|code| {
                *code == tokio_postgres::error::SqlState::T_R_DEADLOCK_DETECTED
                    || *code == tokio_postgres::error::SqlState::T_R_SERIALIZATION_FAILURE
            })
    })
}

/// One connection with its prepared statements.
struct Conn {
    client: Client,
    statements: HashMap<&'static str, Statement>,
}

impl Conn {
    async fn prep(&mut self, sql: &'static str) -> Result<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self
            .client
            .prepare(sql)
            .await
            .with_context(|| format!("preparing `{}`", short(sql)))?;
        self.statements.insert(sql, s.clone());
        Ok(s)
    }

    async fn query(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>> {
        let st = self.prep(sql).await?;
        self.client
            .query(&st, params)
            .await
            .with_context(|| format!("`{}`", short(sql)))
    }

    async fn execute(&mut self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> Result<u64> {
        let st = self.prep(sql).await?;
        self.client
            .execute(&st, params)
            .await
            .with_context(|| format!("`{}`", short(sql)))
    }

    async fn batch(&self, sql: &str) -> Result<()> {
        self.client
            .batch_execute(sql)
            .await
            .with_context(|| format!("`{}`", short(sql)))
    }
}

/// A statement's start, for error messages (names the table).
fn short(sql: &str) -> String {
    let one: String = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    match one.char_indices().nth(90) {
        Some((i, _)) => format!("{}…", &one[..i]),
        None => one,
    }
}

struct Pool {
    config: tokio_postgres::Config,
    /// TLS for `sslmode=require` (rustls with ring, the platform's roots); else none.
    tls: Option<tokio_postgres_rustls::MakeRustlsConnect>,
    idle: Mutex<Vec<Conn>>,
    permits: Arc<Semaphore>,
    handle: Handle,
    /// The URL with its password redacted, for messages.
    shown: String,
}

/// A connection taken from the pool; goes back when dropped unless it may be in the middle
/// of a transaction (`dirty`) or closed.
struct Pooled {
    conn: Option<Conn>,
    pool: Arc<Pool>,
    dirty: bool,
    _permit: OwnedSemaphorePermit,
}

impl Pooled {
    fn conn(&mut self) -> Result<&mut Conn> {
        self.conn
            .as_mut()
            .context("the connection was already given back")
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take() {
            if !self.dirty && !c.client.is_closed() {
                self.pool
                    .idle
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(c);
            }
        }
    }
}

impl Pool {
    /// A new connection, its driving task spawned on the store's runtime.
    async fn connect_with<T>(&self, tls: T) -> Result<Client, tokio_postgres::Error>
    where
        T: tokio_postgres::tls::MakeTlsConnect<tokio_postgres::Socket>,
        T::Stream: Send + 'static,
    {
        let (client, connection) = self.config.connect(tls).await?;
        let shown = self.shown.clone();
        self.handle.spawn(async move {
            if let Err(e) = connection.await {
                tracing::warn!(error = %e, db = %shown, "a PostgreSQL connection ended");
            }
        });
        Ok(client)
    }

    async fn get(self: &Arc<Self>) -> Result<Pooled> {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .context("the connection pool is closed")?;
        loop {
            let idle = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
            match idle {
                Some(c) if c.client.is_closed() => continue,
                Some(c) => {
                    return Ok(Pooled {
                        conn: Some(c),
                        pool: self.clone(),
                        dirty: false,
                        _permit: permit,
                    })
                }
                None => break,
            }
        }
        let client = match &self.tls {
            Some(tls) => self.connect_with(tls.clone()).await,
            None => self.connect_with(NoTls).await,
        }
        .with_context(|| format!("connecting to {}", self.shown))?;
        Ok(Pooled {
            conn: Some(Conn {
                client,
                statements: HashMap::new(),
            }),
            pool: self.clone(),
            dirty: false,
            _permit: permit,
        })
    }
}

/// The PostgreSQL store (see the module's documentation).
pub struct PgStore {
    runtime: Option<Runtime>,
    handle: Handle,
    pool: Arc<Pool>,
    state_dir: PathBuf,
    instance: String,
    schema_version: i64,
    /// What each story's lookup found under its title key (by story id): a title entry that
    /// is still that one at commit was seen and judged by the pipeline, not a lost race.
    looked_up_titles: Mutex<HashMap<String, Option<String>>>,
}

impl Drop for PgStore {
    fn drop(&mut self) {
        // Never blocks (dropping a runtime inside another one would panic).
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

/// `host[:port]/db` of a PostgreSQL config, for messages (never the password).
fn describe(config: &tokio_postgres::Config, url: &str) -> String {
    let redacted = crate::config::redact_url_password(url);
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|h| match h {
            tokio_postgres::config::Host::Tcp(s) => s.clone(),
            tokio_postgres::config::Host::Unix(p) => p.display().to_string(),
        })
        .collect();
    if hosts.is_empty() || redacted.contains(&hosts[0]) {
        redacted
    } else {
        format!("{redacted} (host {})", hosts.join(","))
    }
}

/// rustls with ring (never the process default, which may not be installed) and the
/// platform's certificate roots: what `sslmode=require` connects with.
fn tls_connector() -> Result<tokio_postgres_rustls::MakeRustlsConnect> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
        .context("loading the platform's certificate roots")?;
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS versions")?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

fn instance_name() -> String {
    use std::hash::{BuildHasher, Hasher};
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "host".into());
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    format!("{host}-{}-{:08x}", std::process::id(), h.finish() as u32)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn dec<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    serde_json::from_slice(bytes).with_context(|| format!("{what}: a stored value does not decode"))
}

fn enc<T: serde::Serialize>(v: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(v).context("encoding a stored value")
}

/// The smallest key above every key starting with `prefix` (None: no bound).
fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

/// `key >= $start AND key < $end` for a prefix, `$end` made unbounded when there is none.
fn prefix_range(prefix: &[u8]) -> (Vec<u8>, Vec<u8>, bool) {
    match prefix_end(prefix) {
        Some(end) => (prefix.to_vec(), end, true),
        None => (prefix.to_vec(), Vec::new(), false),
    }
}

fn claim_prefix(key: &str) -> Vec<u8> {
    let mut p = key.as_bytes().to_vec();
    p.push(0);
    p
}

fn claim_rows(rows: Vec<Row>) -> Result<Vec<(Vec<u8>, ClaimRecord)>> {
    rows.into_iter()
        .map(|r| {
            let k: Vec<u8> = r.try_get(0)?;
            let v: Vec<u8> = r.try_get(1)?;
            Ok((k, dec(&v, "claims")?))
        })
        .collect()
}

impl PgStore {
    /// Connect to the database at `url` (`password`, when given, replaces the URL's), run
    /// the migrations this binary knows under an advisory lock (several instances starting
    /// at once migrate once) and refuse a database at a newer schema. `state_dir` holds the
    /// instance's own files (its lock, control socket, outbox): [`StoreBackend::path`].
    pub fn open(url: &str, password: Option<&str>, state_dir: &Path) -> Result<PgStore, OpenError> {
        let redacted = crate::config::redact_url_password(url);
        let other = |message: String| OpenError::Other {
            path: PathBuf::from(&redacted),
            message,
        };
        let mut config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| other(format!("not a PostgreSQL URL: {e}")))?;
        if let Some(p) = password {
            config.password(p);
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        config.application_name("newswatch");
        // A database host that vanished is noticed within about a minute, not two hours.
        if !url.contains("keepalives_idle") {
            config.keepalives_idle(Duration::from_secs(30));
        }
        let shown = describe(&config, url);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .max_blocking_threads(2)
            .thread_name("newswatch-pg")
            .enable_all()
            .build()
            .map_err(|e| other(format!("starting the store's runtime: {e}")))?;
        let handle = runtime.handle().clone();
        let tls = match config.get_ssl_mode() {
            tokio_postgres::config::SslMode::Require => {
                Some(tls_connector().map_err(|e| other(format!("setting up TLS: {e:#}")))?)
            }
            // `prefer` (the default) and `disable`: without TLS.
            _ => None,
        };
        let pool = Arc::new(Pool {
            tls,
            config,
            idle: Mutex::new(Vec::new()),
            permits: Arc::new(Semaphore::new(POOL_SIZE)),
            handle: handle.clone(),
            shown: shown.clone(),
        });
        let mut store = PgStore {
            runtime: Some(runtime),
            handle,
            pool,
            state_dir: state_dir.to_path_buf(),
            instance: instance_name(),
            schema_version: 0,
            looked_up_titles: Mutex::new(HashMap::new()),
        };
        std::fs::create_dir_all(state_dir)
            .map_err(|e| other(format!("creating {}: {e}", state_dir.display())))?;
        let version = store.migrate().map_err(|e| other(format!("{e:#}")))?;
        store.schema_version = version;
        Ok(store)
    }

    /// The database's schema version (the migrations run).
    pub fn schema_version(&self) -> i64 {
        self.schema_version
    }

    /// Where the database is, password redacted.
    pub fn describe(&self) -> &str {
        &self.pool.shown
    }

    /// Run `f` on the store's runtime and wait for it (see the module's documentation).
    fn run<T: Send>(&self, f: impl Future<Output = Result<T>> + Send) -> Result<T> {
        match Handle::try_current().map(|h| h.runtime_flavor()) {
            Ok(RuntimeFlavor::MultiThread) => {
                tokio::task::block_in_place(|| self.handle.block_on(f))
            }
            // A current-thread runtime cannot leave its thread: wait on a helper thread.
            Ok(_) => std::thread::scope(|s| {
                s.spawn(|| self.handle.block_on(f))
                    .join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("the store's call panicked")))
            }),
            Err(_) => self.handle.block_on(f),
        }
    }

    fn migrate(&self) -> Result<i64> {
        let pool = self.pool.clone();
        self.run(async move {
            let mut p = pool.get().await?;
            p.dirty = true;
            let c = p.conn()?;
            c.batch("BEGIN").await?;
            let result = async {
                c.client
                    .execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
                    .await
                    .context("taking the migration lock")?;
                c.batch(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version bigint PRIMARY KEY, \
                     name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
                )
                .await?;
                let row = c
                    .client
                    .query_one(
                        "SELECT coalesce(max(version), 0) FROM schema_migrations",
                        &[],
                    )
                    .await
                    .context("reading schema_migrations")?;
                let at: i64 = row.try_get(0)?;
                anyhow::ensure!(
                    at <= PG_SCHEMA_VERSION,
                    "the database is at schema version {at}, newer than this newswatch knows \
                     ({PG_SCHEMA_VERSION}): run the newer newswatch that migrated it"
                );
                for (i, (name, sql)) in MIGRATIONS.iter().enumerate() {
                    let version = i as i64 + 1;
                    if version <= at {
                        continue;
                    }
                    c.client
                        .batch_execute(sql)
                        .await
                        .with_context(|| format!("migration {name}"))?;
                    c.client
                        .execute(
                            "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                            &[&version, name],
                        )
                        .await
                        .with_context(|| format!("recording migration {name}"))?;
                    tracing::info!(migration = name, "PostgreSQL store migrated");
                }
                Ok(PG_SCHEMA_VERSION)
            }
            .await;
            match result {
                Ok(v) => {
                    c.batch("COMMIT").await?;
                    p.dirty = false;
                    Ok(v)
                }
                Err(e) => {
                    if c.batch("ROLLBACK").await.is_ok() {
                        p.dirty = false;
                    }
                    Err(e)
                }
            }
        })
    }

    /// Run `body` in one transaction on one connection: committed when it returns Ok(Some),
    /// rolled back on Ok(None) or an error. Deadlocks and serialisation failures run it
    /// again (a few times).
    fn transaction<T, F>(&self, what: &str, body: F) -> Result<Option<T>>
    where
        T: Send,
        F: for<'c> Fn(
                &'c mut Conn,
            )
                -> std::pin::Pin<Box<dyn Future<Output = Result<Option<T>>> + Send + 'c>>
            + Send
            + Sync,
    {
        let pool = self.pool.clone();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let r = self.run(async {
                let mut p = pool.get().await?;
                p.dirty = true;
                let c = p.conn()?;
                c.batch("BEGIN").await?;
                let out = body(c).await;
                let end = match &out {
                    Ok(Some(_)) => "COMMIT",
                    _ => "ROLLBACK",
                };
                match c.batch(end).await {
                    Ok(()) => p.dirty = false,
                    Err(e) if out.is_ok() => return Err(e),
                    Err(_) => {}
                }
                out
            });
            match r {
                Err(e) if attempt < 4 && is_retryable(&e) => continue,
                r => return r.with_context(|| what.to_string()),
            }
        }
    }

    /// One statement on a pooled connection.
    fn query(&self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>> {
        let pool = self.pool.clone();
        self.run(async move {
            let mut p = pool.get().await?;
            p.conn()?.query(sql, params).await
        })
    }

    fn execute(&self, sql: &'static str, params: &[&(dyn ToSql + Sync)]) -> Result<u64> {
        let pool = self.pool.clone();
        self.run(async move {
            let mut p = pool.get().await?;
            p.conn()?.execute(sql, params).await
        })
    }

    fn bytes_opt(
        &self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Vec<u8>>> {
        match self.query(sql, params)?.first() {
            Some(r) => Ok(Some(r.try_get(0)?)),
            None => Ok(None),
        }
    }

    fn count(&self, sql: &'static str) -> usize {
        match self.query(sql, &[]) {
            Ok(rows) => rows
                .first()
                .and_then(|r| r.try_get::<_, i64>(0).ok())
                .unwrap_or(0)
                .max(0) as usize,
            Err(e) => {
                tracing::warn!(error = %format!("{e:#}"), "counting in the PostgreSQL store");
                0
            }
        }
    }

    /// A connection held across several calls (a snapshot, a long import).
    fn hold(&self) -> Result<Pooled> {
        let pool = self.pool.clone();
        self.run(async move { pool.get().await })
    }

    /// SQL on a held connection (`BEGIN …`, `COMMIT`, `ROLLBACK`).
    fn batch_on(&self, p: &mut Pooled, sql: &str) -> Result<()> {
        self.run(async {
            let c = p.conn()?;
            c.batch(sql).await
        })
    }

    /// Every row of a table, in key order, page by page, on a held connection.
    fn walk(
        &self,
        p: &mut Pooled,
        table: &str,
        mut f: impl FnMut(&[u8], &[u8]) -> Result<()>,
    ) -> Result<u64> {
        let sql_first = format!("SELECT k, v FROM {table} ORDER BY k LIMIT $1");
        let sql_next = format!("SELECT k, v FROM {table} WHERE k > $1 ORDER BY k LIMIT $2");
        let mut last: Option<Vec<u8>> = None;
        let mut n = 0u64;
        loop {
            let (first, next, from) = (&sql_first, &sql_next, last.clone());
            let rows = self.run(async {
                let c = p.conn()?;
                let rows = match &from {
                    None => c.client.query(first.as_str(), &[&PAGE]).await,
                    Some(k) => c.client.query(next.as_str(), &[k, &PAGE]).await,
                };
                rows.with_context(|| format!("reading {table}"))
            })?;
            let got = rows.len() as i64;
            for r in rows {
                let k: Vec<u8> = r.try_get(0)?;
                let v: Vec<u8> = r.try_get(1)?;
                f(&k, &v)?;
                n += 1;
                last = Some(k);
            }
            if got < PAGE {
                return Ok(n);
            }
        }
    }

    /// The record lines of an import, written on `p` inside its transaction.
    fn load_lines(
        &self,
        p: &mut Pooled,
        input: &mut dyn std::io::BufRead,
        stats: &mut ImportStats,
    ) -> Result<()> {
        let mut buffers: HashMap<String, (Keys, Keys)> = HashMap::new();
        let max_seq = read_records(input, stats, |number, tree, key, value| {
            anyhow::ensure!(
                TREES.contains(&tree.as_str()),
                "line {number}: tree {tree:?} is not one this newswatch knows"
            );
            let buffer = buffers.entry(tree.clone()).or_default();
            buffer.0.push(key);
            buffer.1.push(value);
            if buffer.0.len() >= 500 {
                let (keys, values) = std::mem::take(buffer);
                self.insert_rows(p, &tree, &keys, &values)
                    .with_context(|| format!("line {number}"))?;
            }
            Ok(())
        })?;
        for (tree, (keys, values)) in &buffers {
            if !keys.is_empty() {
                self.insert_rows(p, tree, keys, values)?;
            }
        }
        let floor = i64::try_from(max_seq.saturating_add(1)).unwrap_or(i64::MAX);
        self.run(async {
            let c = p.conn()?;
            c.client
                .execute(
                    "SELECT setval('claim_seq', greatest($1, (SELECT last_value FROM claim_seq)))",
                    &[&floor],
                )
                .await
                .context("moving claim_seq past the imported claims")
        })?;
        Ok(())
    }

    fn insert_rows(&self, p: &mut Pooled, tree: &str, keys: &Keys, values: &Keys) -> Result<()> {
        let sql =
            format!("INSERT INTO {tree} (k, v) SELECT * FROM unnest($1::bytea[], $2::bytea[])");
        self.run(async {
            let c = p.conn()?;
            c.client
                .execute(sql.as_str(), &[keys, values])
                .await
                .with_context(|| format!("writing tree {tree}"))
        })?;
        Ok(())
    }

    fn put(&self, sql: &'static str, k: &[u8], v: &[u8]) -> Result<()> {
        self.execute(sql, &[&k, &v])?;
        Ok(())
    }
}

// ---- statements ----

const GET_FEED: &str = "SELECT v FROM feeds WHERE k = $1";
const PUT_FEED: &str =
    "INSERT INTO feeds (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v";
const ALL_FEEDS: &str = "SELECT v FROM feeds ORDER BY k";
const GET_SEEN: &str = "SELECT v FROM seen_sets WHERE k = $1";
const PUT_SEEN: &str =
    "INSERT INTO seen_sets (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v";
const INDEX_KEYS: &str = "INSERT INTO story_index (k, v) SELECT unnest($1::bytea[]), $2::bytea \
     ON CONFLICT (k) DO NOTHING";
const OWNERS: &str = "SELECT k, v FROM story_index WHERE k = ANY($1::bytea[])";
const GET_ITEM: &str = "SELECT v FROM items WHERE k = $1";
/// A new story's item taken first: an insert that finds the row (or waits for the
/// transaction writing it) means another instance stored this very story since its lookup.
const CLAIM_ITEM: &str =
    "INSERT INTO items (k, v) VALUES ($1, $2) ON CONFLICT (k) DO NOTHING RETURNING k";
const PUT_ITEM: &str =
    "INSERT INTO items (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v";
const ADD_PENDING: &str =
    "INSERT INTO pending (k, v) VALUES ($1, ''::bytea) ON CONFLICT (k) DO NOTHING";
const PENDING: &str = "SELECT k FROM pending ORDER BY k";
const PUT_DIGEST: &str =
    "INSERT INTO digests (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v";
const QUEUE: &str = "INSERT INTO queued (k, v) VALUES ($1, ''::bytea) ON CONFLICT (k) DO NOTHING";
const UNQUEUE: &str = "DELETE FROM queued WHERE k = $1";
const GET_DIGEST: &str = "SELECT v FROM digests WHERE k = $1";
const UNSENT: &str = "SELECT q.k, d.v FROM queued q LEFT JOIN digests d ON d.k = q.k ORDER BY q.k";
const DIGESTS_BEFORE: &str = "SELECT k, v FROM digests WHERE k < $1 ORDER BY k DESC LIMIT $2";
const DIGESTS_LAST: &str = "SELECT k, v FROM digests ORDER BY k DESC LIMIT $1";
const GET_CLAIM: &str = "SELECT v FROM claims WHERE k = $1";
const PUT_CLAIM: &str =
    "INSERT INTO claims (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v";
const PUT_CLAIMS: &str =
    "INSERT INTO claims (k, v) SELECT * FROM unnest($1::bytea[], $2::bytea[]) \
     ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v";
const INDEX_ENTITIES: &str = "INSERT INTO claims_by_entity (k, v) \
     SELECT unnest($1::bytea[]), ''::bytea ON CONFLICT (k) DO NOTHING";
const CLAIM_KEYS_BOUNDED: &str = "SELECT DISTINCT ckey FROM claims WHERE ckey >= $1 AND ckey < $2 \
     ORDER BY ckey LIMIT $3";
const CLAIM_KEYS_OPEN: &str =
    "SELECT DISTINCT ckey FROM claims WHERE ckey >= $1 ORDER BY ckey LIMIT $2";
const RECENT_CLAIMS: &str = "SELECT k, v FROM claims WHERE ckey = $1 ORDER BY k DESC LIMIT $2";
const ALL_CLAIMS: &str = "SELECT k, v FROM claims ORDER BY k";
const CLAIMS_OF_ENTITY: &str = "SELECT c.k, c.v FROM claims_by_entity e \
     JOIN claims c ON c.k = substring(e.k FROM $3::int) \
     WHERE e.k >= $1 AND e.k < $2 ORDER BY e.k";
const SEED_DOC: &str = "SELECT 1 FROM seed_docs WHERE k = $1";
const MARK_SEED_DOC: &str =
    "INSERT INTO seed_docs (k, v) VALUES ($1, ''::bytea) ON CONFLICT (k) DO NOTHING";
const NEXT_CLAIM: &str = "SELECT nextval('claim_seq')";
const NEXT_ID: &str = "SELECT nextval('id_seq')";

// story_lookup: four reads pipelined on one connection (one round trip).
const LOOKUP_KEY: &str = "SELECT s.v FROM unnest($1::bytea[]) WITH ORDINALITY AS q(k, ord) \
     JOIN story_index s ON s.k = q.k ORDER BY q.ord LIMIT 1";
const LOOKUP_TITLE: &str = "SELECT t.v, f.v FROM title_index t LEFT JOIN fp_sigs f \
     ON $2 AND f.k = convert_to(convert_from(t.v, 'UTF8')::jsonb ->> 'id', 'UTF8') \
     WHERE t.k = $1";
const LOOKUP_BANDS: &str = "SELECT s.k, s.v FROM ( \
       SELECT e.id, min(b.ord * 100000 + e.ord) AS o \
       FROM unnest($1::bytea[]) WITH ORDINALITY AS b(k, ord) \
       JOIN fp_bands fb ON fb.k = b.k \
       CROSS JOIN LATERAL jsonb_array_elements_text(convert_from(fb.v, 'UTF8')::jsonb) \
         WITH ORDINALITY AS e(id, ord) \
       GROUP BY e.id) c \
     JOIN fp_sigs s ON s.k = convert_to(c.id, 'UTF8') ORDER BY c.o";

// commit_story's title and fingerprint writes.
const TITLE_INSERT: &str = "INSERT INTO title_index (k, v) VALUES ($1, $2) \
     ON CONFLICT (k) DO NOTHING RETURNING k";
const TITLE_LOCK: &str = "SELECT v FROM title_index WHERE k = $1 FOR UPDATE";
const TITLE_SET: &str = "UPDATE title_index SET v = $2 WHERE k = $1";
const FP_SIG: &str =
    "INSERT INTO fp_sigs (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v";
const BANDS_CREATE: &str = "INSERT INTO fp_bands (k, v) SELECT unnest($1::bytea[]), '[]'::bytea \
     ON CONFLICT (k) DO NOTHING";
const BANDS_LOCK: &str =
    "SELECT k, v FROM fp_bands WHERE k = ANY($1::bytea[]) ORDER BY k FOR UPDATE";
const BANDS_SET: &str = "UPDATE fp_bands b SET v = n.v \
     FROM unnest($1::bytea[], $2::bytea[]) AS n(k, v) WHERE b.k = n.k";
const DEDUP_TIME_SET: &str = "INSERT INTO fp_by_time (k, v) VALUES ($1, $2) \
     ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v";
const DEDUP_TIME_KEEP: &str = "INSERT INTO fp_by_time (k, v) VALUES ($1, ''::bytea) \
     ON CONFLICT (k) DO NOTHING";

// Leases.
const LEASES_CREATE: &str =
    "INSERT INTO leases (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING";
const LEASES_TAKE: &str =
    "UPDATE leases SET owner = $2, \"until\" = now() + $3 * interval '1 second' \
     WHERE name IN (SELECT name FROM leases WHERE name = ANY($1::text[]) AND NOT finished \
       AND (\"until\" IS NULL OR \"until\" < now() OR owner = $2) \
       FOR UPDATE SKIP LOCKED) \
     RETURNING name";
const LEASES_RELEASE: &str = "UPDATE leases SET owner = NULL, \"until\" = now() \
     WHERE name = ANY($1::text[]) AND owner = $2 AND NOT finished";
const LEASE_FINISH: &str = "INSERT INTO leases (name, finished) VALUES ($1, true) \
     ON CONFLICT (name) DO UPDATE SET finished = true";
const LEASE_STATE: &str = "SELECT owner, \"until\", finished, \
     (\"until\" IS NOT NULL AND \"until\" >= now()) FROM leases WHERE name = $1";
const LEASES_PRUNE: &str = "DELETE FROM leases WHERE NOT finished \
     AND (name LIKE 'send:%' OR name LIKE 'digest-tick:%') \
     AND (\"until\" IS NULL OR \"until\" < now() - interval '1 day')";

// Claim locks.
const CLAIM_LOCKS_CREATE: &str =
    "INSERT INTO claim_locks (subject) SELECT unnest($1::text[]) ON CONFLICT (subject) DO NOTHING";
const CLAIM_LOCKS_TAKE: &str =
    "SELECT subject FROM claim_locks WHERE subject = ANY($1::text[]) ORDER BY subject FOR UPDATE";

/// A list of keys (or values) as bytea[].
type Keys = Vec<Vec<u8>>;

/// The rows for a story's fingerprint bands after adding `id` (newest last, at most
/// [`MAX_BAND_IDS`]), as sled's `index_fingerprint` keeps them.
fn add_to_bands(rows: &[Row], id: &str) -> Result<(Keys, Keys)> {
    let mut keys = Vec::new();
    let mut values = Vec::new();
    for r in rows {
        let k: Vec<u8> = r.try_get(0)?;
        let v: Vec<u8> = r.try_get(1)?;
        let mut ids: Vec<String> = dec(&v, "fp_bands")?;
        if ids.iter().any(|x| x == id) {
            continue;
        }
        ids.push(id.to_string());
        if ids.len() > MAX_BAND_IDS {
            let extra = ids.len() - MAX_BAND_IDS;
            ids.drain(..extra);
        }
        keys.push(k);
        values.push(enc(&ids)?);
    }
    Ok((keys, values))
}

/// What one commit writes, owned (the transaction may run more than once).
struct CommitPlan {
    new_story: bool,
    index: Option<(Vec<Vec<u8>>, Vec<u8>)>,
    title: Option<(Vec<u8>, Vec<u8>, TitleRecord)>,
    /// The title entry's story as the lookup found it (for a new story's title).
    title_seen: Option<Option<String>>,
    fp: Option<(Vec<u8>, Vec<u8>, Keys)>,
    /// The fingerprint's dedup time (sled's `index_fingerprint`), then the plain one.
    dedup_times: Vec<(Vec<u8>, Option<Vec<u8>>)>,
    claims: Vec<(Vec<u8>, Vec<u8>, Keys)>,
    pending: Option<Vec<u8>>,
    item: Option<(Vec<u8>, Vec<u8>)>,
}

fn dedup_time_key(id: &str, at: DateTime<Utc>) -> Vec<u8> {
    let mut k = at.timestamp().to_be_bytes().to_vec();
    k.extend_from_slice(id.as_bytes());
    k
}

fn entity_keys(tree_key: &[u8], record: &ClaimRecord) -> Vec<Vec<u8>> {
    let mut entities = record.entities.clone();
    entities.push(record.stored.claim.subject.clone());
    entities.sort();
    entities.dedup();
    entities
        .into_iter()
        .map(|e| {
            let mut ek = e.into_bytes();
            ek.push(0);
            ek.extend_from_slice(tree_key);
            ek
        })
        .collect()
}

/// Returns false when the story lost a race (the transaction is then rolled back).
async fn commit_plan(c: &mut Conn, plan: &CommitPlan) -> Result<bool> {
    // Two feeds carrying one story (same URL or guid, hence the same id) read by two
    // instances at once: both lookups found nothing and both keys' owner is the same id, so
    // only the item tells them apart. A story with no URL or guid has an id of its own
    // feed's, which one instance polls at a time: it cannot race.
    let keyed = plan
        .index
        .as_ref()
        .is_some_and(|(keys, _)| !keys.is_empty());
    if let (true, true, Some((k, v))) = (plan.new_story, keyed, &plan.item) {
        if c.query(CLAIM_ITEM, &[k, v]).await?.is_empty() {
            return Ok(false);
        }
    }
    if let Some((keys, id)) = &plan.index {
        let mut keys = keys.clone();
        keys.sort();
        c.execute(INDEX_KEYS, &[&keys, id]).await?;
        if plan.new_story {
            let owners = c.query(OWNERS, &[&keys]).await?;
            for r in owners {
                let owner: Vec<u8> = r.try_get(1)?;
                if &owner != id {
                    return Ok(false);
                }
            }
        }
    }
    if let Some((k, v, rec)) = &plan.title {
        let inserted = !c.query(TITLE_INSERT, &[k, v]).await?.is_empty();
        if !inserted {
            let existing = c.query(TITLE_LOCK, &[k]).await?;
            let old: Option<TitleRecord> = match existing.first() {
                Some(r) => serde_json::from_slice(&r.try_get::<_, Vec<u8>>(0)?).ok(),
                None => None,
            };
            let write = match &old {
                None => true,
                Some(o) if o.id == rec.id => true,
                Some(o) if !crate::transforms::dedup::within_title_window(o.at, rec.at) => true,
                // Within the window under another story: taken since the lookup (a lost
                // race), or seen by it and judged a different story (sled's overwrite).
                Some(o) if plan.new_story => {
                    let seen = plan.title_seen.as_ref().and_then(|s| s.as_deref());
                    if seen != Some(o.id.as_str()) {
                        return Ok(false);
                    }
                    true
                }
                // A copy's headline: the first owner keeps it.
                Some(_) => false,
            };
            if write {
                c.execute(TITLE_SET, &[k, v]).await?;
            }
        }
    }
    if let Some((id, sig, bands)) = &plan.fp {
        c.execute(FP_SIG, &[id, sig]).await?;
        let mut bands = bands.clone();
        bands.sort();
        bands.dedup();
        c.execute(BANDS_CREATE, &[&bands]).await?;
        let rows = c.query(BANDS_LOCK, &[&bands]).await?;
        let (keys, values) = add_to_bands(&rows, &text(id))?;
        if !keys.is_empty() {
            c.execute(BANDS_SET, &[&keys, &values]).await?;
        }
    }
    for (k, title_hash) in &plan.dedup_times {
        match title_hash {
            Some(t) => c.execute(DEDUP_TIME_SET, &[k, t]).await?,
            None => c.execute(DEDUP_TIME_KEEP, &[k]).await?,
        };
    }
    // The rest depends on nothing read: the claims (one statement for all, one for their
    // entity index), pending and the item are sent together, one round trip.
    let claim_keys: Keys = plan.claims.iter().map(|(k, _, _)| k.clone()).collect();
    let claim_values: Keys = plan.claims.iter().map(|(_, v, _)| v.clone()).collect();
    let entity_keys: Keys = plan
        .claims
        .iter()
        .flat_map(|(_, _, e)| e.iter().cloned())
        .collect();
    let (s_claims, s_entities, s_pending, s_item) = (
        c.prep(PUT_CLAIMS).await?,
        c.prep(INDEX_ENTITIES).await?,
        c.prep(ADD_PENDING).await?,
        c.prep(PUT_ITEM).await?,
    );
    let client = &c.client;
    let (a, b, p, i) = tokio::join!(
        async {
            match claim_keys.is_empty() {
                true => Ok(0),
                false => {
                    client
                        .execute(&s_claims, &[&claim_keys, &claim_values])
                        .await
                }
            }
        },
        async {
            match entity_keys.is_empty() {
                true => Ok(0),
                false => client.execute(&s_entities, &[&entity_keys]).await,
            }
        },
        async {
            match &plan.pending {
                Some(id) => client.execute(&s_pending, &[id]).await,
                None => Ok(0),
            }
        },
        async {
            match &plan.item {
                Some((k, v)) => client.execute(&s_item, &[k, v]).await,
                None => Ok(0),
            }
        },
    );
    a.context("storing a story: claims")?;
    b.context("storing a story: claims_by_entity")?;
    p.context("storing a story: pending")?;
    i.context("storing a story: items")?;
    Ok(true)
}

/// The claim lock's guard: a transaction holding `claim_locks` rows, rolled back (on the
/// store's runtime, never blocking the dropping thread) when dropped.
struct ClaimGuard {
    conn: Option<Pooled>,
    handle: Handle,
}

impl Drop for ClaimGuard {
    fn drop(&mut self) {
        if let Some(mut p) = self.conn.take() {
            self.handle.spawn(async move {
                if let Some(c) = p.conn.as_ref() {
                    if c.client.batch_execute("ROLLBACK").await.is_ok() {
                        p.dirty = false;
                    }
                }
                drop(p);
            });
        }
    }
}

impl StoreBackend for PgStore {
    fn mark_failed(&self) {}

    fn path(&self) -> &Path {
        &self.state_dir
    }

    fn flush(&self) -> Result<()> {
        // Every write is committed when its call returns.
        Ok(())
    }

    fn export(&self, out: &mut dyn std::io::Write) -> Result<ExportStats> {
        let header = ExportHeader {
            newswatch_export: EXPORT_FORMAT,
            schema_version: SCHEMA_VERSION,
            created_at: Utc::now(),
        };
        let mut stats = ExportStats {
            schema_version: SCHEMA_VERSION,
            ..Default::default()
        };
        let mut line = serde_json::to_vec(&header)?;
        line.push(b'\n');
        out.write_all(&line).context("writing the export")?;
        // One snapshot for every table: an export taken while instances run is consistent.
        let mut p = self.hold()?;
        p.dirty = true;
        self.batch_on(&mut p, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
        for &tree in TREES {
            let n = self.walk(&mut p, tree, |k, v| {
                let key = std::str::from_utf8(k).ok();
                let value = as_raw_json(v);
                let record = ExportLine {
                    tree,
                    key,
                    key_hex: key.is_none().then(|| to_hex(k)),
                    value,
                    value_hex: value.is_none().then(|| to_hex(v)),
                };
                line.clear();
                serde_json::to_writer(&mut line, &record)?;
                line.push(b'\n');
                out.write_all(&line).context("writing the export")
            })?;
            stats.records += n;
            stats.trees.insert(tree.to_string(), n);
        }
        self.batch_on(&mut p, "COMMIT")?;
        p.dirty = false;
        out.flush().context("writing the export")?;
        Ok(stats)
    }

    fn is_empty(&self) -> Result<bool> {
        let sql = TREES
            .iter()
            .map(|t| format!("SELECT 1 FROM {t}"))
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let sql = format!("SELECT EXISTS ({sql})");
        let pool = self.pool.clone();
        self.run(async move {
            let p = pool.get().await?;
            let c = p.conn.as_ref().context("no connection")?;
            let row = c
                .client
                .query_one(sql.as_str(), &[])
                .await
                .context("checking whether the store is empty")?;
            Ok(!row.try_get::<_, bool>(0)?)
        })
    }

    fn import(&self, input: &mut dyn std::io::BufRead) -> Result<ImportStats> {
        anyhow::ensure!(
            self.is_empty()?,
            "the PostgreSQL store at {} already holds records; import only into an empty \
             database",
            self.pool.shown
        );
        let header = read_header(input)?;
        anyhow::ensure!(
            header.schema_version == SCHEMA_VERSION,
            "line 1: the export was written at schema {} (this newswatch writes {SCHEMA_VERSION}); \
             import it into a sled state_dir first (which migrates it), export that, and \
             import the new export here",
            header.schema_version
        );
        // One transaction on one connection, streamed 500 rows per statement: a bad line
        // (named by its number) rolls everything back and leaves the database empty.
        let mut stats = ImportStats {
            from_schema_version: header.schema_version,
            ..Default::default()
        };
        let mut p = self.hold()?;
        p.dirty = true;
        self.batch_on(&mut p, "BEGIN")?;
        match self.load_lines(&mut p, input, &mut stats) {
            Ok(()) => {
                self.batch_on(&mut p, "COMMIT")?;
                p.dirty = false;
            }
            Err(e) => {
                if self.batch_on(&mut p, "ROLLBACK").is_ok() {
                    p.dirty = false;
                }
                return Err(e.context("nothing was imported"));
            }
        }
        Ok(stats)
    }

    fn feed_state(&self, url: &str) -> Result<Option<FeedState>> {
        self.bytes_opt(GET_FEED, &[&url.as_bytes()])?
            .map(|v| dec(&v, "feeds"))
            .transpose()
    }

    fn put_feed_state(&self, state: &FeedState) -> Result<()> {
        self.put(PUT_FEED, state.url.as_bytes(), &enc(state)?)
    }

    fn all_feed_states(&self) -> Result<Vec<FeedState>> {
        self.query(ALL_FEEDS, &[])?
            .iter()
            .map(|r| dec(&r.try_get::<_, Vec<u8>>(0)?, "feeds"))
            .collect()
    }

    fn seen_set(&self, feed_url: &str) -> Result<SeenSet> {
        Ok(self
            .bytes_opt(GET_SEEN, &[&hkey(feed_url).as_bytes()])?
            .map(|v| SeenSet::from_bytes(&v))
            .unwrap_or_default())
    }

    fn put_seen_set(&self, feed_url: &str, set: &mut SeenSet, feed_len: usize) -> Result<()> {
        set.cap(SEEN_PER_FEED_MIN.max(feed_len.saturating_mul(10)));
        self.put(PUT_SEEN, hkey(feed_url).as_bytes(), &set.to_bytes())
    }

    fn index_story(&self, keys: &[String], id: &str) -> Result<()> {
        let mut keys: Vec<Vec<u8>> = keys.iter().map(|k| k.as_bytes().to_vec()).collect();
        keys.sort();
        self.execute(INDEX_KEYS, &[&keys, &id.as_bytes()])?;
        Ok(())
    }

    fn prune_dedup(&self, before: DateTime<Utc>) -> Result<usize> {
        let end = before.timestamp().to_be_bytes().to_vec();
        let removed = self.transaction("pruning the dedup tiers", move |c| {
            let end = end.clone();
            Box::pin(async move {
                let old = c
                    .query(
                        "SELECT k, v FROM fp_by_time WHERE k < $1 ORDER BY k",
                        &[&end],
                    )
                    .await?;
                for r in &old {
                    let k: Vec<u8> = r.try_get(0)?;
                    let title_hash: Vec<u8> = r.try_get(1)?;
                    let id = k.get(8..).unwrap_or_default().to_vec();
                    let id_text = text(&id);
                    let sig = c
                        .query("DELETE FROM fp_sigs WHERE k = $1 RETURNING v", &[&id])
                        .await?;
                    if let Some(v) = sig.first() {
                        let v: Vec<u8> = v.try_get(0)?;
                        if let Some((_, _, fp)) = SledStore::read_fp_record(&v) {
                            let bands: Vec<Vec<u8>> =
                                fp.band_keys().iter().map(|b| b.to_vec()).collect();
                            let rows = c.query(BANDS_LOCK, &[&bands]).await?;
                            for b in rows {
                                let bk: Vec<u8> = b.try_get(0)?;
                                let mut ids: Vec<String> =
                                    dec(&b.try_get::<_, Vec<u8>>(1)?, "fp_bands")?;
                                ids.retain(|x| x != &id_text);
                                if ids.is_empty() {
                                    c.execute("DELETE FROM fp_bands WHERE k = $1", &[&bk])
                                        .await?;
                                } else {
                                    c.execute(
                                        "UPDATE fp_bands SET v = $2 WHERE k = $1",
                                        &[&bk, &enc(&ids)?],
                                    )
                                    .await?;
                                }
                            }
                        }
                    }
                    if !title_hash.is_empty() {
                        let t = c.query(TITLE_LOCK, &[&title_hash]).await?;
                        if let Some(t) = t.first() {
                            let v: Vec<u8> = t.try_get(0)?;
                            if serde_json::from_slice::<TitleRecord>(&v)
                                .is_ok_and(|t| t.id == id_text || t.at < before)
                            {
                                c.execute("DELETE FROM title_index WHERE k = $1", &[&title_hash])
                                    .await?;
                            }
                        }
                    }
                    c.execute("DELETE FROM fp_by_time WHERE k = $1", &[&k])
                        .await?;
                }
                Ok(Some(old.len()))
            })
        })?;
        Ok(removed.unwrap_or(0))
    }

    fn item(&self, id: &str) -> Result<Option<StoredItem>> {
        self.bytes_opt(GET_ITEM, &[&id.as_bytes()])?
            .map(|v| dec(&v, "items"))
            .transpose()
    }

    fn prune_old(&self, before: DateTime<Utc>) -> Result<PruneStats> {
        let mut pending = std::collections::HashSet::new();
        for id in self.pending_ids()? {
            pending.insert(id.into_bytes());
        }
        let mut items: Vec<Vec<u8>> = Vec::new();
        let mut p = self.hold()?;
        self.walk(&mut p, "items", |k, v| {
            let item: StoredItem = dec(v, "items")?;
            if item.first_seen < before && !pending.contains(k) {
                items.push(k.to_vec());
            }
            Ok(())
        })?;
        let mut digests: Vec<Vec<u8>> = Vec::new();
        self.walk(&mut p, "digests", |k, v| {
            let d: DigestRecord = dec(v, "digests")?;
            if d.state == DigestState::Sent && d.sent_at.is_some_and(|t| t < before) {
                digests.push(k.to_vec());
            }
            Ok(())
        })?;
        drop(p);
        let stats = PruneStats {
            items: items.len(),
            digests: digests.len(),
        };
        // A story taken into pending since it was read stays.
        self.execute(
            "DELETE FROM items WHERE k = ANY($1::bytea[]) \
             AND NOT EXISTS (SELECT 1 FROM pending p WHERE p.k = items.k)",
            &[&items],
        )?;
        self.execute(
            "DELETE FROM digests WHERE k = ANY($1::bytea[])",
            &[&digests],
        )?;
        self.execute(LEASES_PRUNE, &[])?;
        Ok(stats)
    }

    fn put_item(&self, item: &StoredItem) -> Result<()> {
        self.put(PUT_ITEM, item.id.as_bytes(), &enc(item)?)
    }

    fn pending_ids(&self) -> Result<Vec<String>> {
        self.query(PENDING, &[])?
            .iter()
            .map(|r| Ok(text(&r.try_get::<_, Vec<u8>>(0)?)))
            .collect()
    }

    fn mark_digest_sent(&self, record: &DigestRecord) -> Result<()> {
        let id = record.id.as_bytes().to_vec();
        let value = enc(record)?;
        let items: Vec<Vec<u8>> = record
            .item_ids
            .iter()
            .map(|i| i.as_bytes().to_vec())
            .collect();
        self.transaction("recording a sent digest", move |c| {
            let (id, value, items) = (id.clone(), value.clone(), items.clone());
            Box::pin(async move {
                c.execute(PUT_DIGEST, &[&id, &value]).await?;
                c.execute(UNQUEUE, &[&id]).await?;
                c.execute("DELETE FROM pending WHERE k = ANY($1::bytea[])", &[&items])
                    .await?;
                Ok(Some(()))
            })
        })?;
        Ok(())
    }

    fn next_id(&self) -> Result<u64> {
        let rows = self.query(NEXT_ID, &[])?;
        let n: i64 = rows
            .first()
            .context("nextval returned nothing")?
            .try_get(0)?;
        Ok(n.max(0) as u64)
    }

    fn claim_keys_under(&self, prefix: &str, cap: usize) -> Result<Vec<String>> {
        let cap = i64::try_from(cap).unwrap_or(i64::MAX);
        let (start, end, bounded) = prefix_range(prefix.as_bytes());
        let rows = if bounded {
            self.query(CLAIM_KEYS_BOUNDED, &[&start, &end, &cap])?
        } else {
            self.query(CLAIM_KEYS_OPEN, &[&start, &cap])?
        };
        rows.iter()
            .map(|r| Ok(text(&r.try_get::<_, Vec<u8>>(0)?)))
            .collect()
    }

    fn recent_claims_for_key(
        &self,
        key: &str,
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, ClaimRecord)>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut out = claim_rows(self.query(RECENT_CLAIMS, &[&key.as_bytes(), &limit])?)?;
        out.reverse();
        Ok(out)
    }

    fn claim(&self, tree_key: &[u8]) -> Result<Option<ClaimRecord>> {
        self.bytes_opt(GET_CLAIM, &[&tree_key])?
            .map(|v| dec(&v, "claims"))
            .transpose()
    }

    fn update_claim(&self, tree_key: &[u8], record: &ClaimRecord) -> Result<()> {
        self.put(PUT_CLAIM, tree_key, &enc(record)?)
    }

    fn claims_list(&self, entity: Option<&str>) -> Result<Vec<(Vec<u8>, ClaimRecord)>> {
        match entity {
            None => claim_rows(self.query(ALL_CLAIMS, &[])?),
            Some(e) => {
                let prefix = claim_prefix(e);
                // The prefix ends with 0: its end is the same bytes ending with 1.
                let mut end = prefix.clone();
                if let Some(last) = end.last_mut() {
                    *last = 1;
                }
                let from = (prefix.len() + 1) as i32;
                claim_rows(self.query(CLAIMS_OF_ENTITY, &[&prefix, &end, &from])?)
            }
        }
    }

    fn put_digest(&self, d: &DigestRecord) -> Result<()> {
        let id = d.id.as_bytes().to_vec();
        let value = enc(d)?;
        let queued = d.state != DigestState::Sent;
        self.transaction("writing a digest", move |c| {
            let (id, value) = (id.clone(), value.clone());
            Box::pin(async move {
                c.execute(PUT_DIGEST, &[&id, &value]).await?;
                match queued {
                    true => c.execute(QUEUE, &[&id]).await?,
                    false => c.execute(UNQUEUE, &[&id]).await?,
                };
                Ok(Some(()))
            })
        })?;
        Ok(())
    }

    fn queued_digests(&self) -> Result<Vec<DigestRecord>> {
        let mut out = self.unsent_digests()?;
        out.retain(|d| d.state == DigestState::Queued);
        Ok(out)
    }

    fn digest_record(&self, id: &str) -> Result<Option<DigestRecord>> {
        self.bytes_opt(GET_DIGEST, &[&id.as_bytes()])?
            .map(|v| dec(&v, "digests"))
            .transpose()
    }

    fn unsent_digests(&self) -> Result<Vec<DigestRecord>> {
        let mut out = Vec::new();
        for r in self.query(UNSENT, &[])? {
            let k: Vec<u8> = r.try_get(0)?;
            match r.try_get::<_, Option<Vec<u8>>>(1)? {
                Some(v) => {
                    let d: DigestRecord = dec(&v, "digests")?;
                    if d.state != DigestState::Sent {
                        out.push(d);
                    }
                }
                None => {
                    self.execute(UNQUEUE, &[&k])?;
                }
            }
        }
        out.sort_by(|a, b| {
            a.created_at
                .cmp(&b.created_at)
                .then_with(|| a.id.cmp(&b.id))
        });
        Ok(out)
    }

    fn last_sent_digest(&self) -> Result<Option<DigestRecord>> {
        let mut from: Option<Vec<u8>> = None;
        loop {
            let rows = match &from {
                None => self.query(DIGESTS_LAST, &[&PAGE])?,
                Some(k) => self.query(DIGESTS_BEFORE, &[k, &PAGE])?,
            };
            let got = rows.len() as i64;
            for r in rows {
                let k: Vec<u8> = r.try_get(0)?;
                let d: DigestRecord = dec(&r.try_get::<_, Vec<u8>>(1)?, "digests")?;
                if d.state == DigestState::Sent {
                    return Ok(Some(d));
                }
                from = Some(k);
            }
            if got < PAGE {
                return Ok(None);
            }
        }
    }

    fn item_count(&self) -> usize {
        self.count("SELECT count(*) FROM items")
    }

    fn claim_count(&self) -> usize {
        self.count("SELECT count(*) FROM claims")
    }

    fn size_on_disk(&self) -> Result<u64> {
        let rows = self.query(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname = ANY($1::text[])",
            &[&[TREES, &["leases", "claim_locks", "schema_migrations"]].concat()],
        )?;
        let n: i64 = rows.first().context("no size")?.try_get(0)?;
        Ok(n.max(0) as u64)
    }

    fn seed_doc_recorded(&self, key: &str) -> Result<bool> {
        Ok(!self.query(SEED_DOC, &[&key.as_bytes()])?.is_empty())
    }

    fn mark_seed_doc(&self, key: &str) -> Result<()> {
        self.execute(MARK_SEED_DOC, &[&key.as_bytes()])?;
        Ok(())
    }

    fn story_lookup(&self, q: &StoryQuery) -> Result<StoryLookup> {
        let mut found = self.story_lookups(std::slice::from_ref(q))?;
        found
            .pop()
            .context("story_lookup: the store answered nothing")
    }

    fn story_lookups(&self, qs: &[StoryQuery]) -> Result<Vec<StoryLookup>> {
        if qs.is_empty() {
            return Ok(Vec::new());
        }
        // What each question sends: its keys, id, title key and bands, owned for the
        // store's runtime.
        type Asked = (
            Vec<Vec<u8>>,
            Vec<u8>,
            Option<Vec<u8>>,
            bool,
            Option<Vec<Vec<u8>>>,
        );
        let asked: Vec<Asked> = qs
            .iter()
            .map(|q| {
                (
                    q.index_keys.iter().map(|k| k.as_bytes().to_vec()).collect(),
                    q.id.as_bytes().to_vec(),
                    q.title_key.map(|t| hkey(t).into_bytes()),
                    q.fingerprint.is_some(),
                    q.fingerprint
                        .map(|fp| fp.band_keys().iter().map(|b| b.to_vec()).collect()),
                )
            })
            .collect();
        let pool = self.pool.clone();
        let answers = self.run(async move {
            let mut p = pool.get().await?;
            let c = p.conn()?;
            let (s_key, s_item, s_title, s_bands) = (
                c.prep(LOOKUP_KEY).await?,
                c.prep(GET_ITEM).await?,
                c.prep(LOOKUP_TITLE).await?,
                c.prep(LOOKUP_BANDS).await?,
            );
            let client = &c.client;
            // Every question's statements sent together and answered together: one round
            // trip for a story, or for all of a feed's new entries.
            let each = asked.iter().map(|(keys, id, title, with_fp, bands)| {
                let (s_key, s_item, s_title, s_bands) = (&s_key, &s_item, &s_title, &s_bands);
                async move {
                    let (a, b, t, f) = tokio::join!(
                        async {
                            match keys.is_empty() {
                                true => Ok(Vec::new()),
                                false => client.query(s_key, &[keys]).await,
                            }
                        },
                        async { client.query(s_item, &[id]).await },
                        async {
                            match title {
                                Some(t) => client.query(s_title, &[t, with_fp]).await,
                                None => Ok(Vec::new()),
                            }
                        },
                        async {
                            match bands {
                                Some(b) => client.query(s_bands, &[b]).await,
                                None => Ok(Vec::new()),
                            }
                        },
                    );
                    Ok::<_, anyhow::Error>((
                        a.context("story_lookup: story_index")?,
                        b.context("story_lookup: items")?,
                        t.context("story_lookup: title_index")?,
                        f.context("story_lookup: fp_bands")?,
                    ))
                }
            });
            futures_util::future::try_join_all(each).await
        })?;
        qs.iter()
            .zip(answers)
            .map(|(q, rows)| self.decode_lookup(q, rows))
            .collect()
    }

    fn new_claim_key(&self, claim_key: &str) -> Result<Vec<u8>> {
        let rows = self.query(NEXT_CLAIM, &[])?;
        let seq: i64 = rows
            .first()
            .context("nextval returned nothing")?
            .try_get(0)?;
        let mut key = claim_prefix(claim_key);
        key.extend_from_slice(&(seq.max(0) as u64).to_be_bytes());
        Ok(key)
    }

    fn put_claim_at(&self, tree_key: &[u8], record: &ClaimRecord) -> Result<()> {
        let k = tree_key.to_vec();
        let v = enc(record)?;
        let entities = entity_keys(tree_key, record);
        self.transaction("storing a claim", move |c| {
            let (k, v, entities) = (k.clone(), v.clone(), entities.clone());
            Box::pin(async move {
                c.execute(PUT_CLAIM, &[&k, &v]).await?;
                c.execute(INDEX_ENTITIES, &[&entities]).await?;
                Ok(Some(()))
            })
        })?;
        Ok(())
    }

    fn commit_story(&self, w: &StoryWrite, seen: &mut SeenSet) -> Result<Committed> {
        let new_story = w.pending.is_some();
        let story_id = w
            .item
            .as_ref()
            .map(|i| i.id.clone())
            .or_else(|| w.pending.clone());
        let title_seen = story_id.as_ref().and_then(|id| {
            self.looked_up_titles
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(id)
        });
        let mut claims = Vec::new();
        for (k, rec) in &w.claims {
            claims.push((k.clone(), enc(rec)?, entity_keys(k, rec)));
        }
        let plan = CommitPlan {
            new_story,
            index: w.index.as_ref().map(|(keys, id)| {
                (
                    keys.iter().map(|k| k.as_bytes().to_vec()).collect(),
                    id.as_bytes().to_vec(),
                )
            }),
            title: match &w.title {
                Some((tk, rec)) => Some((hkey(tk).into_bytes(), enc(rec)?, rec.clone())),
                None => None,
            },
            title_seen,
            fp: w.fingerprint.as_ref().map(|f| {
                (
                    f.id.as_bytes().to_vec(),
                    SledStore::fp_record(f.at, &f.url, &f.fingerprint),
                    f.fingerprint
                        .band_keys()
                        .iter()
                        .map(|b| b.to_vec())
                        .collect(),
                )
            }),
            dedup_times: w
                .fingerprint
                .as_ref()
                .map(|f| (f.id.as_str(), f.title_key.as_deref(), f.at))
                .into_iter()
                .chain(
                    w.dedup_time
                        .as_ref()
                        .map(|(id, tk, at)| (id.as_str(), tk.as_deref(), *at)),
                )
                .map(|(id, tk, at)| (dedup_time_key(id, at), tk.map(|t| hkey(t).into_bytes())))
                .collect(),
            claims,
            pending: w.pending.as_ref().map(|p| p.as_bytes().to_vec()),
            item: match &w.item {
                Some(i) => Some((i.id.as_bytes().to_vec(), enc(i)?)),
                None => None,
            },
        };
        let nothing = plan.index.is_none()
            && plan.title.is_none()
            && plan.fp.is_none()
            && plan.dedup_times.is_empty()
            && plan.claims.is_empty()
            && plan.pending.is_none()
            && plan.item.is_none();
        if !nothing {
            let plan = Arc::new(plan);
            let stored = self.transaction("storing a story", move |c| {
                let plan = plan.clone();
                Box::pin(async move {
                    Ok(match commit_plan(c, &plan).await? {
                        true => Some(()),
                        false => None,
                    })
                })
            })?;
            if stored.is_none() {
                return Ok(Committed::LostRace);
            }
        }
        seen.insert(&w.entry_key);
        Ok(Committed::Stored)
    }

    fn instance(&self) -> &str {
        &self.instance
    }

    fn take_leases(&self, names: &[String], ttl: Duration) -> Result<Vec<String>> {
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = names.to_vec();
        let me = self.instance.clone();
        let secs = ttl.as_secs_f64();
        let pool = self.pool.clone();
        let taken: std::collections::HashSet<String> = self
            .run(async move {
                let mut p = pool.get().await?;
                let c = p.conn()?;
                c.execute(LEASES_CREATE, &[&list]).await?;
                let rows = c.query(LEASES_TAKE, &[&list, &me, &secs]).await?;
                rows.iter()
                    .map(|r| Ok(r.try_get::<_, String>(0)?))
                    .collect::<Result<_>>()
            })
            .context("taking leases")?;
        Ok(names
            .iter()
            .filter(|n| taken.contains(*n))
            .cloned()
            .collect())
    }

    fn release_leases(&self, names: &[String]) -> Result<()> {
        if names.is_empty() {
            return Ok(());
        }
        let list: Vec<String> = names.to_vec();
        self.execute(LEASES_RELEASE, &[&list, &self.instance])
            .context("releasing leases")?;
        Ok(())
    }

    fn finish_lease(&self, name: &str) -> Result<()> {
        self.execute(LEASE_FINISH, &[&name])
            .context("finishing a lease")?;
        Ok(())
    }

    fn lease_state(&self, name: &str) -> Result<LeaseState> {
        let rows = self
            .query(LEASE_STATE, &[&name])
            .context("reading a lease")?;
        let Some(r) = rows.first() else {
            return Ok(LeaseState::Free);
        };
        let owner: Option<String> = r.try_get(0)?;
        let until: Option<DateTime<Utc>> = r.try_get(1)?;
        let finished: bool = r.try_get(2)?;
        let live: bool = r.try_get(3)?;
        Ok(match (finished, live, owner, until) {
            (true, ..) => LeaseState::Finished,
            (false, true, Some(owner), Some(until)) => LeaseState::Held { owner, until },
            _ => LeaseState::Free,
        })
    }

    fn lock_claim_subjects(&self, subjects: &[String]) -> Result<ClaimLock> {
        let mut list: Vec<String> = subjects.to_vec();
        list.sort();
        list.dedup();
        if list.is_empty() {
            return Ok(ClaimLock::none());
        }
        let pool = self.pool.clone();
        let held = self
            .run(async move {
                let mut p = pool.get().await?;
                let c = p.conn()?;
                c.execute(CLAIM_LOCKS_CREATE, &[&list]).await?;
                p.dirty = true;
                let c = p.conn()?;
                // An instance that hangs holding a subject fails this story after a while
                // rather than stopping the cycle for ever.
                c.batch("BEGIN; SET LOCAL lock_timeout = '300s'").await?;
                if let Err(e) = c.query(CLAIM_LOCKS_TAKE, &[&list]).await {
                    if c.batch("ROLLBACK").await.is_ok() {
                        p.dirty = false;
                    }
                    return Err(e);
                }
                Ok(p)
            })
            .context("locking claim subjects")?;
        Ok(ClaimLock::held(Box::new(ClaimGuard {
            conn: Some(held),
            handle: self.handle.clone(),
        })))
    }
}

impl PgStore {
    /// One story's answer from its four queries' rows (see `story_lookups`).
    fn decode_lookup(
        &self,
        q: &StoryQuery,
        (key_rows, item_rows, title_rows, band_rows): (
            Vec<tokio_postgres::Row>,
            Vec<tokio_postgres::Row>,
            Vec<tokio_postgres::Row>,
            Vec<tokio_postgres::Row>,
        ),
    ) -> Result<StoryLookup> {
        let by_key = match key_rows.first() {
            Some(r) => Some(text(&r.try_get::<_, Vec<u8>>(0)?)),
            None => None,
        };
        let own_item = match (&by_key, item_rows.first()) {
            (Some(first), Some(r)) if first == q.id => {
                Some(dec(&r.try_get::<_, Vec<u8>>(0)?, "items")?)
            }
            _ => None,
        };
        let by_title = match title_rows.first() {
            Some(r) => {
                let rec: TitleRecord = dec(&r.try_get::<_, Vec<u8>>(0)?, "title_index")?;
                let fp: Option<Fingerprint> = r
                    .try_get::<_, Option<Vec<u8>>>(1)?
                    .and_then(|v| SledStore::read_fp_record(&v))
                    .map(|(_, _, fp)| fp);
                Some((rec, fp))
            }
            None => None,
        };
        let mut fingerprint_hits = Vec::new();
        for r in band_rows {
            let id = text(&r.try_get::<_, Vec<u8>>(0)?);
            if let Some((_, url, fingerprint)) =
                SledStore::read_fp_record(&r.try_get::<_, Vec<u8>>(1)?)
            {
                fingerprint_hits.push(FingerprintHit {
                    id,
                    url,
                    fingerprint,
                });
            }
        }
        if q.title_key.is_some() {
            let mut seen = self
                .looked_up_titles
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            if seen.len() > 10_000 {
                seen.clear();
            }
            seen.insert(
                q.id.to_string(),
                by_title.as_ref().map(|(r, _)| r.id.clone()),
            );
        }
        Ok(StoryLookup {
            by_key,
            own_item,
            by_title,
            fingerprint_hits,
        })
    }
}
