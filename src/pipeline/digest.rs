//! The digest: pending stories → `Digest` per recipient set → rendered → written to the
//! store as `Queued` → sent → `Sent`, and the stories leave `pending`.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use anyhow::Result;
use chrono::{DateTime, Duration, Utc};
use tracing::{info, warn};

use super::Context;
use crate::model::ClaimStatus;
use crate::report::DigestReport;
use crate::sinks::digest::{self as digest_sink, Digest, DigestClaim, DigestGroup, DigestStory};
use crate::sinks::mail::{Envelope, Mailer};
use crate::store::{
    digest_tick_lease, DigestKind, DigestRecord, DigestState, LeaseState, StoreBackend, StoredItem,
    DIGEST_BUILD_LEASE,
};
use crate::transforms::claims;
use crate::watchlist::WatchSet;

/// Stored claims passed beside a digest claim (a claim keeps links to at most 12); the
/// renderer groups them by value and collapses corroborations to one line.
const MAX_RELATED_SHOWN: usize = 12;

/// How a digest run should end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestMode {
    /// Write to the store, send, and clear the pending items once accepted.
    Send,
    /// Render only: print, keep everything pending, write nothing.
    DryRun,
}

/// A rendered digest for one recipient set, before it is stored or sent.
pub struct BuiltDigest {
    pub recipients: Vec<String>,
    pub item_ids: Vec<String>,
    pub claims: usize,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// What was rendered: the JSON a webhook is sent.
    pub data: Digest,
}

fn display_status(s: ClaimStatus) -> String {
    s.as_str().to_uppercase()
}

fn date_str(d: Option<DateTime<Utc>>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
}

/// Build the digests of the pending items that no queued digest holds yet.
pub fn build_digests(
    ctx: &Context,
    watch: &WatchSet,
    now: DateTime<Utc>,
    mode: DigestMode,
) -> Result<Vec<BuiltDigest>> {
    let store = &*ctx.store;
    // Stories a queued (or parked) digest holds are resent with it; a dry run shows every
    // pending story.
    let held: HashSet<String> = if mode == DigestMode::DryRun {
        HashSet::new()
    } else {
        store
            .unsent_digests()?
            .into_iter()
            .flat_map(|d| d.item_ids)
            .collect()
    };
    let mut items = Vec::new();
    for id in store.pending_ids()? {
        if held.contains(&id) {
            continue;
        }
        match store.item(&id)? {
            Some(item) => items.push(item),
            None => warn!(item = %id, "pending item missing from the store; skipped"),
        }
    }
    if items.is_empty() {
        return Ok(Vec::new());
    }
    items.sort_by_key(|i| std::cmp::Reverse(i.published.unwrap_or(i.first_seen)));
    // A digest stays a readable size: the newest stories go now, the rest stay pending
    // for the next digest (and this one says how many).
    let cap = ctx.config.email.max_stories_per_digest;
    let held_back = items.len().saturating_sub(cap);
    if held_back > 0 {
        warn!(
            pending = items.len(),
            cap, held_back, "more stories pending than a digest takes; the rest wait"
        );
        items.truncate(cap);
    }

    // Recipient sets: a watchlist's own recipients, else email.to.
    let recipients_of = |wl: &str| -> Vec<String> {
        let mut r = watch
            .lists
            .iter()
            .find(|l| l.id == wl)
            .and_then(|l| l.recipients.clone())
            .unwrap_or_else(|| ctx.config.email.to.clone());
        r.sort();
        r.dedup();
        r
    };
    let mut sets: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    let mut all_lists: Vec<String> = items.iter().flat_map(|i| i.watchlists.clone()).collect();
    all_lists.sort();
    all_lists.dedup();
    for wl in all_lists {
        sets.entry(recipients_of(&wl)).or_default().push(wl);
    }

    let silent_after = Duration::hours(i64::from(ctx.config.fetch.silent_after_hours));
    let failing_feeds: Vec<digest_sink::FailingFeed> = store
        .all_feed_states()?
        .iter()
        .filter_map(|s| needs_attention(s, now, silent_after))
        .collect();

    let mut out = Vec::new();
    for (recipients, lists) in sets {
        let mut digest = Digest {
            generated_at: now.to_rfc3339(),
            failing_feeds: failing_feeds.clone(),
            held_back,
            ..Default::default()
        };
        let mut item_ids = Vec::new();
        let mut claim_count = 0;
        for wl in &lists {
            let name = watch
                .lists
                .iter()
                .find(|l| &l.id == wl)
                .map(|l| l.name.clone())
                .unwrap_or_else(|| wl.clone());
            let mut group = DigestGroup {
                watchlist_id: wl.clone(),
                watchlist_name: name,
                stories: Vec::new(),
            };
            for item in items.iter().filter(|i| i.watchlists.contains(wl)) {
                // A story in two watchlists of one digest appears under the first only.
                if item_ids.contains(&item.id) {
                    continue;
                }
                item_ids.push(item.id.clone());
                let story = digest_story(store, watch, item)?;
                claim_count += story.claims.len();
                group.stories.push(story);
            }
            if !group.stories.is_empty() {
                digest.groups.push(group);
            }
        }
        digest.subject = digest_sink::subject_line(&ctx.config.email.subject_prefix, &digest);
        let rendered = digest_sink::render(&digest)?;
        out.push(BuiltDigest {
            recipients,
            item_ids,
            claims: claim_count,
            subject: digest.subject.clone(),
            text: rendered.text,
            html: rendered.html,
            data: digest,
        });
    }
    Ok(out)
}

