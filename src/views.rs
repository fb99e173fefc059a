//! What `claims`, `feeds` and `status` show, read from the store and rendered as text or
//! JSON: one module that both the commands (`cmd/query.rs`, reading the store themselves)
//! and the daemon's control socket (answering for them while it holds the store) use.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::Result;
use serde::Serialize;

use crate::config::Config;
use crate::status::Live;
use crate::store::{ClaimRecord, StoreBackend};

/// "1 story", "3 stories": a count with its noun in the right number.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// `status`: the store's view joined with the daemon's own (`live`, when it answers).
pub fn render_status(
    store: &dyn StoreBackend,
    config: &Config,
    live: Option<&Live>,
    json: bool,
) -> Result<String> {
    let status = crate::status::gather(store, config, live, chrono::Utc::now())?;
    if json {
        return Ok(serde_json::to_string_pretty(&status)? + "\n");
    }
    Ok(crate::status::render_text(&status))
}

#[derive(Serialize)]
struct ClaimGroup {
    /// What the group counts, in words ("homes destroyed", "North Korean troops killed").
    about: String,
    subject: String,
    role: String,
    measure: String,
    unit: String,
    kind: crate::model::ClaimKind,
    period: Option<String>,
    /// True when a claim of this group contradicts another.
    conflict: bool,
    claims: Vec<ClaimOut>,
}

#[derive(Serialize)]
struct ClaimOut {
    status: crate::model::ClaimStatus,
    value: f64,
    value_max: Option<f64>,
    approx: crate::model::Approx,
    display: String,
    attributed_to: Option<String>,
    source: String,
    item_url: String,
    published: Option<String>,
    first_seen: String,
    /// The date to show: the story's (YYYY-MM-DD), else when it was read; "undated" for
    /// a baseline document that gives none.
    date: String,
    quote: String,
    entities: Vec<String>,
    increment: bool,
    modality: crate::model::Modality,
    polarity: crate::model::Polarity,
    scope: Option<crate::model::TimeScope>,
    /// The stored claims it was compared with when it was read.
    compared_with: Vec<ComparedWith>,
}

#[derive(Serialize)]
struct ComparedWith {
    /// contradicts | agrees | updates | compared (how this claim relates to it)
    relation: String,
    value: f64,
    value_max: Option<f64>,
    display: String,
    source: String,
    /// The story's date (YYYY-MM-DD), else when it was read.
    date: String,
    attributed_to: Option<String>,
    item_url: String,
    quote: String,
}

/// Stored claims grouped by what they are about (subject, measure, unit).
pub fn render_claims(store: &dyn StoreBackend, entity: Option<&str>, json: bool) -> Result<String> {
    let records = store.claims_list(entity)?;
    let mut groups: BTreeMap<String, ClaimGroup> = BTreeMap::new();
    for (_, rec) in records {
        let ClaimRecord {
            stored,
            entities,
            related,
            relations,
            ..
        } = rec;
        let c = &stored.claim;
        let mut compared_with = Vec::new();
        for (n, k) in related.iter().enumerate() {
            if let Some(r) = store.claim(k)? {
                let o = &r.stored;
                compared_with.push(ComparedWith {
                    relation: relations
                        .get(n)
                        .cloned()
                        .unwrap_or_else(|| "compared".into()),
                    value: o.claim.value,
                    value_max: o.claim.value_max,
                    display: crate::transforms::claims::format_value(&o.claim),
                    source: o.source.clone(),
                    date: o.shown_date(),
                    attributed_to: o.claim.attributed_to.clone(),
                    item_url: o.item_url.clone(),
                    quote: o.claim.quote.clone(),
                });
            }
        }
        let g = groups.entry(c.key()).or_insert_with(|| ClaimGroup {
            about: if c.open {
                format!("{}: {}", c.subject, crate::transforms::claims::describe(c))
            } else {
                crate::transforms::claims::describe(c)
            },
            subject: c.subject.clone(),
            role: c.role.clone(),
            measure: c.measure.clone(),
            unit: c.unit.clone(),
            kind: c.kind,
            period: c.period.clone(),
            conflict: false,
            claims: Vec::new(),
        });
        g.conflict |= stored.status == crate::model::ClaimStatus::Contradicts;
        g.claims.push(ClaimOut {
            status: stored.status,
            value: c.value,
            value_max: c.value_max,
            approx: c.approx,
            display: crate::transforms::claims::format_value(c),
            attributed_to: c.attributed_to.clone(),
            source: stored.source.clone(),
            item_url: stored.item_url.clone(),
            published: stored.published.map(|p| p.to_rfc3339()),
            first_seen: stored.first_seen.to_rfc3339(),
            date: stored.shown_date(),
            quote: c.quote.clone(),
            entities,
            increment: c.increment,
            modality: c.modality,
            polarity: c.polarity,
            scope: c.scope.clone(),
            compared_with,
        });
    }
    let groups: Vec<ClaimGroup> = groups.into_values().collect();
    if json {
        return Ok(serde_json::to_string_pretty(&groups)? + "\n");
    }
    let mut out = String::new();
    if groups.is_empty() {
        out.push_str("no claims stored\n");
    }
    for g in &groups {
        let _ = writeln!(
            out,
            "{} ({}, {}{}){}",
            g.about,
            g.unit,
            g.kind.as_str().replace('_', " "),
            g.period
                .as_deref()
                .map(|p| format!(", {p}"))
                .unwrap_or_default(),
            if g.conflict { "  [CONFLICT]" } else { "" }
        );
        for c in &g.claims {
            let date = c.date.as_str();
            // A plan, an expectation, a hedge or a denial is said so beside the figure.
            let hedge = match (c.modality, c.polarity) {
                (_, crate::model::Polarity::Negative) if g.unit != "bool" => " [denied]",
                (crate::model::Modality::Planned, _) => " [planned]",
                (crate::model::Modality::Expected, _) => " [expected]",
                (crate::model::Modality::Possible, _) => " [possible]",
                _ => "",
            };
            let _ = writeln!(
                out,
                "  {:<12} {:<18} {} ({}){}{hedge}",
                c.status.as_str().to_uppercase(),
                c.display,
                c.source,
                date.get(..10).unwrap_or(date),
                c.attributed_to
                    .as_deref()
                    .map(|a| format!(", according to {a}"))
                    .unwrap_or_default()
            );
            let _ = writeln!(out, "               “{}”", c.quote.trim());
            for w in &c.compared_with {
                let _ = writeln!(
                    out,
                    "               vs {} — {} ({}){} [{}]",
                    w.display,
                    w.source,
                    w.date,
                    w.attributed_to
                        .as_deref()
                        .map(|a| format!(", according to {a}"))
                        .unwrap_or_default(),
                    w.relation
                );
            }
        }
        out.push('\n');
    }
    Ok(out)
}

