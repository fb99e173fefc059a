//! Near-duplicate fingerprints of a story's body: MinHash over word shingles, banded LSH
//! keys for a sub-linear index, and the verification that decides "same story".
//!
//! A body is normalised (the matcher's `normalize`: case, Latin accents, dashes, `ё`), cut
//! into words (letters and digits), and every run of [`SHINGLE`] words is hashed. The
//! fingerprint keeps, for each of [`PERMS`] hash functions, the smallest hash of any
//! shingle: two bodies agree on a position with probability equal to the Jaccard
//! similarity of their shingle sets. The positions are grouped into [`BANDS`] bands of
//! [`ROWS`]; two bodies sharing any whole band are candidates (one key lookup per band),
//! and a candidate is a duplicate when [`Fingerprint::similarity`] passes
//! [`Similarity::is_duplicate`]. Besides the whole body, the leads must agree: the first
//! sentence, where a news story says what it is about, compared by its content words (so a
//! reworded wire lead still agrees). Two different short stories that end with the same
//! long site footer are alike as wholes and differ only there.
//!
//! All hashes are our own (FNV-1a and splitmix64), so fingerprints stored on disk stay
//! comparable across Rust versions and runs.

use crate::transforms::normalize::normalize;

/// Words per shingle of the body.
pub const SHINGLE: usize = 3;
/// Hash functions (signature length).
pub const PERMS: usize = 128;
/// LSH bands; [`PERMS`] / [`BANDS`] rows each.
pub const BANDS: usize = 64;
/// Rows per band: a candidate needs all of them equal in one band.
pub const ROWS: usize = PERMS / BANDS;
/// Below this many words a body is not fingerprinted: a short item's text is mostly what
/// every item of its source shares (a footer, a teaser line), so similarity means little.
pub const MIN_WORDS: usize = 40;
/// The lead is the first sentence, at most this many words.
pub const LEAD_WORDS: usize = 40;

/// Estimated Jaccard similarity of the bodies at or above which they are the same story…
pub const MIN_JACCARD: f64 = 0.25;
/// …or estimated containment of the shorter in the longer (an added paragraph, a cut).
pub const MIN_CONTAINMENT: f64 = 0.45;
/// A copy with a paragraph on top agrees with the original only through its second lead:
/// then the original must be this much inside it.
pub const MIN_SHIFTED_CONTAINMENT: f64 = 0.7;
/// And the leads must share at least this share of the shorter lead's content words.
pub const MIN_LEAD: f64 = 0.5;

/// What is kept of a body to recognise it again (about 0.6 KB encoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// The MinHash signature: [`PERMS`] minima.
    pub mins: Vec<u32>,
    /// Distinct shingles of the body (for the containment estimate).
    pub shingles: u32,
    /// Sorted distinct hashes of the lead's content words.
    pub lead: Vec<u32>,
    /// The same for the second lead (the first sentence of the second paragraph).
    pub lead2: Vec<u32>,
}

/// How alike two fingerprinted bodies are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    /// Share of signature positions that agree: an estimate of the Jaccard similarity.
    pub jaccard: f64,
    /// Estimated share of the smaller shingle set found in the larger.
    pub containment: f64,
    /// Share of the shorter lead's content words found in the other lead.
    pub lead: f64,
    /// The same for one's lead against the other's second lead (a paragraph put on top).
    /// Never second with second: two stories with the same footer paragraph agree there.
    pub shifted_lead: f64,
}

impl Similarity {
    /// The verification of a candidate: alike as wholes and alike where they begin; or,
    /// when one begins with a paragraph the other lacks, the other almost wholly inside it
    /// (a follow-up that reuses one background sentence is not).
    pub fn is_duplicate(&self) -> bool {
        let alike = self.jaccard >= MIN_JACCARD || self.containment >= MIN_CONTAINMENT;
        (alike && self.lead >= MIN_LEAD)
            || (self.containment >= MIN_SHIFTED_CONTAINMENT && self.shifted_lead >= MIN_LEAD)
    }
}

impl Similarity {
    /// Under one title, bodies this different are clearly different stories.
    pub fn contradicts_title(&self) -> bool {
        self.jaccard < 0.1 && self.containment < 0.2
    }