/// A source the digest lists as needing attention, until it recovers: a feed that is
/// failing (from its first failure), or one that carried no new entry for `silent_after`.
pub fn needs_attention(
    s: &crate::store::FeedState,
    now: DateTime<Utc>,
    silent_after: Duration,
) -> Option<digest_sink::FailingFeed> {
    let name = s.name.clone().unwrap_or_else(|| s.url.clone());
    if s.consecutive_failures > 0 {
        return Some(digest_sink::FailingFeed {
            name,
            url: s.url.clone(),
            error: s.last_error.clone().unwrap_or_default(),
            consecutive_failures: s.consecutive_failures,
            since: date_str(s.failing_since),
        });
    }
    let quiet_since = s.last_new_entry?;
    (now - quiet_since >= silent_after).then(|| digest_sink::FailingFeed {
        name,
        url: s.url.clone(),
        error: format!(
            "no new item for {} days",
            (now - quiet_since).num_days().max(1)
        ),
        consecutive_failures: 0,
        since: date_str(Some(quiet_since)),
    })
}

/// Independent sources among the stored claims that agree: each source once (not the
/// story's own), and one wire text once however many outlets carried it (the same quote,
/// normalised, is the same sentence syndicated: a copy, not corroboration).
/// A related claim with no relation of its own takes the new claim's (`corroborates`).
pub fn independent_sources(
    related: &[digest_sink::RelatedClaim],
    own_source: &str,
    corroborates: bool,
) -> usize {
    let mut sources: HashSet<String> = HashSet::new();
    let mut texts: HashSet<String> = HashSet::new();
    let mut count = 0;
    let agrees = |r: &&digest_sink::RelatedClaim| {
        r.relation == "agrees with" || (r.relation.is_empty() && corroborates)
    };
    for r in related.iter().filter(agrees) {
        let source = r.source.trim().to_lowercase();
        let text = crate::transforms::normalize::normalize_phrase(&r.quote);
        if source == own_source.trim().to_lowercase() {
            continue;
        }
        let new_source = sources.insert(source);
        let new_text = texts.insert(text);
        if new_source && new_text {
            count += 1;
        }
    }
    count
}

fn digest_story(
    store: &dyn StoreBackend,
    watch: &WatchSet,
    item: &StoredItem,
) -> Result<DigestStory> {
    let mut entities = Vec::new();
    for e in &item.entities {
        let label = item
            .watchlists
            .iter()
            .find_map(|wl| watch.entity(wl, e))
            .or_else(|| {
                watch
                    .lists
                    .iter()
                    .find_map(|l| l.entities.iter().find(|x| &x.id == e))
            })
            .map(|x| x.label.clone())
            .unwrap_or_else(|| e.clone());
        entities.push(label);
    }
    let mut claims_out = Vec::new();
    for key in &item.claim_keys {
        let Some(rec) = store.claim(key)? else {
            continue;
        };
        // Mailed at once as an urgent alert: not presented as new again.
        if rec.alerted_at.is_some() {
            continue;
        }
        let mut related = Vec::new();
        for (n, rk) in rec.related.iter().enumerate() {
            if let Some(r) = store.claim(rk)? {
                related.push(digest_sink::RelatedClaim {
                    relation: rec.relations.get(n).cloned().unwrap_or_default(),
                    // A figure of another measure (casualties beside a death toll) says so.
                    value: if r.stored.claim.measure == rec.stored.claim.measure {
                        claims::format_value(&r.stored.claim)
                    } else {
                        format!(
                            "{} ({})",
                            claims::format_value(&r.stored.claim),
                            claims::describe(&r.stored.claim)
                        )
                    },
                    source: r.stored.source.clone(),
                    url: r.stored.item_url.clone(),
                    date: Some(r.stored.shown_date()),
                    quote: r.stored.claim.quote.clone(),
                    attributed_to: r.stored.claim.attributed_to.clone(),
                });
            }
        }
        let independent_sources = independent_sources(
            &related,
            &item.source,
            rec.stored.status == ClaimStatus::Corroborates,
        );
        // The most telling first (contradictions), then the newest; a few, not all.
        related.sort_by_key(|r| {
            (
                r.relation != "contradicts",
                std::cmp::Reverse(r.date.clone()),
            )
        });
        let related_more = related.len().saturating_sub(MAX_RELATED_SHOWN);
        related.truncate(MAX_RELATED_SHOWN);
        let c = &rec.stored.claim;
        claims_out.push(DigestClaim {
            status: display_status(rec.stored.status),
            // What it counts in words ("homes destroyed"), never an internal id.
            subject: claims::describe(c),
            measure: String::new(),
            value: claims::format_value(c),
            attributed_to: c.attributed_to.clone(),
            quote: c.quote.clone(),
            related,
            related_more,
            independent_sources,
        });
    }
    Ok(DigestStory {
        title: item.title.clone(),
        url: item.url.clone(),
        source: item.source.clone(),
        published: date_str(item.published),
        entities,
        also_reported_by: item
            .also_reported_by
            .iter()
            .map(|(s, u)| digest_sink::AlsoReported {
                source: s.clone(),
                url: u.clone(),
            })
            .collect(),
        claims: claims_out,
    })
}

