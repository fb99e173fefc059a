//! Claim storage: a new claim compared with the stored claims of its key (and across
//! measures), stored with its status and links, and reported.

use anyhow::Result;
use chrono::{DateTime, Utc};

use crate::model::{Claim, ClaimStatus, EntityMatch, StoredClaim};
use crate::report::{ClaimReport, RelatedReport};
use crate::store::{ClaimRecord, StoreBackend, StoredItem};
use crate::transforms::claims;

/// How many stored claims of one key (the newest) a new claim is compared with.
const COMPARE_WITH: usize = 64;

/// How many distinct keys of one subject are read to find a claim's neighbours.
const NEIGHBOUR_KEYS: usize = 512;

/// How many keys of the claim's subject and unit, and how many newest claims of each, are
/// read for the very figure another story gave (`claims::same_figure`).
const SAME_FIGURE_KEYS: usize = 32;
const SAME_FIGURE_CLAIMS: usize = 16;

/// How many related claims a stored claim keeps links to.
const MAX_RELATED_STORED: usize = 12;

/// How a stored claim of the same key relates to a new one, for the digest's labels.
fn relation(new: &Claim, old: &Claim) -> &'static str {
    let (a, b) = (claims::interval(new), claims::interval(old));
    if a.0 <= b.1 && b.0 <= a.1 {
        "agrees with"
    } else if new.running_total && new.value > old.value {
        "earlier value"
    } else {
        "contradicts"
    }
}

/// One claim per figure of a story: a headline and its body often state the same figure;
/// the attributed, fuller statement is kept.
pub(super) fn distinct_claims(claims_read: Vec<Claim>) -> Vec<Claim> {
    let mut out: Vec<Claim> = Vec::new();
    for c in claims_read {
        let same = out.iter_mut().find(|o| {
            o.key() == c.key()
                && o.value == c.value
                && o.value_max == c.value_max
                && o.increment == c.increment
        });
        match same {
            // An attributed statement beats an unattributed one; then the fuller sentence
            // (a body sentence over its headline).
            Some(o)
                if (o.attributed_to.is_none() && c.attributed_to.is_some())
                    || (o.attributed_to.is_some() == c.attributed_to.is_some()
                        && c.quote.len() > o.quote.len()) =>
            {
                *o = c
            }
            Some(_) => {}
            None => out.push(c),
        }
    }
    out
}

/// The entities a claim's own sentence names (what `claims --entity` finds it by, beside
/// its subject).
pub fn claim_entities(claim: &Claim, matches: &[EntityMatch]) -> Vec<String> {
    let mut ids: Vec<String> = matches
        .iter()
        .filter(|m| m.start >= claim.quote_start && m.end <= claim.quote_end)
        .map(|m| m.entity.clone())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Compare a new claim with the stored ones of its key and store it with its status.
pub fn record_claim(
    store: &dyn StoreBackend,
    claim: Claim,
    item: &StoredItem,
    entities: &[String],
    now: DateTime<Utc>,
) -> Result<(Vec<u8>, ClaimRecord)> {
    // Decided and written under the subject's lock (several instances on one store).
    let _lock = store.lock_claim_subjects(std::slice::from_ref(&claim.subject))?;
    let (key, record) = decide_claim(&StoryClaims::new(store), claim, item, entities, now)?;
    store.put_claim_at(&key, &record)?;
    Ok((key, record))
}

/// The stored claims as one story's next claim sees them: the store, plus the story's
/// claims decided before it and not yet written (a story's claims are written together,
/// with its item: see `StoreBackend::commit_story`). Each read answers exactly what the
/// store would if those claims had been written already.
pub struct StoryClaims<'a> {
    store: &'a dyn StoreBackend,
    /// Decided, in order, with the tree keys the store gave them.
    pub decided: Vec<(Vec<u8>, ClaimRecord)>,
}

