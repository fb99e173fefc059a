//! Plain data shared by every stage of the pipeline: no I/O, no async, no clock.
//!
//! Dependencies point toward this module; it depends on nothing of the crate.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One entry of a feed or of a scraped list page, as the source read it.
/// All text fields are plain text (HTML stripped, entities decoded), never trusted markup.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// The feed (or list page) URL this item came from.
    pub feed_url: String,
    /// The entry's guid / Atom id / JSON Feed id, when it has one.
    pub guid: Option<String>,
    /// The entry's link, absolute.
    pub url: Option<String>,
    pub title: String,
    /// Summary / description as plain text.
    pub summary: Option<String>,
    /// Full content (`content:encoded`, Atom content) as plain text.
    pub content: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub author: Option<String>,
    /// Language tag from the feed or entry (`en`, `fr-FR`, `ru`), when declared.
    pub lang: Option<String>,
}

/// What a source read from one feed document or list page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedFeed {
    pub title: Option<String>,
    pub lang: Option<String>,
    pub items: Vec<Item>,
    /// RSS `<ttl>`: minutes the feed may be cached.
    pub ttl_mins: Option<u32>,
}

/// The main article of an HTML page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub title: Option<String>,
    pub byline: Option<String>,
    /// As the page states it, normalised to RFC 3339 when it could be parsed.
    pub published: Option<String>,
    pub lang: Option<String>,
    /// The article text: paragraphs separated by blank lines, no boilerplate.
    pub body: String,
}

/// Where an entity was found in a text (byte offsets into the text given to the matcher).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityMatch {
    /// Watchlist id (file stem).
    pub watchlist: String,
    /// Entity id inside that watchlist.
    pub entity: String,
    /// The alias (as written in the watchlist) that matched.
    pub alias: String,
    /// The form found in the text (e.g. `Курской` for alias `Курск`).
    pub found: String,
    pub start: usize,
    pub end: usize,
    /// The entity's kind in its watchlist (`place`, `org`, `person`…), when known.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
}

/// How a number was qualified in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Approx {
    #[default]
    Exact,
    About,
    Over,
    AtLeast,
    UpTo,
    Under,
}

/// How a claim compares with what was stored before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    #[default]
    New,
    Corroborates,
    Contradicts,
    Updates,
}

impl ClaimStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::New => "new",
            ClaimStatus::Corroborates => "corroborates",
            ClaimStatus::Contradicts => "contradicts",
            ClaimStatus::Updates => "updates",
        }
    }
}

/// How firmly the text asserts a claim: a plan or a possibility is not a reported fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    /// Stated as a fact ("10,000 troops were sent").
    #[default]
    Asserted,
    /// Announced for the future ("1,000 sappers will be sent").
    Planned,
    /// Expected by someone ("an additional 5,000 expected to follow").
    Expected,
    /// Hedged ("may have died", "likely").
    Possible,
}

/// What sort of quantity a claim states: figures of different kinds are never compared
/// ("an additional 5,000" is not a rival of "10,000 sent so far").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// A cumulative count to date: sent, killed, casualties. The `running_total` flag says
    /// the text marked it "so far / now / as of", which lets a larger later figure update it.
    #[default]
    RunningTotal,
    /// A stock at one moment: present, stationed, working, at the front.
    Level,
    /// An amount over a stated period: trade in 2023, dead within three months.
    Flow,
    /// Added to an earlier figure: "an additional 5,000", "5,000 more".
    Increment,
    /// A projected figure: "trade is expected to reach $50 million".
    Forecast,
    /// The day an event happened; the value is the date as YYYYMMDD.
    EventDate,
    /// A yes/no statement; the value is 1 (yes) or 0 (no).
    Status,
}

impl ClaimKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimKind::RunningTotal => "running_total",
            ClaimKind::Level => "level",
            ClaimKind::Flow => "flow",
            ClaimKind::Increment => "increment",
            ClaimKind::Forecast => "forecast",
            ClaimKind::EventDate => "event_date",
            ClaimKind::Status => "status",
        }
    }
}

/// Whether the text asserts or denies what it states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    #[default]
    Positive,
    /// "sanctions are not violated", "denied that 6,000 were killed".
    Negative,
}

/// When a figure holds, as the text says it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum TimeScope {
    /// "as of May", "in April" (when the estimate was made).
    AsOf(String),
    /// "since September": the start of a running total.
    Since(String),
    /// "within three months": a flow over that many months.
    WithinMonths(u32),
    /// "in 2023": a flow over that calendar year.
    Year(i32),
    /// A short window: "in the past 24 hours", "overnight", "за последнюю неделю", "par
    /// jour" — `day`, `night`, `week`, `N days`, `N weeks`, `per day`.
    Window(String),
}