#[derive(Serialize)]
struct FeedOut {
    url: String,
    name: Option<String>,
    last_attempt: Option<String>,
    last_success: Option<String>,
    consecutive_failures: u32,
    failing_since: Option<String>,
    last_error: Option<String>,
    items_seen: u64,
    discovered_url: Option<String>,
    /// When the daemon checks it next (after a failure's backoff, a freshness hint or its
    /// host's Retry-After); null: at every poll.
    next_check: Option<String>,
    /// When it last carried a new entry.
    last_new_entry: Option<String>,
}

/// Every configured feed (and any feed the store still knows) with its state.
pub fn render_feeds(store: &dyn StoreBackend, config: &Config, json: bool) -> Result<String> {
    let mut out_rows = Vec::new();
    let mut known: BTreeMap<String, crate::store::FeedState> = store
        .all_feed_states()?
        .into_iter()
        .map(|s| (s.url.clone(), s))
        .collect();
    // Whole seconds: a reader wants "10:00:04Z", not nanoseconds.
    let ts = |d: Option<chrono::DateTime<chrono::Utc>>| {
        d.map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    };
    for f in &config.feeds {
        let s = known.remove(&f.url).unwrap_or_default();
        out_rows.push(FeedOut {
            url: f.url.clone(),
            name: f.name.clone().or(s.name),
            last_attempt: ts(s.last_attempt),
            last_success: ts(s.last_success),
            consecutive_failures: s.consecutive_failures,
            failing_since: ts(s.failing_since),
            last_error: s.last_error,
            items_seen: s.items_seen,
            discovered_url: s.discovered_url,
            next_check: ts(s.next_check),
            last_new_entry: ts(s.last_new_entry),
        });
    }
    if json {
        return Ok(serde_json::to_string_pretty(&out_rows)? + "\n");
    }
    let mut out = String::new();
    for r in &out_rows {
        let state = match (&r.last_error, r.consecutive_failures) {
            (Some(e), n) if n > 0 => format!("FAILING ×{n}: {e}"),
            _ if r.last_attempt.is_none() => "never polled".to_string(),
            _ => "ok".to_string(),
        };
        let _ = writeln!(out, "{}\n  {}", r.name.as_deref().unwrap_or(&r.url), r.url);
        let _ = writeln!(
            out,
            "  {state}; last attempt {}, last success {}, {} seen\n",
            r.last_attempt.as_deref().unwrap_or("never"),
            r.last_success.as_deref().unwrap_or("never"),
            count(
                usize::try_from(r.items_seen).unwrap_or(usize::MAX),
                "item",
                "items"
            )
        );
    }
    Ok(out)
}
