//! Claims: sentences that name a watch entity and carry a counted number → `Claim`s;
//! comparison of a new claim with stored ones → new / corroborates / contradicts / updates.
//! OWNER: claims helper. Interface (keep): `extract_claims`, `compare`, `Comparison`.
use chrono::{DateTime, Utc};

use crate::model::{Claim, ClaimStatus, EntityMatch, StoredClaim};

/// Read the claims of `text`. `matches` are the watch entities found in that same text
/// (byte offsets into it); `published` dates relative expressions.
pub fn extract_claims(
    text: &str,
    matches: &[EntityMatch],
    lang: Option<&str>,
    published: Option<DateTime<Utc>>,
) -> Vec<Claim> {
    let _ = (text, matches, lang, published);
    Vec::new()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub status: ClaimStatus,
    /// Indices into the `stored` slice of the claims it was compared with.
    pub related: Vec<usize>,
}

/// Compare `claim` (from `source`) with the stored claims of the same key.
pub fn compare(claim: &Claim, source: &str, stored: &[StoredClaim]) -> Comparison {
    let _ = (claim, source, stored);
    Comparison {
        status: ClaimStatus::New,
        related: Vec::new(),
    }
}

/// The value as a reader would say it: "about 600", "3,000–4,000".
pub fn format_value(claim: &Claim) -> String {
    match claim.value_max {
        Some(max) => format!("{}–{}", claim.value, max),
        None => format!("{:?} {}", claim.approx, claim.value),
    }
}
