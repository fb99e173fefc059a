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
pub const SHINGLE: usize = 4;
/// Hash functions (signature length).
pub const PERMS: usize = 128;
/// LSH bands; [`PERMS`] / [`BANDS`] rows each.
pub const BANDS: usize = 32;
/// Rows per band: a candidate needs all of them equal in one band.
pub const ROWS: usize = PERMS / BANDS;
/// Below this many words a body is not fingerprinted: a short item's text is mostly what
/// every item of its source shares (a footer, a teaser line), so similarity means little.
pub const MIN_WORDS: usize = 80;
/// The lead is the first sentence, at most this many words.
pub const LEAD_WORDS: usize = 40;

/// Estimated Jaccard similarity of the bodies at or above which they are the same story…
pub const MIN_JACCARD: f64 = 0.45;
/// …or estimated containment of the shorter in the longer (an added paragraph, a cut).
pub const MIN_CONTAINMENT: f64 = 0.7;
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
}

impl Similarity {
    /// The verification of a candidate: alike as wholes and alike where they begin.
    pub fn is_duplicate(&self) -> bool {
        (self.jaccard >= MIN_JACCARD || self.containment >= MIN_CONTAINMENT)
            && self.lead >= MIN_LEAD
    }
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
    "the", "and", "for", "that", "with", "from", "this", "was", "were", "are", "has", "have",
    "had", "its", "his", "her", "their", "been", "will", "would", "which", "who", "after",
    "into", "than", "les", "des", "une", "que", "qui", "dans", "par", "pour", "sur", "avec",
    "est", "sont", "son", "ses", "leur", "aux", "pas", "plus", "été", "ete", "les", "это",
    "что", "как", "для", "его", "при", "был", "была", "были", "было", "также", "после",
    "или", "уже", "так", "они", "она", "под", "над",
];

/// The content words of a text's first sentence (at most [`LEAD_WORDS`] words): words of
/// three letters or more that are not function words, and numbers.
pub fn lead_words(text: &str) -> Vec<String> {
    let text = text.trim_start();
    let mut end = text.len();
    let mut prev_word_len = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if c == '\n' && next == Some('\n') {
            end = i;
            break;
        }
        // A full stop after a word of three letters or more ends the sentence; after a
        // shorter one it is often an abbreviation ("Mr.", "U.N.", "Un.").
        if matches!(c, '.' | '!' | '?' | '…')
            && next.is_none_or(char::is_whitespace)
            && (c != '.' || prev_word_len >= 3)
        {
            end = i;
            break;
        }
        prev_word_len = if c.is_alphanumeric() {
            prev_word_len + 1
        } else {
            0
        };
    }
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
    let lead = lead_words(body)
        .iter()
        .map(|w| (fnv(std::slice::from_ref(w)) >> 32) as u32)
        .collect::<std::collections::BTreeSet<u32>>()
        .into_iter()
        .collect();
    Some(Fingerprint {
        mins,
        shingles: u32::try_from(shingles.len()).unwrap_or(u32::MAX),
        lead,
    })
}

impl Fingerprint {
    /// One key per band: the band's number and a hash of its rows. Two fingerprints
    /// sharing a key are candidates; with 32 bands of 4 rows, bodies of Jaccard 0.5 share
    /// one with probability 0.87, bodies of Jaccard 0.1 with probability 0.003.
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
        let common = self
            .lead
            .iter()
            .filter(|h| other.lead.binary_search(h).is_ok())
            .count();
        let shorter = self.lead.len().min(other.lead.len());
        let lead = if shorter == 0 {
            0.0
        } else {
            common as f64 / shorter as f64
        };
        Similarity {
            jaccard,
            containment,
            lead,
        }
    }

    /// The stored form: version byte, shingle count, signature, lead hashes (big-endian).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1 + 4 + 2 + 4 * (self.mins.len() + self.lead.len()));
        out.push(1);
        out.extend_from_slice(&self.shingles.to_be_bytes());
        out.extend_from_slice(&u16::try_from(self.mins.len()).unwrap_or(0).to_be_bytes());
        for m in &self.mins {
            out.extend_from_slice(&m.to_be_bytes());
        }
        for l in &self.lead {
            out.extend_from_slice(&l.to_be_bytes());
        }
        out
    }

    /// Read the stored form back; None when it is not one this version wrote.
    pub fn from_bytes(bytes: &[u8]) -> Option<Fingerprint> {
        let (&version, rest) = bytes.split_first()?;
        if version != 1 || rest.len() < 6 {
            return None;
        }
        let shingles = u32::from_be_bytes(rest[..4].try_into().ok()?);
        let n = usize::from(u16::from_be_bytes(rest[4..6].try_into().ok()?));
        let body = &rest[6..];
        if body.len() < 4 * n || body.len() % 4 != 0 {
            return None;
        }
        let nums: Vec<u32> = body
            .chunks_exact(4)
            .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let (mins, lead) = nums.split_at(n);
        Some(Fingerprint {
            mins: mins.to_vec(),
            shingles,
            lead: lead.to_vec(),
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
            ("Farmers brought 300 pumpkins! More later.", &["300", "brought", "farmers", "pumpkins"]),
            ("Шойгу прибыл в Пхеньян. Потом уехал.", &["прибыл", "пхеньян", "шойгу"]),
            ("Choïgou est à Pyongyang\n\nLe reste.", &["choigou", "pyongyang"]),
        ];
        for (text, want) in cases {
            assert_eq!(lead_words(text), *want, "{text}");
        }
    }

    #[test]
    fn the_stored_form_reads_back() {
        let a = fingerprint(STORY).unwrap();
        assert_eq!(Fingerprint::from_bytes(&a.to_bytes()), Some(a.clone()));
        assert_eq!(Fingerprint::from_bytes(&[2, 0, 0]), None);
        assert_eq!(Fingerprint::from_bytes(&a.to_bytes()[..20]), None);
    }
}
