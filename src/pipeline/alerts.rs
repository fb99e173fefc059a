//! Urgent alerts: a claim whose status a watchlist lists in `alert_now` is mailed at once,
//! at the end of the poll cycle, in a short message of its own. The message is written to
//! the store as `Queued` before it is sent (its own Message-ID, kept across retries, like a
//! digest), and queued alerts are retried at the end of every later cycle. A claim alerted
//! is marked on its record, and the digest no longer presents it as new.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::Result;
use chrono::Utc;

use super::Context;
use crate::report::{CycleReport, DigestReport};

use crate::store::{ClaimRecord, DigestKind, DigestRecord, DigestState};
use crate::transforms::claims;
use crate::watchlist::WatchSet;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The short message of one alerting claim: (subject, text, html).
fn compose(
    prefix: &str,
    rec: &ClaimRecord,
    title: &str,
    url: &str,
    related: &[ClaimRecord],
) -> (String, String, String) {
    let c = &rec.stored.claim;
    let status = rec.stored.status.as_str().to_uppercase();
    let what = claims::describe(c);
    let value = claims::format_value(c);
    let subject = format!(
        "{prefix} ALERT {status}: {what}: {value} ({})",
        rec.stored.source
    )
    .trim()
    .to_string();
    let mut text = format!("{status}: {what}: {value}\n");
    if let Some(a) = &c.attributed_to {
        text.push_str(&format!("according to {a}\n"));
    }
    text.push_str(&format!(
        "\"{}\"\n\n{title}\n{url}\n{}\n",
        c.quote, rec.stored.source
    ));
    let mut html = format!(
        "<p><strong>{}</strong>: {}: <strong>{}</strong></p><blockquote>{}</blockquote><p><a href=\"{}\">{}</a> ({})</p>",
        escape(&status),
        escape(&what),
        escape(&value),
        escape(&c.quote),
        escape(url),
        escape(title),
        escape(&rec.stored.source)
    );
    if !related.is_empty() {
        text.push_str("\nStored before:\n");
        html.push_str("<p>Stored before:</p><ul>");
        for (n, r) in related.iter().take(3).enumerate() {
            let relation = rec.relations.get(n).map_or("", String::as_str);
            let line = format!(
                "{} ({}, {}){}",
                claims::format_value(&r.stored.claim),
                r.stored.source,
                r.stored.shown_date(),
                if relation.is_empty() {
                    String::new()
                } else {
                    format!(" {relation}")
                }
            );
            text.push_str(&format!("- {line}\n"));
            html.push_str(&format!("<li>{}</li>", escape(&line)));
        }
        html.push_str("</ul>");
    }
    (subject, text, html)
}

/// Queue the alerts of this cycle ([`queue_alerts`]), then send every queued alert (the
/// new ones and those a failure left queued) and deliver queued webhook messages.
/// Returns the alerts' reports and the webhooks' (queued webhook messages of any event are
/// retried here too, at the end of every cycle).
pub async fn send_alerts(
    ctx: &Arc<Context>,
    watch: &WatchSet,
    report: &CycleReport,
) -> Result<(Vec<DigestReport>, Vec<DigestReport>)> {
    queue_alerts(ctx, watch, report)?;
    send_queued_alerts(ctx, super::outbox::Due::All).await
}

/// Send the queued alerts that `due` allows, then deliver the queued webhook messages.
pub async fn send_queued_alerts(
    ctx: &Arc<Context>,
    due: super::outbox::Due,
) -> Result<(Vec<DigestReport>, Vec<DigestReport>)> {
    let reports = super::outbox::send_queued(ctx, DigestKind::Alert, due).await?;
    Ok((reports, super::webhooks::deliver(ctx).await?))
}