impl<'a> StoryClaims<'a> {
    pub fn new(store: &'a dyn StoreBackend) -> StoryClaims<'a> {
        StoryClaims {
            store,
            decided: Vec::new(),
        }
    }

    /// `StoreBackend::recent_claims_for_key` with the decided ones (whose keys sort after
    /// every stored one) as the newest.
    fn recent_claims_for_key(
        &self,
        key: &str,
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, ClaimRecord)>> {
        let mut out = self.store.recent_claims_for_key(key, limit)?;
        out.extend(
            self.decided
                .iter()
                .filter(|(_, r)| r.stored.claim.key() == key)
                .cloned(),
        );
        if out.len() > limit {
            out.drain(..out.len() - limit);
        }
        Ok(out)
    }

    /// `StoreBackend::claim_keys_under` with the decided ones' keys.
    fn claim_keys_under(&self, prefix: &str, cap: usize) -> Result<Vec<String>> {
        let mut keys = self.store.claim_keys_under(prefix, cap)?;
        let extra: Vec<String> = self
            .decided
            .iter()
            .map(|(_, r)| r.stored.claim.key())
            .filter(|k| k.starts_with(prefix) && !keys.contains(k))
            .collect();
        if !extra.is_empty() {
            keys.extend(extra);
            keys.sort();
            keys.dedup();
            keys.truncate(cap);
        }
        Ok(keys)
    }
}

/// Compare a new claim with the stored ones of its key (as `view` sees them) and decide
/// its status and links; the record gets a fresh tree key but is not written.
pub fn decide_claim(
    view: &StoryClaims,
    claim: Claim,
    item: &StoredItem,
    entities: &[String],
    now: DateTime<Utc>,
) -> Result<(Vec<u8>, ClaimRecord)> {
    let store = view;
    // Within one story, only statements attributed to different sources are compared (a
    // story quoting two sources is a real conflict; its headline restating its body is not).
    // A figure the text sets against another ("however, the union says more than 87,000")
    // is compared with the story's own unattributed figure too, and an unattributed one
    // set against a source's figure ("…gave another estimate for the same day") with it.
    let comparable = |r: &ClaimRecord| {
        r.stored.item_id != item.id
            || matches!((&r.stored.claim.attributed_to, &claim.attributed_to), (Some(a), Some(b)) if a != b)
            || (claim.rival
                && claim.attributed_to.is_some() != r.stored.claim.attributed_to.is_some())
    };
    let mut existing: Vec<_> = store
        .recent_claims_for_key(&claim.key(), COMPARE_WITH)?
        .into_iter()
        .filter(|(_, r)| comparable(r))
        .collect();
    // The same quantity in other words (a level and a running total, a figure with no
    // predicate and the one predicate stored for its thing): their claims are compared too.
    let loose = claim.open || claim.unit == "people";
    let subject_keys = if loose {
        store.claim_keys_under(&format!("{}|", claim.subject), NEIGHBOUR_KEYS)?
    } else {
        Vec::new()
    };
    if loose {
        for key in claims::neighbour_keys(&claim, &subject_keys) {
            existing.extend(
                store
                    .recent_claims_for_key(&key, COMPARE_WITH)?
                    .into_iter()
                    .filter(|(_, r)| comparable(r)),
            );
        }
    }
    // Another story stamped the very same instant (a feed that dates every entry alike)
    // says nothing of which came first: its date is not used to call the new figure a
    // rival count of the same moment. A story's own claims keep theirs.
    let stored_claims: Vec<StoredClaim> = existing
        .iter()
        .map(|(_, r)| {
            let mut s = r.stored.clone();
            if s.item_id != item.id && s.published.is_some() && s.published == item.published {
                s.published = None;
            }
            s
        })
        .collect();
    let mut cmp = claims::compare_at(
        &claim,
        &item.source,
        // The story's own date only: the time it was read says nothing of the moment.
        item.published,
        &stored_claims,
    );
    let mut related: Vec<Vec<u8>> = cmp
        .related
        .iter()
        .filter_map(|&i| existing.get(i).map(|(k, _)| k.clone()))
        .collect();
    // Across measures: a death toll above a casualty toll of the same subject contradicts.
    let mut crossed = false;
    let mut other = Vec::new();
    for key in claims::related_keys(&claim) {
        other.extend(
            store
                .recent_claims_for_key(&key, COMPARE_WITH)?
                .into_iter()
                .filter(|(_, r)| comparable(r)),
        );
    }
    if !other.is_empty() {
        let other_claims: Vec<StoredClaim> = other.iter().map(|(_, r)| r.stored.clone()).collect();
        let cross = claims::cross_check_at(&claim, &item.source, item.published, &other_claims);
        if cross.status == ClaimStatus::Contradicts {
            let mut keys: Vec<Vec<u8>> = cross
                .related
                .iter()
                .filter_map(|&i| other.get(i).map(|(k, _)| k.clone()))
                .collect();
            if cmp.status != ClaimStatus::Contradicts {
                // The cross-measure conflict is the reason: show it first.
                keys.append(&mut related);
                related = keys;
            } else {
                related.append(&mut keys);
            }
            cmp.status = ClaimStatus::Contradicts;
            crossed = true;
        }
    }
    // A figure that says nothing of itself (or a stored one that said nothing) agreeing
    // with another of the same thing corroborates it, though a different one is no conflict.
    if loose && cmp.status == ClaimStatus::New {
        let mut candidates = Vec::new();
        for key in claims::agreement_keys(&claim, &subject_keys) {
            candidates.extend(
                store
                    .recent_claims_for_key(&key, COMPARE_WITH)?
                    .into_iter()
                    .filter(|(_, r)| comparable(r)),
            );
        }
        let stored_claims: Vec<StoredClaim> =
            candidates.iter().map(|(_, r)| r.stored.clone()).collect();
        let agree = claims::agreeing(&claim, &item.source, &stored_claims);
        if !agree.is_empty() {
            cmp.status = ClaimStatus::Corroborates;
            related = agree
                .iter()
                .filter_map(|&i| candidates.get(i).map(|(k, _)| k.clone()))
                .collect();
            existing.extend(agree.iter().filter_map(|&i| candidates.get(i).cloned()));
        }
    }
    // The very figure another story gave of the same thing, worded loosely ("150,000
    // doses", "150 000 doses livrées"): that figure again.
    if loose && !crossed && cmp.status == ClaimStatus::New && claims::plain_figure(&claim) {
        // A bare figure ("between the government's 35,000 and the 110,000 claimed by the
        // NGO") is looked for at its very value under any key of the subject.
        let [kin, _] = claims::kin_keys(&claim, &subject_keys);
        let keys = if claims::bare_figure(&claim) {
            &subject_keys
        } else {
            &kin
        };
        let same = same_figure_under(store, &claim, item, keys.iter(), claims::same_figure)?;
        if !same.is_empty() {
            cmp.status = ClaimStatus::Corroborates;
            related = same.iter().map(|(k, _)| k.clone()).collect();
            existing.extend(same);
        }
    }
    // A figure the text sets against another's ("five times the police estimate") that
    // found nothing of its own key: the newest figure of the same thing another voice
    // gave, worded as it may be.
    if loose && !crossed && cmp.status == ClaimStatus::New && claim.rival {
        let [first, second] = claims::kin_keys(&claim, &subject_keys);
        let rest: Vec<String> = claims::unit_keys(&claim, &subject_keys)
            .into_iter()
            .filter(|k| !first.contains(k) && !second.contains(k))
            .collect();
        // Last, any key of the unit whatever its period, for a figure near this one.
        let near: Vec<String> = claims::rival_unit_keys(&claim, &subject_keys)
            .into_iter()
            .filter(|k| !first.contains(k) && !second.contains(k) && !rest.contains(k))
            .collect();
        let tiers = [
            (first, claims::APART),
            (second, claims::APART),
            (rest, claims::APART),
            (near, claims::RIVAL_NEAR),
        ];
        for (tier, apart) in tiers {
            let mut candidates = Vec::new();
            for key in tier.iter().take(SAME_FIGURE_KEYS) {
                candidates.extend(
                    store
                        .recent_claims_for_key(key, SAME_FIGURE_CLAIMS)?
                        .into_iter()
                        .filter(|(_, r)| comparable(r)),
                );
            }
            let stored_claims: Vec<StoredClaim> =
                candidates.iter().map(|(_, r)| r.stored.clone()).collect();
            if let Some(found) =
                claims::rival_check_within(&claim, &item.source, &stored_claims, apart)
            {
                cmp.status = found.status;
                related = found
                    .related
                    .iter()
                    .filter_map(|&i| candidates.get(i).map(|(k, _)| k.clone()))
                    .collect();
                existing.extend(
                    found
                        .related
                        .iter()
                        .filter_map(|&i| candidates.get(i).cloned()),
                );
                break;
            }
        }
    }
    // The very figure another story gave ("1,436 cases", "230,000 passengers"), under any
    // key of the subject with the unit, or with any count of things or people ("11,800
    // claims", "11 800 dossiers"): a figure this precise is that figure again, however
    // each story worded what it counts.
    // A conflict across measures (a death toll above the casualties) stands.
    if loose
        && !crossed
        && cmp.status != ClaimStatus::Corroborates
        && claims::distinctive_point(&claim)
    {
        let same_unit = subject_keys.iter().filter(|k| {
            claims::key_unit(k).is_some_and(|u| claims::distinctive_units(u, &claim.unit))
        });
        let same = same_figure_under(
            store,
            &claim,
            item,
            same_unit,
            claims::same_distinctive_figure,
        )?;
        if !same.is_empty() {
            cmp.status = ClaimStatus::Corroborates;
            related = same.iter().map(|(k, _)| k.clone()).collect();
            existing.extend(same);
        }
    }
    // A figure said to be current that found nothing of its quantity ("47 foundations
    // laid so far" after "38 monopiles"): the later value of the last figure of its unit
    // from another story, when near it (`later_level`).
    if loose && !crossed && cmp.status == ClaimStatus::New && claims::seeks_level(&claim) {
        let own = claim.key();
        let same_unit = subject_keys
            .iter()
            .filter(|k| **k != own && claims::key_unit(k) == Some(claim.unit.as_str()));
        // Every figure of the unit from other items (`later_level` picks among them).
        let candidates = same_figure_under(store, &claim, item, same_unit, |_, _| true)?;
        let stored_claims: Vec<StoredClaim> =
            candidates.iter().map(|(_, r)| r.stored.clone()).collect();
        if let Some(found) = claims::later_level(&claim, item.published, &stored_claims)
            .and_then(|i| candidates.get(i))
        {
            cmp.status = ClaimStatus::Updates;
            related = vec![found.0.clone()];
            existing.push(found.clone());
        }
    }
    // Keep the most telling few (compare lists disagreements first): a figure repeated by
    // a thousand stories must not make each new record a thousand keys long.
    related.truncate(MAX_RELATED_STORED);
    let relations = related
        .iter()
        .map(|k| match existing.iter().find(|(ek, _)| ek == k) {
            Some((_, r)) => relation(&claim, &r.stored.claim).to_string(),
            // Related across measures only when it conflicts (cross_check).
            None => "contradicts".to_string(),
        })
        .collect();
    let record = ClaimRecord {
        stored: StoredClaim {
            claim,
            item_id: item.id.clone(),
            item_url: item.url.clone(),
            source: item.source.clone(),
            published: item.published,
            first_seen: now,
            status: cmp.status,
            baseline: item.feed_url == "seed",
        },
        entities: entities.to_vec(),
        related,
        relations,
        alerted_at: None,
    };
    let key = view.store.new_claim_key(&record.stored.claim.key())?;
    Ok((key, record))
}

/// A yardstick ("up from the £45 million flagged in March", "contre 650 selon les
/// pompiers") that found the stored figure it restates says which quantity the figure
/// before it in its sentence is a later or a rival value of, however each story worded
/// that quantity. That figure, read as new because no stored key matched it, is compared
/// with the one its yardstick found (`view.decided`'s last record is the yardstick).
pub fn relate_by_yardstick(view: &mut StoryClaims, item: &StoredItem) -> Result<()> {
    let Some((_, yardstick)) = view.decided.last() else {
        return Ok(());
    };
    let y = &yardstick.stored;
    if !y.claim.restated || y.status != ClaimStatus::Corroborates {
        return Ok(());
    }
    let Some(found_key) = yardstick.related.first().cloned() else {
        return Ok(());
    };
    let (quote, key) = (y.claim.quote.clone(), y.claim.key());
    let last = view.decided.len() - 1;
    let Some(main) = (0..last).rev().find(|&j| {
        let c = &view.decided[j].1.stored.claim;
        !c.restated && c.quote == quote && c.key() == key
    }) else {
        return Ok(());
    };
    if view.decided[main].1.stored.status != ClaimStatus::New {
        return Ok(());
    }
    // Only a figure of another story: the story's own figures were compared already.
    let Some(found) = view.store.claim(&found_key)? else {
        return Ok(());
    };
    if found.stored.item_id == item.id {
        return Ok(());
    }
    let claim = view.decided[main].1.stored.claim.clone();
    let f = &found.stored.claim;
    // The found figure, read as a figure of the main one's quantity.
    let other = StoredClaim {
        claim: Claim {
            value: f.value,
            value_max: f.value_max,
            approx: f.approx,
            attributed_to: f.attributed_to.clone(),
            polarity: f.polarity,
            increment: f.increment,
            running_total: f.running_total,
            rival: f.rival,
            quote: f.quote.clone(),
            ..claim.clone()
        },
        ..found.stored.clone()
    };
    let cmp = claims::compare_at(
        &claim,
        &item.source,
        item.published,
        std::slice::from_ref(&other),
    );
    if cmp.status == ClaimStatus::New {
        return Ok(());
    }
    let rec = &mut view.decided[main].1;
    rec.stored.status = cmp.status;
    rec.related = vec![found_key];
    rec.relations = vec![relation(&claim, f).to_string()];
    Ok(())
}

/// The stored claims of other stories giving the very same figure as `claim` (as
/// `same_figure` judges: `|_, _| true` takes them all), among the newest
/// `SAME_FIGURE_CLAIMS` of each of the first `SAME_FIGURE_KEYS` of `keys`.
fn same_figure_under<'k>(
    store: &StoryClaims,
    claim: &Claim,
    item: &StoredItem,
    keys: impl Iterator<Item = &'k String>,
    same_figure: fn(&Claim, &Claim) -> bool,
) -> Result<Vec<(Vec<u8>, ClaimRecord)>> {
    let mut same = Vec::new();
    for key in keys.take(SAME_FIGURE_KEYS) {
        same.extend(
            store
                .recent_claims_for_key(key, SAME_FIGURE_CLAIMS)?
                .into_iter()
                .filter(|(_, r)| {
                    r.stored.item_id != item.id && same_figure(claim, &r.stored.claim)
                }),
        );
    }
    Ok(same)
}