/// A factual assertion read from one sentence: "about 600 North Korean soldiers died".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// What the claim is about: an entity id (`dprk-troops`) or, failing that, a named group.
    pub subject: String,
    /// The role of the people counted (`sappers`, `builders`, `troops`, `workers`), empty
    /// for figures that are not about people (trade, debt, a treaty).
    #[serde(default)]
    pub role: String,
    /// What is counted or stated: `deployed`, `killed`, `casualties`, `status:violates`…
    pub measure: String,
    /// The lower (or only) value.
    pub value: f64,
    /// The upper value of a range ("3,000–4,000"), else None.
    pub value_max: Option<f64>,
    pub approx: Approx,
    /// `people`, `brigades`, `usd`, `percent`, `bool`, `date`…
    pub unit: String,
    /// True when the text marks it as an increment ("an additional 5,000").
    #[serde(default)]
    pub increment: bool,
    /// True when the text marks it as a running total ("so far", "now", "as of").
    #[serde(default)]
    pub running_total: bool,
    /// Who the text says made the claim ("South Korean intelligence"), if anyone.
    pub attributed_to: Option<String>,
    /// The sentence the claim was read from.
    pub quote: String,
    /// Byte offsets of the quote in the item text.
    pub quote_start: usize,
    pub quote_end: usize,
    /// Plan, expectation or hedge, when the text marks one.
    #[serde(default)]
    pub modality: Modality,
    /// The period a flow figure is for ("2023" for a year's trade turnover), when stated.
    /// Two claims with different periods are never compared.
    #[serde(default)]
    pub period: Option<String>,
    /// Running total, level, flow, increment, forecast, event date or status.
    #[serde(default)]
    pub kind: ClaimKind,
    /// When the figure holds ("since September", "within three months", "in 2023").
    #[serde(default)]
    pub scope: Option<TimeScope>,
    /// Asserted or denied.
    #[serde(default)]
    pub polarity: Polarity,
    /// Read by the open-vocabulary reader: `role` is the counted thing (a lexicon id or
    /// `lang:stem`), `measure` the predicate (a lexicon id or empty).
    #[serde(default)]
    pub open: bool,
    /// The sentence sets the figure against another one ("fewer than the governor's",
    /// "bien moins que", "утверждают, что лишь"): a rival estimate, not a later value.
    #[serde(default)]
    pub rival: bool,
    /// An earlier or a rival figure the sentence restates as a yardstick ("down from a
    /// peak of 90", "et non 1 500 comme l'affirme la Russie"): that figure again, never a
    /// later or a rival value of its own.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub restated: bool,
    /// The place the figure's clause puts it in ("in Montreal", "dans l'Artibonite", "в
    /// Чехии"), lower-case: a figure for one place may be a part of another's whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

impl Claim {
    /// The comparison key — what may be compared: subject, role, measure, unit class, kind
    /// and period. Claims are compared only with stored claims of the same key; the store
    /// indexes claims by it, so it must stay deterministic.
    pub fn key(&self) -> String {
        self.key_with_measure(&self.measure)
    }

    /// The key this claim would have with another measure (cross-measure checks).
    pub fn key_with_measure(&self, measure: &str) -> String {
        format!(
            "{}|{}|{}|{}|{}|{}",
            self.subject,
            self.role,
            measure,
            self.unit,
            self.kind.as_str(),
            self.period.as_deref().unwrap_or("")
        )
    }
}

/// A claim with where and when it was read: what the store keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredClaim {
    pub claim: Claim,
    pub item_id: String,
    pub item_url: String,
    /// The outlet or feed name.
    pub source: String,
    pub published: Option<DateTime<Utc>>,
    pub first_seen: DateTime<Utc>,
    pub status: ClaimStatus,
    /// Read from a baseline document (`seed`): without `published` it is undated, and
    /// `first_seen` (when it was seeded) is never shown as its date.
    #[serde(default)]
    pub baseline: bool,
}

impl StoredClaim {
    /// The date to show: the story's, else when it was read; a baseline document's
    /// claim with no date of its own says "undated".
    pub fn shown_date(&self) -> String {
        match (self.published, self.baseline) {
            (Some(p), _) => p.format("%Y-%m-%d").to_string(),
            (None, true) => "undated".to_string(),
            (None, false) => self.first_seen.format("%Y-%m-%d").to_string(),
        }
    }
}
