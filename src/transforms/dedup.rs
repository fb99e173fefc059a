//! Item identity: canonical URLs and stable ids, so an item seen once is never new again.
//!
//! Tiers, cheapest first: the canonical URL or the guid ([`ItemKeys`]), then the normalised
//! title within [`TITLE_WINDOW_HOURS`] ([`title_tier_key`]), then a fingerprint of the body
//! (`transforms::fingerprint`). The store keeps an index per tier; docs/dedup.md has the
//! method and its measured precision and recall.

use sha2::{Digest, Sha256};
use url::Url;

/// Query parameters that only track the reader and never change the document.
fn is_tracking_param(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with("utm_")
        || n.starts_with("mc_")
        || n.starts_with("pk_")
        || n.starts_with("piwik_")
        || n.starts_with("hsa_")
        || matches!(
            n.as_str(),
            "fbclid"
                | "gclid"
                | "dclid"
                | "gbraid"
                | "wbraid"
                | "msclkid"
                | "yclid"
                | "igshid"
                | "twclid"
                | "ttclid"
                | "_ga"
                | "_gl"
                | "_hsenc"
                | "_hsmi"
                | "mkt_tok"
                | "oly_anon_id"
                | "oly_enc_id"
                | "rb_clickid"
                | "s_cid"
                | "vero_id"
                | "wickedid"
                | "ref_src"
                | "cmpid"
                | "at_medium"
                | "at_campaign"
                | "xtor"
        )
}

/// The canonical form of a URL: lower-case scheme and host (the `url` crate does both),
/// no fragment, no default port, no tracking parameters, remaining query pairs sorted.
/// A string that is not an absolute URL is returned trimmed, unchanged.
pub fn canonical_url(raw: &str) -> String {
    let raw = raw.trim();
    let Ok(mut url) = Url::parse(raw) else {
        return raw.to_string();
    };
    url.set_fragment(None);
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !is_tracking_param(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    if pairs.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}

/// A short stable id (hex) for any key text.
pub fn stable_id(key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    digest[..10].iter().map(|b| format!("{b:02x}")).collect()
}

/// The keys under which an entry is known: its canonical URL and its guid (either may be
/// missing, not both). Two entries sharing any key are the same story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemKeys {
    pub url: Option<String>,
    pub guid: Option<String>,
}

impl ItemKeys {
    pub fn new(url: Option<&str>, guid: Option<&str>) -> ItemKeys {
        let url = url.map(canonical_url).filter(|u| !u.is_empty());
        // A guid that is itself a URL is compared in canonical form too.
        let guid = guid.map(str::trim).filter(|g| !g.is_empty()).map(|g| {
            if g.starts_with("http://") || g.starts_with("https://") {
                canonical_url(g)
            } else {
                g.to_string()
            }
        });
        ItemKeys { url, guid }
    }

    /// The item's stable id: from the canonical URL when it has one, else from the guid.
    pub fn id(&self) -> Option<String> {
        match (&self.url, &self.guid) {
            (Some(u), _) => Some(stable_id(&format!("url:{u}"))),
            (None, Some(g)) => Some(stable_id(&format!("guid:{g}"))),
            (None, None) => None,
        }
    }
}

/// A normalised title for the title tier of dedup: lower case, letters and digits only.
pub fn title_key(title: &str) -> String {
    title
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Two items with the same [`title_tier_key`] are one story when they appeared within this
/// many hours of each other (a recurring headline, "Live: …", comes back days apart).
pub const TITLE_WINDOW_HOURS: i64 = 48;
/// A title shorter than this (in words, or in characters of its key) is too generic to
/// identify a story ("Latest news", "Briefing").
pub const MIN_TITLE_WORDS: usize = 5;
pub const MIN_TITLE_CHARS: usize = 25;

/// The title tier's key: the normalised title, or None when it is too short to tell one
/// story from another.
pub fn title_tier_key(title: &str) -> Option<String> {
    let key = title_key(title);
    (key.split(' ').count() >= MIN_TITLE_WORDS && key.chars().count() >= MIN_TITLE_CHARS)
        .then_some(key)
}

/// Are two appearance times close enough for the title tier?
pub fn within_title_window(
    a: chrono::DateTime<chrono::Utc>,
    b: chrono::DateTime<chrono::Utc>,
) -> bool {
    (a - b).num_hours().abs() <= TITLE_WINDOW_HOURS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_url_drops_tracking_and_sorts() {
        let cases = [
            (
                "HTTPS://Example.ORG/News/A?utm_source=x&b=2&a=1#top",
                "https://example.org/News/A?a=1&b=2",
            ),
            (
                "https://example.org/a?fbclid=1&gclid=2&mc_cid=3&mc_eid=4",
                "https://example.org/a",
            ),
            ("http://example.org:80/a", "http://example.org/a"),
            ("https://example.org/a?id=5", "https://example.org/a?id=5"),
            ("not a url", "not a url"),
        ];
        for (raw, want) in cases {
            assert_eq!(canonical_url(raw), want, "{raw}");
        }
    }

    #[test]
    fn ids_are_stable_and_tracking_insensitive() {
        let a = ItemKeys::new(Some("https://example.org/story?utm_medium=rss"), None);
        let b = ItemKeys::new(Some("https://EXAMPLE.org/story#comments"), Some("x"));
        assert_eq!(a.id(), b.id());
        let c = ItemKeys::new(Some("https://example.org/other"), None);
        assert_ne!(a.id(), c.id());
        assert_eq!(ItemKeys::new(None, None).id(), None);
        assert!(ItemKeys::new(None, Some("tag:x,2025:1")).id().is_some());
    }

    #[test]
    fn title_key_ignores_case_and_punctuation() {
        assert_eq!(
            title_key("Shoigu in Pyongyang — again!"),
            title_key("SHOIGU in  Pyongyang: again")
        );
    }

    #[test]
    fn title_tier_needs_a_long_title_and_a_close_time() {
        let cases = [
            ("Shoigu arrives in Pyongyang for talks", true),
            ("SHOIGU arrives in Pyongyang, for talks!", true),
            ("Latest news", false),
            ("Live: war in Ukraine", false),
            ("Шойгу прибыл в Пхеньян на переговоры", true),
        ];
        for (title, keyed) in cases {
            assert_eq!(title_tier_key(title).is_some(), keyed, "{title}");
        }
        assert_eq!(
            title_tier_key("Shoigu arrives in Pyongyang for talks"),
            title_tier_key("SHOIGU arrives in Pyongyang, for talks!")
        );
        let t = chrono::Utc::now();
        assert!(within_title_window(t, t - chrono::Duration::hours(47)));
        assert!(!within_title_window(t, t + chrono::Duration::hours(49)));
    }
}