pub fn claim_report(
    store: &dyn StoreBackend,
    rec: &ClaimRecord,
    item_url: &str,
) -> Result<ClaimReport> {
    let c = &rec.stored.claim;
    let mut related = Vec::new();
    for k in &rec.related {
        if let Some(r) = store.claim(k)? {
            related.push(RelatedReport {
                item_url: r.stored.item_url.clone(),
                source: r.stored.source.clone(),
                value: r.stored.claim.value,
                value_max: r.stored.claim.value_max,
                quote: r.stored.claim.quote.clone(),
                first_seen: r.stored.first_seen.to_rfc3339(),
                attributed_to: r.stored.claim.attributed_to.clone(),
            });
        }
    }
    Ok(ClaimReport {
        item_url: item_url.to_string(),
        quote: c.quote.clone(),
        subject: c.subject.clone(),
        counted: c.role.clone(),
        measure: c.measure.clone(),
        value: c.value,
        value_max: c.value_max,
        approx: c.approx,
        unit: c.unit.clone(),
        kind: c.kind.as_str().to_string(),
        current: c.running_total,
        negated: c.polarity == crate::model::Polarity::Negative,
        rival: c.rival,
        increment: c.increment,
        place: c.place.clone(),
        period: c.period.clone(),
        attributed_to: c.attributed_to.clone(),
        status: rec.stored.status,
        related,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(value: f64, said_by: &str) -> Claim {
        Claim {
            subject: "harbour".into(),
            measure: "stuck".into(),
            unit: "ships".into(),
            value,
            attributed_to: Some(said_by.into()),
            quote: format!("{value} ships are stuck, said the {said_by}"),
            ..Default::default()
        }
    }

    fn story() -> StoredItem {
        StoredItem {
            id: "story-1".into(),
            url: "https://news.test/1".into(),
            source: "Test News".into(),
            feed_url: "https://news.test/feed".into(),
            ..Default::default()
        }
    }

    /// A story quoting two sources: its second claim is compared with its first, though
    /// neither is written until the story's unit of writes.
    #[test]
    fn a_storys_second_source_is_compared_with_its_first_before_either_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::open(dir.path()).unwrap();
        let now = Utc::now();
        let item = story();
        let mut view = StoryClaims::new(&*store);
        let (k1, r1) = decide_claim(&view, claim(10.0, "port authority"), &item, &[], now).unwrap();
        assert_eq!(r1.stored.status, ClaimStatus::New);
        view.decided.push((k1.clone(), r1));
        let (k2, r2) = decide_claim(&view, claim(40.0, "coast guard"), &item, &[], now).unwrap();
        assert_eq!(r2.related, vec![k1.clone()], "{r2:#?}");
        assert_ne!(r2.stored.status, ClaimStatus::New, "{r2:#?}");
        assert!(k2 > k1, "a later claim's key sorts after");
        assert!(
            store.claims_list(None).unwrap().is_empty(),
            "nothing is written while deciding"
        );
    }

    /// "85,700 inmates, the official figures say; however, the union says 92,000": a
    /// figure the story sets against its own unattributed one is compared with it; an
    /// unmarked second figure is not (a story restating itself is one voice).
    #[test]
    fn a_rival_figure_is_compared_with_its_storys_own_figure() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::open(dir.path()).unwrap();
        let now = Utc::now();
        let item = story();
        let own = Claim {
            attributed_to: None,
            ..claim(85_700.0, "ministry")
        };
        let decide_after_own = |second: Claim| {
            let mut view = StoryClaims::new(&*store);
            let first = decide_claim(&view, own.clone(), &item, &[], now).unwrap();
            view.decided.push(first);
            decide_claim(&view, second, &item, &[], now).unwrap().1
        };
        let rival = decide_after_own(Claim {
            rival: true,
            ..claim(92_000.0, "union")
        });
        assert_eq!(rival.stored.status, ClaimStatus::Contradicts, "{rival:#?}");
        let plain = decide_after_own(claim(92_000.0, "union"));
        assert_eq!(plain.stored.status, ClaimStatus::New, "{plain:#?}");
    }

    /// The very figure another story gave corroborates it whatever each story said it
    /// counts ("1,436 cases confirmed", "1,436 infections"); a round or small figure, or
    /// another story's different figure, does not.
    #[test]
    fn another_storys_precise_figure_under_other_words_corroborates() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::open(dir.path()).unwrap();
        let now = Utc::now();
        let open = |value: f64, thing: &str, measure: &str| Claim {
            subject: "measles".into(),
            role: thing.into(),
            measure: measure.into(),
            unit: "cases".into(),
            value,
            open: true,
            quote: format!("{value} {thing} {measure}"),
            ..Default::default()
        };
        let first = StoredItem {
            id: "story-0".into(),
            ..story()
        };
        record_claim(
            &*store,
            open(1436.0, "cases", "confirmed"),
            &first,
            &[],
            now,
        )
        .unwrap();
        record_claim(
            &*store,
            open(2000.0, "cases", "confirmed"),
            &first,
            &[],
            now,
        )
        .unwrap();
        let view = StoryClaims::new(&*store);
        let decide = |c: Claim| decide_claim(&view, c, &story(), &[], now).unwrap().1;
        let again = decide(open(1436.0, "infections", ""));
        assert_eq!(again.stored.status, ClaimStatus::Corroborates, "{again:#?}");
        assert_eq!(again.related.len(), 1);
        // A round figure coincides too often to be the same one.
        let round = decide(open(2000.0, "infections", ""));
        assert_eq!(round.stored.status, ClaimStatus::New, "{round:#?}");
        let other = decide(open(1437.0, "infections", ""));
        assert_eq!(other.stored.status, ClaimStatus::New, "{other:#?}");
    }

    /// "Now expects the attack to cost about £70 million, up from the £45 million it
    /// flagged": the yardstick finds the earlier figure under other words, and the figure
    /// before it in the sentence is that figure's later value; with no yardstick, or one
    /// that finds nothing, it stays new.
    #[test]
    fn a_figure_whose_yardstick_finds_a_stored_figure_updates_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::open(dir.path()).unwrap();
        let now = Utc::now();
        let money = |value: f64, measure: &str, quote: &str| Claim {
            subject: "brightwell".into(),
            measure: measure.into(),
            unit: "gbp".into(),
            value,
            open: true,
            quote: quote.into(),
            ..Default::default()
        };
        let first = StoredItem {
            id: "story-0".into(),
            ..story()
        };
        let (k0, _) = record_claim(
            &*store,
            money(45e6, "cost", "The attack will cost £45 million."),
            &first,
            &[],
            now,
        )
        .unwrap();
        let sentence = "It now expects losses of £70 million, up from the £45 million it flagged.";
        let main = Claim {
            running_total: true,
            ..money(70e6, "losses", sentence)
        };
        let yardstick = Claim {
            restated: true,
            ..money(45e6, "losses", sentence)
        };
        let decide_story = |claims: Vec<Claim>| {
            let mut view = StoryClaims::new(&*store);
            for c in claims {
                let decided = decide_claim(&view, c, &story(), &[], now).unwrap();
                view.decided.push(decided);
                relate_by_yardstick(&mut view, &story()).unwrap();
            }
            view.decided
        };
        let decided = decide_story(vec![main.clone(), yardstick.clone()]);
        assert_eq!(decided[1].1.stored.status, ClaimStatus::Corroborates);
        assert_eq!(
            decided[0].1.stored.status,
            ClaimStatus::Updates,
            "{decided:#?}"
        );
        assert_eq!(decided[0].1.related, vec![k0]);
        // Without its yardstick the figure has nothing of its words to compare with.
        let alone = decide_story(vec![main.clone()]);
        assert_eq!(alone[0].1.stored.status, ClaimStatus::New);
        // A yardstick that finds nothing stored relates nothing.
        let elsewhere = decide_story(vec![
            main,
            Claim {
                value: 52e6,
                ..yardstick
            },
        ]);
        assert_eq!(elsewhere[0].1.stored.status, ClaimStatus::New);
    }

    /// What the view adds answers as the store would once written: the newest `limit`,
    /// oldest first, and the distinct keys under a prefix in key order.
    #[test]
    fn the_story_view_reads_like_the_store_after_the_writes() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::open(dir.path()).unwrap();
        let now = Utc::now();
        let item = StoredItem {
            id: "story-0".into(),
            ..story()
        };
        for v in [1.0, 2.0, 3.0] {
            record_claim(&*store, claim(v, "a"), &item, &[], now).unwrap();
        }
        let mut view = StoryClaims::new(&*store);
        let mut other = claim(5.0, "b");
        other.subject = "harbour-east".into();
        for c in [claim(4.0, "b"), other] {
            let (k, r) = decide_claim(&view, c, &story(), &[], now).unwrap();
            view.decided.push((k, r));
        }
        let key = claim(0.0, "x").key();
        let values = |recs: Vec<(Vec<u8>, ClaimRecord)>| -> Vec<f64> {
            recs.iter().map(|(_, r)| r.stored.claim.value).collect()
        };
        let seen = values(view.recent_claims_for_key(&key, 3).unwrap());
        let keys = view.claim_keys_under("harbour", 10).unwrap();
        for (k, r) in &view.decided {
            store.put_claim_at(k, r).unwrap();
        }
        let written = values(store.recent_claims_for_key(&key, 3).unwrap());
        assert_eq!(seen, vec![2.0, 3.0, 4.0]);
        assert_eq!(seen, written);
        assert_eq!(keys, store.claim_keys_under("harbour", 10).unwrap());
        assert_eq!(keys.len(), 2, "{keys:?}");
    }
}
