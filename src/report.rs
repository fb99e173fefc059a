//! The `--json` cycle report: a contract boundary (../shared/INTERFACE.md). Fields are
//! only ever added, never renamed or dropped.

use serde::Serialize;

#[derive(Debug, Clone, Serialize, Default)]
pub struct CycleReport {
    pub started_at: String,
    pub finished_at: String,
    pub feeds: Vec<FeedReport>,
    pub items: Vec<ItemReport>,
    pub claims: Vec<ClaimReport>,
    /// The digest of this run (`once`); null for `poll`. When watchlists have different
    /// recipients there is one digest per recipient set: this is their sum, and `digests`
    /// lists each.
    pub digest: Option<DigestReport>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub digests: Vec<DigestReport>,
    /// Urgent alerts sent (or left queued) at the end of this cycle: one per claim a
    /// watchlist's `alert_now` asked for and recipient set, and the retries of earlier ones.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alerts: Vec<DigestReport>,
    /// Webhook messages (`[[webhooks]]`) delivered or left queued at the end of this cycle:
    /// `recipients` holds the URL, `message_id` the id sent as `X-Newswatch-Id`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub webhooks: Vec<DigestReport>,
}

/// How a feed's poll ended; serialized as the contract's strings.
#[derive(Debug, Clone, Copy, Serialize, Default, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FeedStatus {
    /// `"ok"`: fetched and read.
    Ok,
    /// `"not_modified"`: the server said nothing changed (304).
    NotModified,
    /// `"error"`: anything else; `error` says why. A feed's row starts as this until its
    /// outcome is stored, so a feed whose work never finished is still reported.
    #[default]
    Error,
}

impl FeedStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FeedStatus::Ok => "ok",
            FeedStatus::NotModified => "not_modified",
            FeedStatus::Error => "error",
        }
    }
}

impl std::fmt::Display for FeedStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct FeedReport {
    pub url: String,
    pub name: String,
    /// ok | not_modified | error
    pub status: FeedStatus,
    pub items_total: usize,
    pub items_new: usize,
    pub error: Option<String>,
    /// Items older than the backfill window on a feed's first poll: marked seen only.
    pub items_backfilled: usize,
    /// New entries beyond `fetch.max_items_per_feed`: not read in this cycle, not marked
    /// seen, read at the next.
    pub items_held_back: usize,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct ItemReport {
    pub id: String,
    pub url: String,
    pub title: String,
    pub feed: String,
    pub published: Option<String>,
    pub watchlists: Vec<String>,
    pub entities: Vec<String>,
    pub duplicate_of: Option<String>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct ClaimReport {
    pub item_url: String,
    pub quote: String,
    pub subject: String,
    /// What is counted: a lexicon id ("people", "homes"), `lang:stem` for a noun the
    /// lexicon does not know, or a role (`troops`, `sappers`).
    pub counted: String,
    pub measure: String,
    pub value: f64,
    pub value_max: Option<f64>,
    pub approx: crate::model::Approx,
    pub unit: String,
    /// running_total | level | flow | increment | forecast | event_date | status
    pub kind: String,
    /// The text marks the figure as the current one ("now", "as of", "désormais").
    pub current: bool,
    /// The text denies the figure ("did not send 5,000", "n'a pas envoyé 5 000"): the
    /// digest marks it `[denied]`, and it is compared with nothing.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub negated: bool,
    /// The text sets the figure against another one ("well above the ministry's", "et
    /// non 1 500 comme l'affirme", "а не"): a rival estimate, not a later value.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub rival: bool,
    /// The figure adds to an earlier one ("another 500", "500 de plus", "ещё 300").
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub increment: bool,
    /// The place or part the figure is counted for ("ostrava", "part of a whole"), when
    /// the text names one: two places are two quantities.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The period of a flow ("2023", "3 months", "week", "per day").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    pub attributed_to: Option<String>,
    pub status: crate::model::ClaimStatus,
    pub related: Vec<RelatedReport>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct RelatedReport {
    pub item_url: String,
    pub source: String,
    pub value: f64,
    pub value_max: Option<f64>,
    pub quote: String,
    pub first_seen: String,
    pub attributed_to: Option<String>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct DigestReport {
    /// sent | queued | empty | not_sent
    pub status: String,
    pub recipients: Vec<String>,
    pub message_id: Option<String>,
    pub items: usize,
    pub claims: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl DigestReport {
    pub fn empty() -> DigestReport {
        DigestReport {
            status: "empty".into(),
            ..Default::default()
        }
    }

    /// The sum of several digests (one per recipient set) for the contract's single object.
    pub fn combine(parts: &[DigestReport]) -> DigestReport {
        if parts.is_empty() {
            return DigestReport::empty();
        }
        let status = if parts.iter().any(|p| p.status == "queued") {
            "queued"
        } else if parts.iter().all(|p| p.status == "empty") {
            "empty"
        } else if parts.iter().any(|p| p.status == "not_sent") {
            "not_sent"
        } else {
            "sent"
        };
        let mut recipients: Vec<String> = parts
            .iter()
            .flat_map(|p| p.recipients.iter().cloned())
            .collect();
        recipients.sort();
        recipients.dedup();
        DigestReport {
            status: status.into(),
            recipients,
            message_id: parts.iter().find_map(|p| p.message_id.clone()),
            items: parts.iter().map(|p| p.items).sum(),
            claims: parts.iter().map(|p| p.claims).sum(),
            error: parts.iter().find_map(|p| p.error.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_statuses_serialize_to_the_contracts_strings() {
        for (status, text) in [
            (FeedStatus::Ok, "ok"),
            (FeedStatus::NotModified, "not_modified"),
            (FeedStatus::Error, "error"),
        ] {
            assert_eq!(
                serde_json::to_value(status).ok(),
                Some(serde_json::json!(text))
            );
            assert_eq!(status.to_string(), text);
        }
    }
}