    /// Do two bodies under one headline agree enough for the title tier to call them one
    /// story? A headline alone never makes a copy (a farm's template headline, "Live
    /// updates", "Morning briefing: what we know…" over a new text): either the bodies are
    /// copies by themselves, or their leads agree (a reworded wire copy) and the bodies are
    /// not clearly different.
    pub fn confirms_title(&self) -> bool {
        self.is_duplicate()
            || ((self.lead >= MIN_LEAD || self.shifted_lead >= MIN_LEAD)
                && !self.contradicts_title())
    }
}

/// Do two fingerprints share a band, i.e. would the band index offer one for the other?
pub fn shares_band(a: &Fingerprint, b: &Fingerprint) -> bool {
    let kb = b.band_keys();
    a.band_keys().iter().any(|k| kb.contains(k))
}

/// The words of a text as the fingerprint sees them.
pub fn words(text: &str) -> Vec<String> {
    normalize(text)
        .text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Function words of English, French and Russian: a lead is compared by what it names.
const STOPWORDS: &[&str] = &[
    "the",
    "and",
    "for",
    "that",
    "with",
    "from",
    "this",
    "was",
    "were",
    "are",
    "has",
    "have",
    "had",
    "its",
    "his",
    "her",
    "their",
    "been",
    "will",
    "would",
    "which",
    "who",
    "after",
    "into",
    "than",
    "les",
    "des",
    "une",
    "que",
    "qui",
    "dans",
    "par",
    "pour",
    "sur",
    "avec",
    "est",
    "sont",
    "son",
    "ses",
    "leur",
    "aux",
    "pas",
    "plus",
    "été",
    "ete",
    "les",
    "это",
    "что",
    "как",
    "для",
    "его",
    "при",
    "был",
    "была",
    "были",
    "было",
    "также",
    "после",
    "или",
    "уже",
    "так",
    "они",
    "она",
    "под",
    "над",
];

/// Where the first sentence of `text` ends (a byte offset), and whether a paragraph break
/// ended it.
fn first_sentence_end(text: &str) -> (usize, bool) {
    let mut word_start = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if c == '\n' && next == Some('\n') {
            return (i, true);
        }
        if !c.is_alphanumeric() && c != '.' {
            word_start = i + c.len_utf8();
        }
        if matches!(c, '.' | '!' | '?' | '…')
            && next.is_none_or(char::is_whitespace)
            && (c != '.' || !is_abbreviation(&text[word_start..i]))
        {
            return (i + c.len_utf8(), false);
        }
    }
    (text.len(), false)
}

/// A word before a full stop that does not end a sentence: an initial ("J.", "U.S."), a
/// title or a common abbreviation of the three languages.
fn is_abbreviation(word: &str) -> bool {
    let w = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    if w.contains('.') || w.chars().count() == 1 {
        return true;
    }
    const ABBREVIATIONS: &[&str] = &[
        "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sgt", "capt", "maj", "jr", "sr",
        "prof", "rev", "no", "vs", "etc", "approx", "est", "mme", "mlle", "me", "gén", "av", "env",
        "г", "гг", "ул", "т", "д", "им", "св", "тыс", "млн", "млрд", "руб", "см", "пр",
    ];
    ABBREVIATIONS.contains(&w.to_lowercase().as_str())
}

