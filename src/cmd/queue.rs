//! `digests` and `resend`: the mail queue (digests and alerts not yet accepted by the
//! server, queued or parked), from the store or from the running daemon.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use crate::config::Config;
use crate::control::{self, Request};
use crate::pipeline::outbox::{self, Due};
use crate::store::{DigestKind, DigestRecord, DigestState, OpenError, StoreBackend};

#[derive(Serialize)]
struct QueuedOut {
    id: String,
    /// digest | alert | webhook
    kind: DigestKind,
    /// queued | parked
    state: DigestState,
    message_id: String,
    subject: String,
    recipients: Vec<String>,
    created_at: String,
    stories: usize,
    attempts: u32,
    next_attempt_at: Option<String>,
    last_error: Option<String>,
}

/// The queued and parked messages, oldest first, as text or JSON.
pub fn render_digests(store: &dyn StoreBackend, json: bool) -> Result<String> {
    let ts =
        |d: chrono::DateTime<chrono::Utc>| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let rows: Vec<QueuedOut> = store
        .unsent_digests()?
        .into_iter()
        .map(|d| QueuedOut {
            stories: d.item_ids.len(),
            id: d.id,
            kind: d.kind,
            state: d.state,
            message_id: d.message_id,
            subject: d.subject,
            recipients: d.recipients,
            created_at: ts(d.created_at),
            attempts: d.attempts,
            next_attempt_at: d.next_attempt_at.map(ts),
            last_error: d.last_error,
        })
        .collect();
    if json {
        return Ok(serde_json::to_string_pretty(&rows)? + "\n");
    }
    if rows.is_empty() {
        return Ok("nothing queued: every digest and alert was accepted by the server\n".into());
    }
    let mut out = String::new();
    for r in &rows {
        let kind = match r.kind {
            DigestKind::Digest => "digest",
            DigestKind::Alert => "alert",
            DigestKind::Webhook => "webhook",
        };
        let state = match r.state {
            DigestState::Parked => "PARKED (refused for good; `newswatch resend ID` tries again)",
            _ => "queued",
        };
        let _ = writeln!(out, "{} {kind} {state}", r.id);
        let _ = writeln!(out, "  {} → {}", r.subject, r.recipients.join(", "));
        let _ = writeln!(
            out,
            "  created {}, {}, {}; next attempt {}",
            r.created_at,
            super::count(r.stories, "story", "stories"),
            super::count(r.attempts as usize, "attempt", "attempts"),
            match (&r.state, &r.next_attempt_at) {
                (DigestState::Parked, _) => "none",
                (_, Some(t)) => t.as_str(),
                (_, None) => "at the next chance",
            }
        );
        if let Some(e) = &r.last_error {
            let _ = writeln!(out, "  last error: {e}");
        }
        out.push('\n');
    }
    Ok(out)
}

/// What `resend` says once a message is queued again.
pub fn render_requeued(record: &DigestRecord, by_daemon: bool) -> String {
    if by_daemon {
        format!(
            "{} queued again; the running daemon sends it now ({})\n",
            record.id, record.message_id
        )
    } else {
        format!("{} queued again ({})\n", record.id, record.message_id)
    }
}

pub fn digests(config: &Config, json: bool) -> Result<ExitCode> {
    let out = match crate::store::open_for(config) {
        Ok(store) => render_digests(&*store, json)?,
        Err(OpenError::Locked(_)) => control::ask(&config.state_dir, &Request::Digests { json })?,
        Err(e) => return Err(e.into()),
    };
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// Queue a parked (or waiting) digest or alert again and send it now: here when no daemon
/// runs (exit 0 once the server accepted it, else [`super::EXIT_NOT_SENT`]), or by asking
/// the running daemon to (exit 0 once queued; `newswatch digests` shows what followed).
pub fn resend(config_path: &Path, id: &str) -> Result<ExitCode> {
    let config = super::load_config(config_path)?;
    let store = match crate::store::open_for(&config) {
        Ok(store) => store,
        Err(OpenError::Locked(_)) => {
            let out = control::ask(&config.state_dir, &Request::Resend { id: id.into() })?;
            eprint!("{out}");
            return Ok(ExitCode::SUCCESS);
        }
        Err(e) => return Err(e.into()),
    };
    let record = outbox::requeue(&*store, id)?;
    eprint!("{}", render_requeued(&record, false));
    let ctx = std::sync::Arc::new(crate::pipeline::Context::new(config, store)?);
    let reports = super::runtime()?.block_on(outbox::send_queued(&ctx, record.kind, Due::All))?;
    ctx.store.flush()?;
    let mine = reports
        .iter()
        .find(|r| r.message_id.as_deref() == Some(record.message_id.as_str()));
    match mine {
        Some(r) if r.status == "sent" => {
            eprintln!("{}: sent", record.id);
            Ok(ExitCode::SUCCESS)
        }
        Some(r) => {
            eprintln!(
                "{}: {} ({})",
                record.id,
                r.status,
                r.error.as_deref().unwrap_or("not accepted")
            );
            Ok(ExitCode::from(super::EXIT_NOT_SENT))
        }
        None => Ok(ExitCode::from(super::EXIT_NOT_SENT)),
    }
}
