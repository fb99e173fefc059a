//! The webhook sink: a JSON POST of each digest and each urgent alert to every configured
//! `[[webhooks]]` URL that asks for that event. A webhook message is written to the store's
//! digest queue before it is sent (kind `webhook`, its id kept across retries and sent as
//! `X-Newswatch-Id` and as `"id"` in the JSON), and a queued one is sent again at the end
//! of every later poll cycle and digest until the server answers 2xx: the email queue's
//! semantics. The URL is fetched by `fetch/` with the rule for configured URLs.

use std::sync::Arc;

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use tracing::{debug, info, warn};

use super::Context;
use crate::config::WebhookEvent;
use crate::report::DigestReport;
use crate::store::{DigestKind, DigestRecord, DigestState};

/// Queue one message for every webhook that wants `event`. `payload` is the event's data;
/// `id`, `event` and `created_at` are added.
pub fn enqueue(
    ctx: &Context,
    event: WebhookEvent,
    key: &str,
    mut payload: Value,
    now: DateTime<Utc>,
) -> Result<usize> {
    let mut n = 0;
    for hook in ctx
        .config
        .webhooks
        .iter()
        .filter(|h| h.events.contains(&event))
    {
        let id = format!(
            "webhook-{}-{}",
            now.format("%Y%m%dT%H%M%SZ"),
            ctx.store.next_id()?
        );
        let hash = crate::transforms::dedup::stable_id(&format!("{id}|{key}|{}", hook.url));
        let message_id = format!("{id}-{}", &hash[..8]);
        if let Value::Object(map) = &mut payload {
            map.insert("id".into(), json!(message_id));
            map.insert("event".into(), json!(event.as_str()));
            map.insert("created_at".into(), json!(now.to_rfc3339()));
        }
        let record = DigestRecord {
            id,
            message_id,
            created_at: now,
            recipients: vec![hook.url.clone()],
            subject: event.as_str().to_string(),
            text: serde_json::to_string(&payload)?,
            html: String::new(),
            item_ids: Vec::new(),
            claims: 0,
            state: DigestState::Queued,
            attempts: 0,
            last_error: None,
            sent_at: None,
            next_attempt_at: None,
            permanent_failures: 0,
            kind: DigestKind::Webhook,
        };
        ctx.store.put_digest(&record)?;
        n += 1;
    }
    Ok(n)
}

/// Send every queued webhook message (new ones and retries), oldest first.
pub async fn deliver(ctx: &Arc<Context>) -> Result<Vec<DigestReport>> {
    let store = &*ctx.store;
    let queue: Vec<DigestRecord> = store
        .queued_digests()?
        .into_iter()
        .filter(|d| d.kind == DigestKind::Webhook)
        .collect();
    let mut reports = Vec::new();
    for queued in queue {
        let url = queued.recipients.first().cloned().unwrap_or_default();
        // Only to a URL still configured, with its header and token as configured now (a
        // rotated token is used); a webhook taken out of the config keeps its queue, unsent.
        let Some(hook) = ctx.config.webhooks.iter().find(|h| h.url == url) else {
            debug!(id = %queued.message_id, url = %url, "webhook no longer configured; left queued");
            continue;
        };
        let Some(mut record) = super::outbox::lease_for_sending(ctx, &queued.id)? else {
            continue;
        };
        let mut headers = vec![("X-Newswatch-Id".to_string(), record.message_id.clone())];
        if let Some(token) = &hook.token {
            headers.push((hook.header.clone(), token.clone()));
        }
        record.attempts += 1;
        let mut rep = DigestReport {
            status: String::new(),
            recipients: vec![url.clone()],
            message_id: Some(record.message_id.clone()),
            items: 0,
            claims: 0,
            error: None,
        };
        match ctx
            .fetcher
            .post_json(&url, &headers, record.text.clone().into_bytes())
            .await
        {
            Ok(_) => {
                record.state = DigestState::Sent;
                record.sent_at = Some(Utc::now());
                record.last_error = None;
                store.mark_digest_sent(&record)?;
                info!(id = %record.message_id, url = %url, event = %record.subject, "webhook delivered");
                rep.status = "sent".into();
            }
            Err(e) => {
                let msg = format!("webhook {url}: {e}");
                warn!(id = %record.message_id, error = %msg, "webhook not delivered; it stays queued");
                record.last_error = Some(msg.clone());
                store.put_digest(&record)?;
                rep.status = "queued".into();
                rep.error = Some(msg);
            }
        }
        super::outbox::give_back(ctx, &record.id);
        reports.push(rep);
    }
    if !reports.is_empty() {
        store.flush()?;
    }
    Ok(reports)
}
