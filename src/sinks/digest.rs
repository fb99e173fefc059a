//! Pending stories and claims → the digest's plain text and HTML. Pure; feed text escaped.
//! OWNER: sinks helper. Interface (keep): the Digest* types and `render`.
use serde::Serialize;

#[derive(Debug, Clone, Serialize, Default)]
pub struct Digest {
    pub subject: String,
    /// RFC 3339.
    pub generated_at: String,
    pub groups: Vec<DigestGroup>,
    pub failing_feeds: Vec<FailingFeed>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct DigestGroup {
    pub watchlist_id: String,
    pub watchlist_name: String,
    pub stories: Vec<DigestStory>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct DigestStory {
    pub title: String,
    pub url: String,
    pub source: String,
    pub published: Option<String>,
    /// Entity labels.
    pub entities: Vec<String>,
    pub also_reported_by: Vec<AlsoReported>,
    pub claims: Vec<DigestClaim>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct AlsoReported {
    pub source: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct DigestClaim {
    /// NEW | CONTRADICTS | CORROBORATES | UPDATES
    pub status: String,
    pub subject: String,
    pub measure: String,
    /// Human text of the value: "about 600", "3,000–4,000".
    pub value: String,
    pub attributed_to: Option<String>,
    pub quote: String,
    pub related: Vec<RelatedClaim>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct RelatedClaim {
    pub value: String,
    pub source: String,
    pub url: String,
    pub date: Option<String>,
    pub quote: String,
    pub attributed_to: Option<String>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct FailingFeed {
    pub name: String,
    pub url: String,
    pub error: String,
    pub consecutive_failures: u32,
    pub since: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Rendered {
    pub text: String,
    pub html: String,
}

pub fn render(digest: &Digest) -> anyhow::Result<Rendered> {
    let _ = digest;
    anyhow::bail!("digest rendering not written yet")
}
