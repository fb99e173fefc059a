//! The daemon's control socket (`<state_dir>/control.sock`): the embedded store lets one
//! process open it, so `newswatch claims` / `feeds` / `status` / `export` typed while the service runs
//! ask the daemon. What it answers is rendered by `views`, as the commands do offline.
//!
//! Protocol: one JSON request line in, the command's output text back, then close.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};

use crate::status::DaemonState;
use crate::store::StoreBackend;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Request {
    Claims {
        entity: Option<String>,
        json: bool,
    },
    Feeds {
        json: bool,
    },
    Status {
        json: bool,
    },
    /// The whole `newswatch export` as the answer's body.
    Export,
    /// `newswatch digests`: the queued and parked digests and alerts.
    Digests {
        json: bool,
    },
    /// `newswatch resend ID`: queue a parked digest or alert again; the daemon sends it.
    Resend {
        id: String,
    },
}

pub fn socket_path(state_dir: &Path) -> PathBuf {
    state_dir.join("control.sock")
}

/// Ask the daemon (client side, blocking).
pub fn ask(state_dir: &Path, req: &Request) -> Result<String> {
    let path = socket_path(state_dir);
    let mut stream =
        UnixStream::connect(&path).with_context(|| format!("connecting to {}", path.display()))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut line = serde_json::to_string(req)?;
    line.push('\n');
    stream.write_all(line.as_bytes())?;
    stream.flush()?;
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status)?;
    let mut body = String::new();
    reader.read_to_string(&mut body)?;
    match status.trim() {
        "ok" => Ok(body),
        _ => anyhow::bail!("the daemon answered: {}", body.trim()),
    }
}

/// Serve requests until the task is dropped.
pub async fn serve(
    listener: tokio::net::UnixListener,
    store: Arc<dyn StoreBackend>,
    state: Arc<DaemonState>,
    wake: Arc<tokio::sync::Notify>,
) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of descriptors, say: wait instead of spinning on the error.
                tracing::warn!(error = %e, "control socket: accept failed");
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                continue;
            }
        };
        let (store, state, wake) = (store.clone(), state.clone(), wake.clone());
        tokio::spawn(async move {
            let (read, mut write) = stream.into_split();
            // A request is one short line, sent at once: a client that sends nothing (or
            // an endless line) is dropped instead of holding a task for ever.
            let mut lines = tokio::io::BufReader::new(read.take(64 * 1024)).lines();
            let Ok(Ok(Some(line))) =
                tokio::time::timeout(std::time::Duration::from_secs(5), lines.next_line()).await
            else {
                return;
            };
            let answer = tokio::task::spawn_blocking(move || answer(&*store, &state, &line))
                .await
                .unwrap_or_else(|e| Err(anyhow::anyhow!("{e}")));
            if answer.as_ref().is_ok_and(|(_, wake)| *wake) {
                wake.notify_one();
            }
            let answer = answer.map(|(body, _)| body);
            let text = match answer {
                Ok(body) => format!("ok\n{body}"),
                Err(e) => format!("error\n{e:#}\n"),
            };
            let _ = write.write_all(text.as_bytes()).await;
            let _ = write.shutdown().await;
        });
    }
}

/// The answer's body, and whether the sending task should look at the queue now.
fn answer(store: &dyn StoreBackend, state: &DaemonState, line: &str) -> Result<(String, bool)> {
    let req: Request = serde_json::from_str(line).context("bad request")?;
    if let Request::Resend { id } = &req {
        let record = crate::pipeline::outbox::requeue(store, id)?;
        return Ok((crate::cmd::render_requeued(&record, true), true));
    }
    answer_query(store, state, req).map(|body| (body, false))
}

fn answer_query(store: &dyn StoreBackend, state: &DaemonState, req: Request) -> Result<String> {
    match req {
        Request::Digests { json } => crate::cmd::render_digests(store, json),
        Request::Resend { .. } => anyhow::bail!("resend is answered above"),
        Request::Claims { entity, json } => {
            crate::views::render_claims(store, entity.as_deref(), json)
        }
        Request::Feeds { json } => crate::views::render_feeds(store, &state.config(), json),
        Request::Status { json } => {
            crate::views::render_status(store, &state.config(), Some(&state.live()), json)
        }
        Request::Export => {
            let mut out = Vec::new();
            let stats = store.export(&mut out)?;
            // The answer carries the records only: a damaged store is exported offline,
            // where what was skipped can be said.
            anyhow::ensure!(
                stats.skipped.is_empty(),
                "the store is damaged ({}); stop the service and run `newswatch export` \
                 again: it writes what can be read and says what it skipped",
                stats.skipped.join("; ")
            );
            // The export is JSON lines (binary keys and values are hex): always UTF-8.
            String::from_utf8(out).context("the export is not UTF-8")
        }
    }
}

/// Bind the socket, replacing a stale one left by a crash (we hold the store lock, so no
/// other daemon can be using it).
pub fn bind(state_dir: &Path) -> Result<tokio::net::UnixListener> {
    let path = socket_path(state_dir);
    if path.exists() {
        std::fs::remove_file(&path)
            .with_context(|| format!("removing stale {}", path.display()))?;
    }
    let listener = tokio::net::UnixListener::bind(&path)
        .with_context(|| format!("binding {}", path.display()))?;
    // Connecting needs write permission: the service's group (analysts) may ask, others
    // may not (the state dir's own mode decides who reaches the socket at all).
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o660))
        .with_context(|| format!("setting the mode of {}", path.display()))?;
    Ok(listener)
}