/// Build, store and send the new digests, and send the queued ones again (every one: a
/// manual run is a manual run). Parked digests are not sent (`newswatch resend`).
pub async fn digest(
    ctx: &Arc<Context>,
    watch: &WatchSet,
    mode: DigestMode,
) -> Result<(Vec<DigestReport>, Vec<BuiltDigest>)> {
    digest_due(ctx, watch, mode, super::outbox::Due::All).await
}

/// [`digest`], trying only the queued digests that `due` allows (the daemon honours each
/// one's backoff).
pub async fn digest_due(
    ctx: &Arc<Context>,
    watch: &WatchSet,
    mode: DigestMode,
    due: super::outbox::Due,
) -> Result<(Vec<DigestReport>, Vec<BuiltDigest>)> {
    let now = Utc::now();
    if mode == DigestMode::DryRun {
        let built = build_digests(ctx, watch, now, mode)?;
        let reports = built
            .iter()
            .map(|b| DigestReport {
                status: "not_sent".into(),
                recipients: b.recipients.clone(),
                message_id: None,
                items: b.item_ids.len(),
                claims: b.claims,
                error: None,
            })
            .collect();
        return Ok((reports, built));
    }
    // Checked before anything is queued: a transport that cannot be built is the
    // command's error.
    Mailer::from_config(&ctx.config.email)?;
    // Built and queued by one instance at a time: two instances sharing a store never put
    // one pending story in two digests.
    take_build_lease(ctx).await?;
    let queued = queue_built(ctx, watch, now);
    if let Err(e) = ctx.store.release_leases(&[DIGEST_BUILD_LEASE.to_string()]) {
        warn!(error = %format!("{e:#}"), "could not give back the digest-building lease");
    }
    let built = queued?;
    // Retries first (oldest first): a digest keeps its Message-ID and content across
    // attempts. Alerts are retried after each poll cycle (pipeline::alerts).
    let reports = super::outbox::send_queued(ctx, DigestKind::Digest, due).await?;
    for w in super::webhooks::deliver(ctx).await? {
        info!(status = %w.status, url = ?w.recipients, "webhook after the digest");
    }
    Ok((reports, built))
}

/// What the daemon's digest at one schedule tick did.
#[derive(Debug)]
pub enum TickOutcome {
    /// This instance took the tick: the digest was built, queued and sent (or not).
    Built(Vec<DigestReport>),
    /// Another instance sharing the store holds the tick: it builds this tick's digest. The
    /// daemon asks again later, in case that instance dies first.
    Elsewhere,
    /// The tick's digest was already built (by another instance).
    Finished,
}

/// The daemon's digest at the schedule tick `tick`: one digest per tick for every instance
/// sharing the store. The instance that takes the tick's lease builds, queues and sends it,
/// then marks the tick finished; if it dies first, the lease runs out and the next
/// instance to ask takes the tick over.
pub async fn digest_tick(
    ctx: &Arc<Context>,
    watch: &WatchSet,
    tick: DateTime<Utc>,
    due: super::outbox::Due,
) -> Result<TickOutcome> {
    let name = digest_tick_lease(tick);
    if ctx
        .store
        .take_leases(std::slice::from_ref(&name), ctx.config.store.lease)?
        .is_empty()
    {
        return Ok(match ctx.store.lease_state(&name)? {
            LeaseState::Finished => TickOutcome::Finished,
            _ => TickOutcome::Elsewhere,
        });
    }
    match digest_due(ctx, watch, DigestMode::Send, due).await {
        Ok((reports, _)) => {
            ctx.store.finish_lease(&name)?;
            Ok(TickOutcome::Built(reports))
        }
        Err(e) => {
            // Another instance (or this one, later) may try the tick again.
            if let Err(r) = ctx.store.release_leases(std::slice::from_ref(&name)) {
                warn!(error = %format!("{r:#}"), "could not give back the digest tick's lease");
            }
            Err(e)
        }
    }
}

