//! The mail queue: every digest and alert is written to the store as `Queued` before it is
//! sent; this module sends the queued ones, and after a failure says when to try again
//! (capped exponential backoff, `sinks::queue`) or parks a message the server keeps
//! refusing for good (5xx, `email.park_after` times in a row). A parked message holds its
//! stories until `newswatch resend ID` queues it again.

use std::sync::Arc;

use anyhow::{Context as _, Result};
use chrono::{DateTime, Utc};
use tracing::{debug, error, info, warn};

use super::digest::envelope_of;
use super::Context;
use crate::report::DigestReport;
use crate::sinks::mail::{self, Mailer};
use crate::sinks::queue::{self, Failure, Next};
use crate::store::{send_lease, DigestKind, DigestRecord, DigestState, StoreBackend};

/// Which queued messages a send round tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Every queued one (a manual `once`, `digest`, `resend`: a manual run is a manual run).
    All,
    /// Only those whose backoff has run out (the daemon).
    Backoff,
}

/// Send the queued messages of `kind` (digests or alerts), oldest first; each one's outcome
/// is written before the next is tried. Parked messages are not tried.
pub async fn send_queued(
    ctx: &Arc<Context>,
    kind: DigestKind,
    due: Due,
) -> Result<Vec<DigestReport>> {
    let now = Utc::now();
    let queue: Vec<DigestRecord> = ctx
        .store
        .queued_digests()?
        .into_iter()
        .filter(|d| d.kind == kind)
        .filter(|d| due == Due::All || queue::is_due(d.next_attempt_at, now))
        .collect();
    if queue.is_empty() {
        return Ok(Vec::new());
    }
    let what = match kind {
        DigestKind::Alert => "alert",
        _ => "digest",
    };
    let mailer = Mailer::from_config(&ctx.config.email)?;
    let mut reports = Vec::new();
    for queued in queue {
        let Some(mut record) = lease_for_sending(ctx, &queued.id)? else {
            continue;
        };
        let envelope = envelope_of(&ctx.config.email.from, &record);
        record.attempts = record.attempts.saturating_add(1);
        let mut rep = DigestReport {
            status: String::new(),
            recipients: record.recipients.clone(),
            message_id: Some(record.message_id.clone()),
            items: record.item_ids.len(),
            claims: record.claims,
            error: None,
        };
        match mailer.send(&envelope).await {
            Ok(()) => {
                record.state = DigestState::Sent;
                record.sent_at = Some(Utc::now());
                record.last_error = None;
                record.next_attempt_at = None;
                record.permanent_failures = 0;
                ctx.store.mark_digest_sent(&record)?;
                info!(message_id = %record.message_id, items = record.item_ids.len(), "{what} sent");
                rep.status = "sent".into();
            }
            Err(e) => {
                let msg = format!("{e:#}");
                rep.error = Some(msg.clone());
                rep.status = match settle_failure(
                    &ctx.config.email.retry,
                    &mut record,
                    &e,
                    msg.clone(),
                ) {
                    Settled::Retry(at) => {
                        warn!(message_id = %record.message_id, id = %record.id, error = ?rep.error,
                              next_attempt = %at.to_rfc3339(), "{what} not sent; it stays queued");
                        "queued".into()
                    }
                    Settled::Parked => {
                        error!(message_id = %record.message_id, id = %record.id, error = ?rep.error,
                               attempts = record.attempts,
                               "{what} refused for good; parked (send it again with `newswatch resend {}`)",
                               record.id);
                        rep.error = Some(format!(
                            "{msg}; parked after {} refusals (`newswatch resend {}` sends it again)",
                            record.permanent_failures, record.id
                        ));
                        "not_sent".into()
                    }
                };
                ctx.store.put_digest(&record)?;
            }
        }
        give_back(ctx, &record.id);
        reports.push(rep);
    }
    ctx.store.flush()?;
    Ok(reports)
}

/// Take the lease on sending one queued message and read it again under the lease: with
/// several instances on one store, the one holding the lease sends it, and a message
/// another instance sent (or parked) meanwhile is left alone. None: not this instance's to
/// send now.
pub(super) fn lease_for_sending(ctx: &Context, id: &str) -> Result<Option<DigestRecord>> {
    let lease = send_lease(id);
    if ctx
        .store
        .take_leases(std::slice::from_ref(&lease), ctx.config.store.lease)?
        .is_empty()
    {
        debug!(id, "another instance is sending this message");
        return Ok(None);
    }
    match ctx.store.digest_record(id)? {
        Some(r) if r.state == DigestState::Queued => Ok(Some(r)),
        _ => {
            give_back(ctx, id);
            Ok(None)
        }
    }
}

/// Give back the sending lease once the outcome is written (a failure to give it back only
/// makes another instance wait for it to run out).
pub(super) fn give_back(ctx: &Context, id: &str) {
    if let Err(e) = ctx.store.release_leases(&[send_lease(id)]) {
        warn!(id, error = %format!("{e:#}"), "could not give back a sending lease");
    }
}

enum Settled {
    Retry(DateTime<Utc>),
    Parked,
}

/// Record a failed attempt on `record`: its next attempt, or parked.
fn settle_failure(
    policy: &queue::RetryPolicy,
    record: &mut DigestRecord,
    e: &anyhow::Error,
    msg: String,
) -> Settled {
    let failure = if mail::is_permanent(e) {
        Failure::Permanent
    } else {
        Failure::Transient
    };
    record.last_error = Some(msg);
    match policy.after_failure(
        record.attempts,
        record.permanent_failures,
        failure,
        Utc::now(),
    ) {
        Next::RetryAt {
            at,
            permanent_failures,
        } => {
            record.permanent_failures = permanent_failures;
            record.next_attempt_at = Some(at);
            Settled::Retry(at)
        }
        Next::Park { permanent_failures } => {
            record.permanent_failures = permanent_failures;
            record.next_attempt_at = None;
            record.state = DigestState::Parked;
            Settled::Parked
        }
    }
}

/// The earliest time a queued digest or alert is due again, if any waits on a backoff.
pub fn next_retry(store: &dyn StoreBackend) -> Result<Option<DateTime<Utc>>> {
    Ok(store
        .queued_digests()?
        .into_iter()
        .filter(|d| d.kind != DigestKind::Webhook)
        .filter_map(|d| d.next_attempt_at)
        .min())
}

/// Queue a parked (or waiting) digest or alert again, due now, with its counts reset;
/// its Message-ID and content stay the same. Returns the record as queued.
pub fn requeue(store: &dyn StoreBackend, id: &str) -> Result<DigestRecord> {
    let mut record = store.digest_record(id)?.with_context(|| {
        format!("no stored digest or alert has the id {id:?} (see `newswatch digests`)")
    })?;
    anyhow::ensure!(
        record.state != DigestState::Sent,
        "{id} was already sent (accepted by the server at {})",
        record
            .sent_at
            .map(|t| t.to_rfc3339())
            .unwrap_or_else(|| "an unknown time".into())
    );
    anyhow::ensure!(
        record.kind != DigestKind::Webhook,
        "{id} is a webhook message: it is retried at every cycle"
    );
    record.state = DigestState::Queued;
    record.next_attempt_at = None;
    record.permanent_failures = 0;
    store.put_digest(&record)?;
    store.flush()?;
    Ok(record)
}