/// The content words of a text's first sentence (at most [`LEAD_WORDS`] words): words of
/// three letters or more that are not function words, and numbers.
pub fn lead_words(text: &str) -> Vec<String> {
    let text = text.trim_start();
    let (end, _) = first_sentence_end(text);
    let mut out: Vec<String> = words(&text[..end])
        .into_iter()
        .take(LEAD_WORDS)
        .filter(|w| {
            w.chars().any(|c| c.is_ascii_digit())
                || (w.chars().count() >= 3 && !STOPWORDS.contains(&w.as_str()))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Where the second lead starts: the second paragraph when the text has paragraph breaks,
/// else the second sentence. A copy with a paragraph put before the story ("Editor's
/// note: …", an update on top) has the original's lead there.
fn second_lead(text: &str) -> &str {
    let text = text.trim_start();
    match text.find("\n\n") {
        Some(i) => &text[i..],
        None => &text[first_sentence_end(text).0..],
    }
}

/// The fingerprint of a story's text (`body`: what the matcher read, title excluded) that
/// was read through its fetched article page (`article`, part of `body`). The shingles are
/// the whole text; when the feed's own words come before the article (a standfirst, a
/// blog engine's "The post … appeared first on …"), the article's first sentence is the
/// second lead: a later copy that carries the full text starts where the article starts,
/// and is recognised through it (the shifted-lead rule, C ≥ 0.7), whatever the feed put
/// above it.
pub fn fingerprint_with_article(body: &str, article: Option<&str>) -> Option<Fingerprint> {
    let mut fp = fingerprint(body)?;
    if let Some(article) = article.map(str::trim).filter(|a| !a.is_empty()) {
        if !body.trim_start().starts_with(article) {
            let lead = lead_hashes(article);
            if !lead.is_empty() {
                fp.lead2 = lead;
            }
        }
    }
    Some(fp)
}

fn lead_hashes(text: &str) -> Vec<u32> {
    lead_words(text)
        .iter()
        .map(|w| (fnv(std::slice::from_ref(w)) >> 32) as u32)
        .collect::<std::collections::BTreeSet<u32>>()
        .into_iter()
        .collect()
}

/// Share of the shorter set found in the other (both sorted); 0 when either is empty.
fn overlap(a: &[u32], b: &[u32]) -> f64 {
    let shorter = a.len().min(b.len());
    if shorter == 0 {
        return 0.0;
    }
    let common = a.iter().filter(|h| b.binary_search(h).is_ok()).count();
    common as f64 / shorter as f64
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv(words: &[String]) -> u64 {
    let mut h = FNV_OFFSET;
    for w in words {
        for b in w.as_bytes() {
            h ^= u64::from(*b);
            h = h.wrapping_mul(FNV_PRIME);
        }
        // A separator, so "ab c" and "a bc" differ.
        h ^= 0x1f;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Distinct hashes of every `k`-word shingle (the whole text as one when it is shorter).
fn shingle_hashes(words: &[String], k: usize) -> Vec<u64> {
    let mut out: Vec<u64> = if words.len() <= k {
        vec![fnv(words)]
    } else {
        words.windows(k).map(fnv).collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// The fingerprint of a body, or None when it is shorter than [`MIN_WORDS`] words.
pub fn fingerprint(body: &str) -> Option<Fingerprint> {
    let words = words(body);
    if words.len() < MIN_WORDS {
        return None;
    }
    let shingles = shingle_hashes(&words, SHINGLE);
    let mut mins = vec![u32::MAX; PERMS];
    for (i, min) in mins.iter_mut().enumerate() {
        // Each "permutation" is the shingle hash mixed with its own seed.
        let seed = splitmix(i as u64 + 1);
        for &h in &shingles {
            let v = (splitmix(h ^ seed) >> 32) as u32;
            if v < *min {
                *min = v;
            }
        }
    }
    let lead = lead_hashes(body);
    let lead2 = lead_hashes(second_lead(body));
    Some(Fingerprint {
        mins,
        shingles: u32::try_from(shingles.len()).unwrap_or(u32::MAX),
        lead,
        lead2,
    })
}

impl Fingerprint {
    /// One key per band: the band's number and a hash of its rows. Two fingerprints
    /// sharing a key are candidates: with 64 bands of 2 rows, bodies of (3-word shingle)
    /// Jaccard 0.25 share one with probability 0.98, of Jaccard 0.05 with 0.15 (those are
    /// then rejected by [`Similarity::is_duplicate`], at the cost of one read each).
    pub fn band_keys(&self) -> Vec<[u8; 9]> {
        self.mins
            .chunks(ROWS)
            .enumerate()
            .map(|(band, rows)| {
                let mut h = splitmix(band as u64);
                for &r in rows {
                    h = splitmix(h ^ u64::from(r));
                }
                let mut key = [0u8; 9];
                key[0] = u8::try_from(band).unwrap_or(u8::MAX);
                key[1..].copy_from_slice(&h.to_be_bytes());
                key
            })
            .collect()
    }

    /// How alike two bodies are (see [`Similarity`]).
    pub fn similarity(&self, other: &Fingerprint) -> Similarity {
        let n = self.mins.len().min(other.mins.len());
        let same = self
            .mins
            .iter()
            .zip(&other.mins)
            .filter(|(a, b)| a == b)
            .count();
        let jaccard = if n == 0 { 0.0 } else { same as f64 / n as f64 };
        let (a, b) = (f64::from(self.shingles), f64::from(other.shingles));
        // |A ∩ B| = J / (1 + J) · (|A| + |B|).
        let inter = jaccard / (1.0 + jaccard) * (a + b);
        let containment = if a.min(b) > 0.0 {
            (inter / a.min(b)).min(1.0)
        } else {
            0.0
        };
        let lead = overlap(&self.lead, &other.lead);
        let shifted_lead = overlap(&self.lead, &other.lead2).max(overlap(&self.lead2, &other.lead));
        Similarity {
            jaccard,
            containment,
            lead,
            shifted_lead,
        }
    }

    /// The stored form (big-endian): version byte, shingle count, signature length, lead
    /// length, then the signature, the lead and the second lead.
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.mins.len() + self.lead.len() + self.lead2.len();
        let mut out = Vec::with_capacity(1 + 4 + 2 + 2 + 4 * n);
        out.push(1);
        out.extend_from_slice(&self.shingles.to_be_bytes());
        let len16 = |n: usize| u16::try_from(n).unwrap_or(0).to_be_bytes();
        out.extend_from_slice(&len16(self.mins.len()));
        out.extend_from_slice(&len16(self.lead.len()));
        for v in self.mins.iter().chain(&self.lead).chain(&self.lead2) {
            out.extend_from_slice(&v.to_be_bytes());
        }
        out
    }

    /// Read the stored form back; None when it is not one this version wrote.
    pub fn from_bytes(bytes: &[u8]) -> Option<Fingerprint> {
        let (&version, rest) = bytes.split_first()?;
        if version != 1 || rest.len() < 8 {
            return None;
        }
        let shingles = u32::from_be_bytes(rest[..4].try_into().ok()?);
        let n = usize::from(u16::from_be_bytes(rest[4..6].try_into().ok()?));
        let nl = usize::from(u16::from_be_bytes(rest[6..8].try_into().ok()?));
        let body = &rest[8..];
        if body.len() < 4 * (n + nl) || body.len() % 4 != 0 {
            return None;
        }
        let nums: Vec<u32> = body
            .chunks_exact(4)
            .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let (mins, leads) = nums.split_at(n);
        let (lead, lead2) = leads.split_at(nl);
        Some(Fingerprint {
            mins: mins.to_vec(),
            shingles,
            lead: lead.to_vec(),
            lead2: lead2.to_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "The defence ministry said on Monday that a column of engineering \
        vehicles crossed the border bridge at dawn and reached the depot near the river port \
        before noon. Officials described the convoy as the first of three planned for the \
        month, each carrying cranes, generators and prefabricated housing for the workers \
        who will rebuild the damaged water station. Local residents were told to expect \
        road closures on the northern highway until Friday, and the regional governor asked \
        drivers to use the coastal route instead while the heavy vehicles pass through.";

    #[test]
    fn short_bodies_get_no_fingerprint() {
        assert!(fingerprint("Too short to mean anything.").is_none());
        assert!(fingerprint(STORY).is_some());
    }

    #[test]
    fn identical_bodies_are_duplicates_and_share_every_band() {
        let a = fingerprint(STORY).unwrap();
        let b = fingerprint(&STORY.to_uppercase()).unwrap();
        assert_eq!(a, b, "case does not matter");
        let s = a.similarity(&b);
        assert!((s.jaccard - 1.0).abs() < f64::EPSILON && s.is_duplicate());
        assert_eq!(a.band_keys(), b.band_keys());
    }

    #[test]
    fn an_added_paragraph_keeps_a_duplicate() {
        let a = fingerprint(STORY).unwrap();
        let longer = format!(
            "{STORY}\n\nIn a separate statement, the transport agency said it had inspected \
             the bridge twice this year and found no structural damage."
        );
        let b = fingerprint(&longer).unwrap();
        let s = a.similarity(&b);
        assert!(s.is_duplicate(), "{s:?}");
        let shared = a
            .band_keys()
            .iter()
            .zip(b.band_keys())
            .filter(|(x, y)| **x == *y)
            .count();
        assert!(shared > 0, "candidates through the band index");
    }

    #[test]
    fn a_story_read_through_its_page_matches_its_full_text_copy() {
        let article = "Russian Security Council Secretary Sergei Shoigu said on Tuesday that North Korea would send a thousand deminers and several thousand military builders to the Kursk region, after a meeting with Kim Jong Un in Pyongyang.\n\nThe deminers are to clear fields and roads in border districts that were fought over last year, while the builders will restore bridges, schools and apartment blocks. Shoigu gave no date for their arrival and no figure for the cost of the work.\n\nOfficials in Moscow called the trip a working visit, the second one to the North Korean capital within a fortnight.";
        // The feed's teaser: a standfirst and a blog engine's line, then the article.
        let teaser = "Moscow says Pyongyang will help rebuild the border region.\n\nThe post Shoigu says North Korean deminers will go to Kursk appeared first on Peninsula Wire.";
        let first_text = format!("{teaser}\n\n{article}");
        let copy = fingerprint(article).unwrap();
        let plain = fingerprint(&first_text).unwrap();
        assert!(
            !plain.similarity(&copy).is_duplicate(),
            "the miss this fixes"
        );
        let first = fingerprint_with_article(&first_text, Some(article)).unwrap();
        assert!(first.similarity(&copy).is_duplicate());
        assert!(copy.similarity(&first).is_duplicate());
        // The article alone (no teaser above it): nothing changes.
        assert_eq!(fingerprint_with_article(article, Some(article)), Some(copy));
    }

    #[test]
    fn a_shared_footer_does_not_make_two_stories_one() {
        let footer = "Officials gave no further detail on the schedule, and the report could \
            not be independently verified. Analysts said the move fits a pattern of closer ties \
            that began with the treaty signed the previous year, and that further announcements \
            were likely in the coming weeks as both governments prepare new agreements on \
            transport, trade and labour.";
        let a = format!(
            "Sergei Shoigu said trains between Moscow and the North Korean capital would run \
             soon. {footer} {footer}"
        );
        let b = format!(
            "The timetable follows a promise by Sergei Shoigu to link Moscow and Pyongyang \
             by train. {footer} {footer}"
        );
        let s = fingerprint(&a)
            .unwrap()
            .similarity(&fingerprint(&b).unwrap());
        assert!(s.jaccard > 0.5, "alike as wholes: {s:?}");
        assert!(!s.is_duplicate(), "but the leads differ: {s:?}");
    }

    #[test]
    fn the_lead_is_the_first_sentence_by_its_content_words() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Mr. Shoigu met Kim Jong Un in Pyongyang. Then he left.",
                &["jong", "kim", "met", "pyongyang", "shoigu"],
            ),
            (
                "The U.S. envoy met Kim Jong Un. Then he left.",
                &["envoy", "jong", "kim", "met"],
            ),
            (
                "Farmers brought 300 pumpkins! More later.",
                &["300", "brought", "farmers", "pumpkins"],
            ),
            (
                "Шойгу прибыл в Пхеньян. Потом уехал.",
                &["прибыл", "пхеньян", "шойгу"],
            ),
            (
                "Choïgou est à Pyongyang\n\nLe reste.",
                &["choigou", "pyongyang"],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(lead_words(text), *want, "{text}");
        }
    }

    /// tests/fixtures/dedup/pairs.toml, read as the pipeline decides: the title tier, then
    /// a band candidate verified by [`Similarity::is_duplicate`].
    #[test]
    fn labelled_pairs_precision_and_recall() {
        use crate::transforms::dedup::title_tier_key;
        use std::collections::BTreeMap;
        #[derive(serde::Deserialize)]
        struct Story {
            id: String,
            title: String,
            body: Option<String>,
            base: Option<String>,
            append: Option<String>,
            prepend: Option<String>,
        }
        #[derive(serde::Deserialize)]
        struct Pair {
            a: String,
            b: String,
            dup: bool,
            kind: String,
        }
        #[derive(serde::Deserialize)]
        struct Table {
            story: Vec<Story>,
            pair: Vec<Pair>,
        }
        let table: Table =
            toml::from_str(include_str!("../../tests/fixtures/dedup/pairs.toml")).unwrap();
        let mut bodies: BTreeMap<String, (String, String)> = BTreeMap::new();
        for s in &table.story {
            let body = match (&s.body, &s.base) {
                (Some(b), _) => b.clone(),
                (None, Some(base)) => {
                    let (_, b) = bodies.get(base).expect("base story defined before");
                    let mut text = b.clone();
                    if let Some(p) = &s.prepend {
                        text = format!("{}\n\n{text}", p.trim());
                    }
                    if let Some(a) = &s.append {
                        text = format!("{}\n\n{}", text.trim(), a.trim());
                    }
                    text
                }
                (None, None) => panic!("{}: no body and no base", s.id),
            };
            bodies.insert(s.id.clone(), (s.title.clone(), body));
        }
        let decide = |a: &(String, String), b: &(String, String)| -> Option<&'static str> {
            let (fa, fb) = (fingerprint(&a.1), fingerprint(&b.1));
            let sim = match (&fa, &fb) {
                (Some(x), Some(y)) => Some((x.similarity(y), shares_band(x, y))),
                _ => None,
            };
            if let (Some(ta), Some(tb)) = (title_tier_key(&a.0), title_tier_key(&b.0)) {
                if ta == tb && sim.is_none_or(|(s, _)| s.confirms_title()) {
                    return Some("title");
                }
            }
            match sim {
                Some((s, true)) if s.is_duplicate() => Some("fingerprint"),
                _ => None,
            }
        };
        let (mut tp, mut fp, mut fn_, mut tn) = (0, 0, 0, 0);
        let mut by_kind: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        let mut by_lang: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for p in &table.pair {
            let a = &bodies[&p.a];
            let b = &bodies[&p.b];
            let got = decide(a, b);
            let right = got.is_some() == p.dup;
            match (got.is_some(), p.dup) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fn_ += 1,
                (false, false) => tn += 1,
            }
            let k = by_kind.entry(p.kind.as_str()).or_default();
            k.0 += usize::from(right);
            k.1 += 1;
            let l = by_lang.entry(&p.a[..2]).or_default();
            l.0 += usize::from(right);
            l.1 += 1;
            if !right {
                let sim = fingerprint(&a.1)
                    .zip(fingerprint(&b.1))
                    .map(|(x, y)| (x.similarity(&y), shares_band(&x, &y)));
                println!(
                    "WRONG {} / {} ({}, dup = {}): {got:?} {sim:?}",
                    p.a, p.b, p.kind, p.dup
                );
            }
        }
        // The margins: the most alike non-duplicates whose leads agree (directly, or
        // shifted), and the least alike duplicates.
        let mut sims: Vec<(bool, Similarity, String)> = table
            .pair
            .iter()
            .filter_map(|p| {
                let x = fingerprint(&bodies[&p.a].1)?;
                let y = fingerprint(&bodies[&p.b].1)?;
                Some((p.dup, x.similarity(&y), format!("{}/{}", p.a, p.b)))
            })
            .collect();
        sims.sort_by(|a, b| b.1.containment.total_cmp(&a.1.containment));
        let show = |what: &str, s: &Similarity, name: &str| {
            println!(
                "  {what} {name}: J {:.2} C {:.2} lead {:.2} shifted {:.2}",
                s.jaccard, s.containment, s.lead, s.shifted_lead
            );
        };
        for (_, s, name) in sims.iter().filter(|x| !x.0 && x.1.lead >= MIN_LEAD).take(3) {
            show("closest non-dup (lead)", s, name);
        }
        for (_, s, name) in sims
            .iter()
            .filter(|x| !x.0 && x.1.shifted_lead >= MIN_LEAD)
            .take(3)
        {
            show("closest non-dup (shifted)", s, name);
        }
        for (_, s, name) in sims.iter().rev().filter(|x| x.0).take(3) {
            show("farthest dup", s, name);
        }
        let precision = tp as f64 / (tp + fp).max(1) as f64;
        let recall = tp as f64 / (tp + fn_).max(1) as f64;
        println!(
            "pairs {}: tp {tp} fp {fp} fn {fn_} tn {tn}; precision {precision:.3} recall {recall:.3}",
            table.pair.len()
        );
        for (k, (ok, n)) in &by_kind {
            println!("  {k:<28} {ok}/{n}");
        }
        for (l, (ok, n)) in &by_lang {
            println!("  {l:<28} {ok}/{n}");
        }
        assert!(table.pair.len() >= 100);
        assert!(precision >= 0.95, "precision {precision:.3}");
        assert!(recall >= 0.95, "recall {recall:.3}");
    }

    #[test]
    fn the_stored_form_reads_back() {
        let a = fingerprint(STORY).unwrap();
        assert_eq!(Fingerprint::from_bytes(&a.to_bytes()), Some(a.clone()));
        assert_eq!(Fingerprint::from_bytes(&[2, 0, 0]), None);
        assert_eq!(Fingerprint::from_bytes(&a.to_bytes()[..20]), None);
    }
}