/// How long one instance may hold the digest-building lease (building and queuing take
/// well under a second; a dead holder's lease runs out after this).
const BUILD_LEASE: std::time::Duration = std::time::Duration::from_secs(60);

/// Take the digest-building lease, waiting (up to `BUILD_LEASE`) while another instance
/// holds it.
async fn take_build_lease(ctx: &Context) -> Result<()> {
    let name = [DIGEST_BUILD_LEASE.to_string()];
    let started = std::time::Instant::now();
    loop {
        if !ctx.store.take_leases(&name, BUILD_LEASE)?.is_empty() {
            return Ok(());
        }
        if started.elapsed() > BUILD_LEASE {
            anyhow::bail!(
                "another instance sharing the store has been building digests for {} s; try again later",
                BUILD_LEASE.as_secs()
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
}

/// Build the digests of the pending stories and write them to the store as `Queued`.
fn queue_built(ctx: &Context, watch: &WatchSet, now: DateTime<Utc>) -> Result<Vec<BuiltDigest>> {
    let built = build_digests(ctx, watch, now, DigestMode::Send)?;
    for b in &built {
        // Unique in the store even for two runs in one second or a clock stepped back.
        let id = format!("{}-{}", now.format("%Y%m%dT%H%M%SZ"), ctx.store.next_id()?);
        let hash = crate::transforms::dedup::stable_id(&format!("{id}|{}", b.item_ids.join(",")));
        let record = DigestRecord {
            message_id: crate::sinks::mail::message_id_for(
                &format!("{id}-{}", &hash[..8]),
                &crate::sinks::mail::domain_of(&ctx.config.email.from).unwrap_or_default(),
            ),
            id,
            created_at: now,
            recipients: b.recipients.clone(),
            subject: b.subject.clone(),
            text: b.text.clone(),
            html: b.html.clone(),
            item_ids: b.item_ids.clone(),
            claims: b.claims,
            state: DigestState::Queued,
            attempts: 0,
            last_error: None,
            sent_at: None,
            next_attempt_at: None,
            permanent_failures: 0,
            kind: DigestKind::Digest,
        };
        // Written before it is sent: a crash mid-send resends it, never loses it.
        ctx.store.put_digest(&record)?;
        super::webhooks::enqueue(
            ctx,
            crate::config::WebhookEvent::Digest,
            &record.id,
            serde_json::json!({
                "message_id": record.message_id,
                "recipients": record.recipients,
                "subject": record.subject,
                "digest": b.data,
            }),
            now,
        )?;
    }
    ctx.store.flush()?;
    Ok(built)
}

/// The message of a stored digest or alert, as sent every time (same Message-ID).
pub(super) fn envelope_of(from: &str, record: &DigestRecord) -> Envelope {
    Envelope {
        from: from.to_string(),
        to: record.recipients.clone(),
        subject: record.subject.clone(),
        message_id: record.message_id.clone(),
        date: record.created_at,
        text: record.text.clone(),
        html: record.html.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agreeing(source: &str, quote: &str) -> digest_sink::RelatedClaim {
        digest_sink::RelatedClaim {
            relation: "agrees with".into(),
            value: "1,000".into(),
            source: source.into(),
            quote: quote.into(),
            ..Default::default()
        }
    }

    #[test]
    fn syndicated_copies_are_not_independent_sources() {
        let wire = "Lawmakers were told a thousand North Korean soldiers had been killed.";
        let related = vec![
            agreeing("Wire A", wire),
            // The same sentence under other outlets: copies of Wire A's text.
            agreeing("Daily B", wire),
            agreeing("Gazette C", &format!("  {}", wire.to_uppercase())),
            // Its own words: independent.
            agreeing(
                "Herald D",
                "About 1,000 of the deployed troops have died, officials say.",
            ),
            // Wire A again with another sentence: still one source.
            agreeing("Wire A", "A thousand soldiers died, the lawmakers said."),
            // The story's own source is not a second voice.
            agreeing("Own Desk", "Own words about a thousand dead."),
            digest_sink::RelatedClaim {
                relation: "contradicts".into(),
                source: "Ledger E".into(),
                quote: "Six hundred died.".into(),
                ..Default::default()
            },
        ];
        assert_eq!(independent_sources(&related, "Own Desk", true), 2);
        // An empty relation takes the claim's status.
        let mut unlabelled = agreeing("Wire A", wire);
        unlabelled.relation.clear();
        assert_eq!(independent_sources(&[unlabelled.clone()], "X", true), 1);
        assert_eq!(independent_sources(&[unlabelled], "X", false), 0);
    }
}