/// Queue an alert (an email per recipient set, a webhook message per webhook that wants
/// alerts) for every new claim of this cycle that a watchlist wants at once. Store writes
/// only: the daemon sends them from its sending task, so a slow mail server never holds
/// up a poll.
pub fn queue_alerts(ctx: &Arc<Context>, watch: &WatchSet, report: &CycleReport) -> Result<()> {
    let store = &*ctx.store;
    let now = Utc::now();
    let wants_alerts = watch.lists.iter().any(|l| !l.alert_now.is_empty());
    let domain = crate::sinks::mail::domain_of(&ctx.config.email.from).unwrap_or_default();
    if wants_alerts {
        for it in report.items.iter().filter(|i| i.duplicate_of.is_none()) {
            let Some(item) = store.item(&it.id)? else {
                continue;
            };
            for key in &item.claim_keys {
                let Some(mut rec) = store.claim(key)? else {
                    continue;
                };
                if rec.alerted_at.is_some() {
                    continue;
                }
                let status = rec.stored.status.as_str();
                // Recipient sets of the watchlists of this story that want this status.
                let mut sets: BTreeMap<Vec<String>, ()> = BTreeMap::new();
                for l in watch.lists.iter().filter(|l| {
                    item.watchlists.contains(&l.id) && l.alert_now.iter().any(|s| s == status)
                }) {
                    let mut r = l
                        .recipients
                        .clone()
                        .unwrap_or_else(|| ctx.config.email.to.clone());
                    r.sort();
                    r.dedup();
                    sets.insert(r, ());
                }
                if sets.is_empty() {
                    continue;
                }
                let mut related = Vec::new();
                for rk in &rec.related {
                    if let Some(r) = store.claim(rk)? {
                        related.push(r);
                    }
                }
                let (subject, text, html) = compose(
                    &ctx.config.email.subject_prefix,
                    &rec,
                    &item.title,
                    &item.url,
                    &related,
                );
                for recipients in sets.into_keys() {
                    let id = format!(
                        "alert-{}-{}",
                        now.format("%Y%m%dT%H%M%SZ"),
                        store.next_id()?
                    );
                    let hash = crate::transforms::dedup::stable_id(&format!(
                        "{id}|{}|{}",
                        item.id,
                        recipients.join(",")
                    ));
                    let record = DigestRecord {
                        message_id: crate::sinks::mail::message_id_for(
                            &format!("{id}-{}", &hash[..8]),
                            &domain,
                        ),
                        id,
                        created_at: now,
                        recipients,
                        subject: subject.clone(),
                        text: text.clone(),
                        html: html.clone(),
                        item_ids: Vec::new(),
                        claims: 1,
                        state: DigestState::Queued,
                        attempts: 0,
                        last_error: None,
                        sent_at: None,
                        next_attempt_at: None,
                        permanent_failures: 0,
                        kind: DigestKind::Alert,
                    };
                    store.put_digest(&record)?;
                }
                let c = &rec.stored.claim;
                super::webhooks::enqueue(
                    ctx,
                    crate::config::WebhookEvent::Alert,
                    &format!("{}|{key:?}", item.id),
                    serde_json::json!({
                        "subject": subject,
                        "claims": [{
                            "status": rec.stored.status.as_str(),
                            "subject": claims::describe(c),
                            "value": claims::format_value(c),
                            "attributed_to": c.attributed_to,
                            "quote": c.quote,
                            "related": related.iter().map(|r| serde_json::json!({
                                "value": claims::format_value(&r.stored.claim),
                                "source": r.stored.source,
                                "url": r.stored.item_url,
                                "date": r.stored.shown_date(),
                                "quote": r.stored.claim.quote,
                            })).collect::<Vec<_>>(),
                        }],
                        "stories": [{
                            "title": item.title,
                            "url": item.url,
                            "source": item.source,
                            "published": item.published.map(|p| p.to_rfc3339()),
                            "watchlists": item.watchlists,
                        }],
                    }),
                    now,
                )?;
                rec.alerted_at = Some(now);
                store.update_claim(key, &rec)?;
            }
        }
        store.flush()?;
    }
    Ok(())
}
