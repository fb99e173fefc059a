//! The store's contract (`StoreBackend`), tested once against both backends: sled in a temp
//! dir and PostgreSQL on the test cluster (support/postgres.rs). Each test is a function of
//! a backend maker; `both!` runs it against each. What only a shared store can show (two
//! instances on one database) runs against PostgreSQL alone.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use newswatch::model::{Claim, ClaimStatus, StoredClaim};
use newswatch::store::postgres::PgStore;
use newswatch::store::*;
use newswatch::transforms::fingerprint::fingerprint;

use crate::support::postgres;

/// A store and what keeps it alive (its temp dir).
struct Opened {
    store: Arc<dyn StoreBackend>,
    _dir: tempfile::TempDir,
    /// The database URL (PostgreSQL only): a second instance opens the same.
    url: Option<String>,
}

fn sled() -> Opened {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn StoreBackend> = Arc::from(open(dir.path()).unwrap());
    Opened {
        store,
        _dir: dir,
        url: None,
    }
}

fn pg() -> Opened {
    let url = postgres::database();
    let dir = tempfile::tempdir().unwrap();
    let store = PgStore::open(&url, None, dir.path()).unwrap();
    Opened {
        store: Arc::new(store),
        _dir: dir,
        url: Some(url),
    }
}

/// Another instance on the same database.
fn second(o: &Opened) -> Arc<dyn StoreBackend> {
    let dir = tempfile::tempdir().unwrap();
    let url = o.url.as_deref().unwrap();
    Arc::new(PgStore::open(url, None, dir.path()).unwrap())
}

macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[test]
            fn sled() {
                super::$name(super::sled());
            }
            #[test]
            fn postgres() {
                super::$name(super::pg());
            }
        }
    };
}

fn body(n: usize) -> String {
    (0..n)
        .map(|i| format!("word{} ", i * 7919 % 1000))
        .collect()
}

fn claim_record(subject: &str, value: f64) -> ClaimRecord {
    ClaimRecord {
        alerted_at: None,
        stored: StoredClaim {
            claim: Claim {
                subject: subject.into(),
                measure: "deployed".into(),
                unit: "troops".into(),
                value,
                quote: format!("some {value} troops were sent"),
                ..Default::default()
            },
            item_id: "i1".into(),
            item_url: "https://a.example/1".into(),
            source: "A".into(),
            published: None,
            first_seen: Utc::now(),
            status: ClaimStatus::New,
            baseline: false,
        },
        entities: vec!["kursk".into()],
        related: Vec::new(),
        relations: Vec::new(),
    }
}

fn item(id: &str, url: &str) -> StoredItem {
    StoredItem {
        id: id.into(),
        url: url.into(),
        title: format!("story {id}"),
        feed_url: "https://a.test/feed".into(),
        first_seen: Utc::now(),
        ..Default::default()
    }
}

/// A new story's writes: every tier, a claim, pending and the item.
fn new_story(s: &dyn StoreBackend, id: &str, key: &str, title: Option<&str>) -> StoryWrite {
    let url = format!("https://a.test/{id}");
    let now = Utc::now();
    let claim_key = s.new_claim_key(&format!("{id}-subject|||ships||")).unwrap();
    StoryWrite {
        entry_key: format!("entry-{id}"),
        index: Some((vec![key.to_string()], id.into())),
        title: title.map(|t| {
            (
                t.to_string(),
                TitleRecord {
                    id: id.into(),
                    url: url.clone(),
                    at: now,
                },
            )
        }),
        fingerprint: None,
        dedup_time: title.map(|t| (id.to_string(), Some(t.to_string()), now)),
        claims: vec![(claim_key, claim_record(&format!("{id}-subject"), 3.0))],
        pending: Some(id.into()),
        item: Some(item(id, &url)),
    }
}

// ---- dedup: one lookup, one commit ----

fn a_story_committed_as_one_unit_is_found_by_every_tier(o: Opened) {
    let s = &*o.store;
    let now = Utc::now();
    let fp = fingerprint(&body(120)).unwrap();
    let it = item("s1", "https://a.test/1");
    let claim_key = s.new_claim_key("harbour|||ships||").unwrap();
    let keys = vec!["u:https://a.test/1".to_string(), "g:guid-1".to_string()];
    let write = StoryWrite {
        entry_key: "entry-1".into(),
        index: Some((keys.clone(), "s1".into())),
        title: Some((
            "harbour ships".into(),
            TitleRecord {
                id: "s1".into(),
                url: it.url.clone(),
                at: now,
            },
        )),
        fingerprint: Some(FingerprintEntry {
            id: "s1".into(),
            url: it.url.clone(),
            fingerprint: fp.clone(),
            title_key: Some("harbour ships".into()),
            at: now,
        }),
        dedup_time: None,
        claims: vec![(claim_key.clone(), claim_record("harbour", 3.0))],
        pending: Some("s1".into()),
        item: Some(it.clone()),
    };
    let mut seen = SeenSet::default();
    assert_eq!(
        s.commit_story(&write, &mut seen).unwrap(),
        Committed::Stored
    );
    assert!(seen.contains("entry-1"));
    assert_eq!(s.pending_ids().unwrap(), vec!["s1".to_string()]);
    assert!(s.claim(&claim_key).unwrap().is_some());
    assert_eq!(s.claims_list(Some("harbour")).unwrap().len(), 1);
    assert_eq!(s.claims_list(Some("kursk")).unwrap().len(), 1);
    assert_eq!((s.item_count(), s.claim_count()), (1, 1));

    let found = s
        .story_lookup(&StoryQuery {
            id: "s1",
            index_keys: &keys,
            title_key: Some("harbour ships"),
            fingerprint: Some(&fp),
        })
        .unwrap();
    assert_eq!(found.by_key.as_deref(), Some("s1"));
    assert_eq!(found.own_item, Some(it));
    let (rec, its_fp) = found.by_title.unwrap();
    assert_eq!((rec.id.as_str(), its_fp), ("s1", Some(fp.clone())));
    assert_eq!(found.fingerprint_hits.len(), 1);
    assert_eq!(found.fingerprint_hits[0].id, "s1");
    assert_eq!(found.fingerprint_hits[0].fingerprint, fp);

    // Another story's lookup: the second key names s1, without its item.
    let other = s
        .story_lookup(&StoryQuery {
            id: "s2",
            index_keys: &["u:elsewhere".to_string(), "g:guid-1".to_string()],
            title_key: None,
            fingerprint: None,
        })
        .unwrap();
    assert_eq!(other.by_key.as_deref(), Some("s1"));
    assert_eq!((other.own_item, other.by_title), (None, None));
    assert!(other.fingerprint_hits.is_empty());
    let nothing = s
        .story_lookup(&StoryQuery {
            id: "s3",
            index_keys: &["u:nowhere".to_string()],
            title_key: Some("no such title"),
            fingerprint: None,
        })
        .unwrap();
    assert_eq!(nothing, StoryLookup::default());

    // Several questions at once (a feed's entries) answer each as it would alone, in order.
    let elsewhere = ["u:elsewhere".to_string(), "g:guid-1".to_string()];
    let nowhere = ["u:nowhere".to_string()];
    let together = s
        .story_lookups(&[
            StoryQuery {
                id: "s3",
                index_keys: &nowhere,
                title_key: Some("no such title"),
                fingerprint: None,
            },
            StoryQuery {
                id: "s1",
                index_keys: &keys,
                title_key: Some("harbour ships"),
                fingerprint: Some(&fp),
            },
            StoryQuery {
                id: "s2",
                index_keys: &elsewhere,
                title_key: None,
                fingerprint: None,
            },
        ])
        .unwrap();
    let alone = s
        .story_lookup(&StoryQuery {
            id: "s1",
            index_keys: &keys,
            title_key: Some("harbour ships"),
            fingerprint: Some(&fp),
        })
        .unwrap();
    assert_eq!(together.len(), 3);
    assert_eq!(together[0], nothing);
    assert_eq!(together[1], alone);
    assert_eq!(together[2].by_key.as_deref(), Some("s1"));
    assert_eq!(together[2].own_item, None);
    assert!(s.story_lookups(&[]).unwrap().is_empty());

    // An entry that writes nothing is only marked seen.
    let empty = StoryWrite {
        entry_key: "entry-2".into(),
        ..Default::default()
    };
    s.commit_story(&empty, &mut seen).unwrap();
    assert!(seen.contains("entry-2"));
    assert_eq!(s.item_count(), 1);

    // The dedup tiers are pruned by age; the URL/guid tier stays.
    assert_eq!(
        s.prune_dedup(now + chrono::Duration::seconds(5)).unwrap(),
        1
    );
    let after = s
        .story_lookup(&StoryQuery {
            id: "s1",
            index_keys: &keys,
            title_key: Some("harbour ships"),
            fingerprint: Some(&fp),
        })
        .unwrap();
    assert_eq!(after.by_key.as_deref(), Some("s1"));
    assert!(after.by_title.is_none());
    assert!(after.fingerprint_hits.is_empty());
}
both!(a_story_committed_as_one_unit_is_found_by_every_tier);

fn a_copy_keeps_the_first_owner_of_its_keys(o: Opened) {
    let s = &*o.store;
    let mut seen = SeenSet::default();
    let w = new_story(
        s,
        "first",
        "u:https://a.test/x",
        Some("ships in the harbour"),
    );
    assert_eq!(s.commit_story(&w, &mut seen).unwrap(), Committed::Stored);
    // A copy (nothing pending) indexing the same key under another id: the key stays.
    let copy = StoryWrite {
        entry_key: "entry-copy".into(),
        index: Some((
            vec!["u:https://a.test/x".into(), "u:https://b.test/x".into()],
            "other".into(),
        )),
        ..Default::default()
    };
    assert_eq!(s.commit_story(&copy, &mut seen).unwrap(), Committed::Stored);
    assert!(seen.contains("entry-copy"));
    let found = s
        .story_lookup(&StoryQuery {
            id: "x",
            index_keys: &["u:https://a.test/x".to_string()],
            title_key: None,
            fingerprint: None,
        })
        .unwrap();
    assert_eq!(found.by_key.as_deref(), Some("first"));
    let b = s
        .story_lookup(&StoryQuery {
            id: "x",
            index_keys: &["u:https://b.test/x".to_string()],
            title_key: None,
            fingerprint: None,
        })
        .unwrap();
    assert_eq!(b.by_key.as_deref(), Some("other"));
    s.index_story(&["u:https://a.test/x".into()], "third")
        .unwrap();
    let again = s
        .story_lookup(&StoryQuery {
            id: "x",
            index_keys: &["u:https://a.test/x".to_string()],
            title_key: None,
            fingerprint: None,
        })
        .unwrap();
    assert_eq!(again.by_key.as_deref(), Some("first"));
}
both!(a_copy_keeps_the_first_owner_of_its_keys);

/// Two instances: a new story whose key another instance took since its lookup loses the
/// race (nothing written, not marked seen); looked up again it is a copy.
#[test]
fn a_new_story_whose_key_was_taken_since_its_lookup_loses_the_race() {
    let o = pg();
    let a = &*o.store;
    let b = second(&o);
    let q_keys = vec!["u:https://a.test/race".to_string()];
    let looked = a
        .story_lookup(&StoryQuery {
            id: "mine",
            index_keys: &q_keys,
            title_key: Some("a race for the harbour"),
            fingerprint: None,
        })
        .unwrap();
    assert_eq!(looked.by_key, None);
    let mut seen_b = SeenSet::default();
    let theirs = new_story(&*b, "theirs", "u:https://a.test/race", None);
    assert_eq!(
        b.commit_story(&theirs, &mut seen_b).unwrap(),
        Committed::Stored
    );
    let mut seen = SeenSet::default();
    let mine = new_story(
        a,
        "mine",
        "u:https://a.test/race",
        Some("a race for the harbour"),
    );
    assert_eq!(
        a.commit_story(&mine, &mut seen).unwrap(),
        Committed::LostRace
    );
    assert!(!seen.contains("entry-mine"));
    assert!(a.item("mine").unwrap().is_none());
    assert_eq!(a.pending_ids().unwrap(), vec!["theirs".to_string()]);
    assert_eq!(a.claim_count(), 1);
    let again = a
        .story_lookup(&StoryQuery {
            id: "mine",
            index_keys: &q_keys,
            title_key: Some("a race for the harbour"),
            fingerprint: None,
        })
        .unwrap();
    assert_eq!(again.by_key.as_deref(), Some("theirs"));
    // Nothing of the lost story's title was kept.
    assert!(again.by_title.is_none());

    // The title tier: a title another instance took since the lookup (within the window).
    let c_keys = vec!["u:https://a.test/t1".to_string()];
    a.story_lookup(&StoryQuery {
        id: "t-mine",
        index_keys: &c_keys,
        title_key: Some("the same headline twice"),
        fingerprint: None,
    })
    .unwrap();
    let t_theirs = new_story(
        &*b,
        "t-theirs",
        "u:https://a.test/t2",
        Some("the same headline twice"),
    );
    assert_eq!(
        b.commit_story(&t_theirs, &mut seen_b).unwrap(),
        Committed::Stored
    );
    let t_mine = new_story(
        a,
        "t-mine",
        "u:https://a.test/t1",
        Some("the same headline twice"),
    );
    assert_eq!(
        a.commit_story(&t_mine, &mut seen).unwrap(),
        Committed::LostRace
    );
    assert!(a.item("t-mine").unwrap().is_none());
    // Looked up again (the lookup now sees t-theirs) and judged a story of its own, it is
    // stored and its title names it, as sled would.
    a.story_lookup(&StoryQuery {
        id: "t-mine",
        index_keys: &c_keys,
        title_key: Some("the same headline twice"),
        fingerprint: None,
    })
    .unwrap();
    assert_eq!(
        a.commit_story(&t_mine, &mut seen).unwrap(),
        Committed::Stored
    );
    assert!(seen.contains("entry-t-mine"));
}

// ---- claims ----

fn claims_are_read_by_key_prefix_and_entity(o: Opened) {
    let s = &*o.store;
    let mut keys = Vec::new();
    for (i, ck) in [
        "dprk-troops|troops|deployed|troops||",
        "dprk-troops|troops|killed|troops||",
        "dprk-troops|troops|deployed|troops||",
        "dprk-workers|workers|deployed|people||",
        "shoigu|||visits||",
    ]
    .iter()
    .enumerate()
    {
        let k = s.new_claim_key(ck).unwrap();
        let subject = ck.split('|').next().unwrap();
        s.put_claim_at(&k, &claim_record(subject, 1000.0 * (i + 1) as f64))
            .unwrap();
        keys.push(k);
    }
    assert_eq!(
        s.claim_keys_under("dprk-", 10).unwrap(),
        vec![
            "dprk-troops|troops|deployed|troops||".to_string(),
            "dprk-troops|troops|killed|troops||".to_string(),
            "dprk-workers|workers|deployed|people||".to_string(),
        ]
    );
    assert_eq!(s.claim_keys_under("dprk-", 1).unwrap().len(), 1);
    assert!(s.claim_keys_under("nobody", 10).unwrap().is_empty());
    let recent = s
        .recent_claims_for_key("dprk-troops|troops|deployed|troops||", 10)
        .unwrap();
    assert_eq!(
        recent
            .iter()
            .map(|(_, r)| r.stored.claim.value)
            .collect::<Vec<_>>(),
        vec![1000.0, 3000.0]
    );
    let newest = s
        .recent_claims_for_key("dprk-troops|troops|deployed|troops||", 1)
        .unwrap();
    assert_eq!(newest[0].1.stored.claim.value, 3000.0);
    assert_eq!(s.claims_list(Some("dprk-troops")).unwrap().len(), 3);
    assert_eq!(s.claims_list(Some("kursk")).unwrap().len(), 5);
    assert_eq!(s.claims_list(Some("dprk")).unwrap().len(), 0);
    assert_eq!(s.claims_list(None).unwrap().len(), 5);
    // A key made after every stored one sorts after them.
    let later = s
        .new_claim_key("dprk-troops|troops|deployed|troops||")
        .unwrap();
    assert!(later > keys[2]);
    let mut rec = claim_record("dprk-troops", 1000.0);
    rec.stored.status = ClaimStatus::Contradicts;
    rec.related = vec![keys[2].clone()];
    s.update_claim(&keys[0], &rec).unwrap();
    assert_eq!(s.claim(&keys[0]).unwrap(), Some(rec));
    assert_eq!(s.claim(b"no such key").unwrap(), None);
}
both!(claims_are_read_by_key_prefix_and_entity);

// ---- digests ----

fn digest(id: &str, items: &[&str], state: DigestState) -> DigestRecord {
    DigestRecord {
        id: id.into(),
        message_id: format!("<{id}@test>"),
        created_at: Utc::now(),
        recipients: vec!["desk@example.org".into()],
        subject: "digest".into(),
        text: "text".into(),
        html: "<p>html</p>".into(),
        item_ids: items.iter().map(|s| s.to_string()).collect(),
        claims: 0,
        state,
        attempts: 0,
        last_error: None,
        sent_at: None,
        next_attempt_at: None,
        permanent_failures: 0,
        kind: DigestKind::Digest,
    }
}

fn the_digest_queue_and_its_sent_mark(o: Opened) {
    let s = &*o.store;
    let mut seen = SeenSet::default();
    for id in ["a", "b", "c"] {
        let w = new_story(s, id, &format!("u:{id}"), None);
        s.commit_story(&w, &mut seen).unwrap();
    }
    assert_eq!(s.pending_ids().unwrap(), vec!["a", "b", "c"]);
    let n1 = s.next_id().unwrap();
    let n2 = s.next_id().unwrap();
    assert_ne!(n1, n2);
    let d1 = digest("d-0001", &["a", "b"], DigestState::Queued);
    s.put_digest(&d1).unwrap();
    let mut parked = digest("d-0002", &["c"], DigestState::Parked);
    parked.created_at = d1.created_at + chrono::Duration::seconds(1);
    s.put_digest(&parked).unwrap();
    assert_eq!(s.queued_digests().unwrap(), vec![d1.clone()]);
    assert_eq!(
        s.unsent_digests().unwrap(),
        vec![d1.clone(), parked.clone()]
    );
    assert_eq!(s.digest_record("d-0001").unwrap(), Some(d1.clone()));
    assert_eq!(s.last_sent_digest().unwrap(), None);
    let mut sent = d1.clone();
    sent.state = DigestState::Sent;
    sent.sent_at = Some(Utc::now());
    s.mark_digest_sent(&sent).unwrap();
    assert_eq!(s.pending_ids().unwrap(), vec!["c"]);
    assert_eq!(s.queued_digests().unwrap(), vec![]);
    assert_eq!(s.unsent_digests().unwrap(), vec![parked]);
    assert_eq!(s.last_sent_digest().unwrap(), Some(sent));
    // Retention: sent digests and stories no digest waits for, before the cut.
    let stats = s
        .prune_old(Utc::now() + chrono::Duration::seconds(5))
        .unwrap();
    assert_eq!((stats.items, stats.digests), (2, 1));
    assert!(s.item("c").unwrap().is_some());
    assert!(s.item("a").unwrap().is_none());
}
both!(the_digest_queue_and_its_sent_mark);

// ---- seen sets, feeds, seed documents ----

fn seen_sets_feeds_and_seed_docs(o: Opened) {
    let s = &*o.store;
    let feed = "https://a.test/feed";
    assert!(s.seen_set(feed).unwrap().is_empty());
    let mut set = SeenSet::default();
    for i in 0..2100 {
        set.insert(&format!("entry-{i}"));
    }
    s.put_seen_set(feed, &mut set, 10).unwrap();
    let back = s.seen_set(feed).unwrap();
    assert_eq!(back.len(), SEEN_PER_FEED_MIN);
    assert!(back.contains("entry-2099"));
    assert!(!back.contains("entry-0"));
    assert!(s.seen_set("https://other.test/feed").unwrap().is_empty());

    let state = FeedState {
        url: feed.into(),
        name: Some("A".into()),
        items_seen: 3,
        ..Default::default()
    };
    s.put_feed_state(&state).unwrap();
    assert_eq!(s.feed_state(feed).unwrap(), Some(state.clone()));
    assert_eq!(s.all_feed_states().unwrap(), vec![state]);
    assert!(!s.seed_doc_recorded("doc").unwrap());
    s.mark_seed_doc("doc").unwrap();
    assert!(s.seed_doc_recorded("doc").unwrap());
    assert!(!s.is_empty().unwrap());
    assert!(s.size_on_disk().unwrap() > 0);
    s.flush().unwrap();
}
both!(seen_sets_feeds_and_seed_docs);

// ---- leases ----

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn a_finished_lease_is_never_taken_again(o: Opened) {
    let s = &*o.store;
    let ttl = Duration::from_secs(60);
    let all = names(&["feed:https://a.test/1", "digest-tick:2026-01-01T08:00:00Z"]);
    assert_eq!(s.take_leases(&all, ttl).unwrap(), all);
    // Taken again by its holder (the expiry moves on).
    assert_eq!(s.take_leases(&all, ttl).unwrap(), all);
    s.finish_lease("digest-tick:2026-01-01T08:00:00Z").unwrap();
    assert_eq!(
        s.lease_state("digest-tick:2026-01-01T08:00:00Z").unwrap(),
        LeaseState::Finished
    );
    assert_eq!(s.take_leases(&all, ttl).unwrap(), all[..1].to_vec());
    s.release_leases(&all).unwrap();
    assert_eq!(s.lease_state("never-taken").unwrap(), LeaseState::Free);
    assert!(!s.instance().is_empty());
}
both!(a_finished_lease_is_never_taken_again);

#[test]
fn two_instances_share_leases_and_never_wait_for_each_other() {
    let o = pg();
    let a = &*o.store;
    let b = second(&o);
    assert_ne!(a.instance(), b.instance());
    let ttl = Duration::from_secs(60);
    let feeds = names(&["feed:1", "feed:2", "feed:3"]);
    assert_eq!(
        a.take_leases(&feeds[..2], ttl).unwrap(),
        feeds[..2].to_vec()
    );
    // The other instance gets only what is free, in the order asked.
    assert_eq!(
        b.take_leases(&feeds, ttl).unwrap(),
        vec!["feed:3".to_string()]
    );
    match a.lease_state("feed:1").unwrap() {
        LeaseState::Held { owner, until } => {
            assert_eq!(owner, a.instance());
            assert!(until > Utc::now());
        }
        other => panic!("feed:1 is {other:?}"),
    }
    // Releasing another's lease does nothing; releasing one's own frees it.
    b.release_leases(&feeds[..1]).unwrap();
    assert!(matches!(
        a.lease_state("feed:1").unwrap(),
        LeaseState::Held { .. }
    ));
    a.release_leases(&feeds[..1]).unwrap();
    assert_eq!(a.lease_state("feed:1").unwrap(), LeaseState::Free);
    assert_eq!(
        b.take_leases(&feeds[..1], ttl).unwrap(),
        feeds[..1].to_vec()
    );
    // An expired lease moves on.
    assert_eq!(
        a.take_leases(&names(&["send:d1"]), Duration::from_millis(200))
            .unwrap()
            .len(),
        1
    );
    assert!(b.take_leases(&names(&["send:d1"]), ttl).unwrap().is_empty());
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(b.take_leases(&names(&["send:d1"]), ttl).unwrap().len(), 1);
    // A finished lease stays finished for every instance.
    b.finish_lease("digest-tick:t1").unwrap();
    assert!(a
        .take_leases(&names(&["digest-tick:t1"]), ttl)
        .unwrap()
        .is_empty());

    // SKIP LOCKED: a lease row locked by another transaction (an instance in the middle of
    // taking it) is skipped at once, never waited for.
    let url = o.url.clone().unwrap();
    let (locked_tx, locked_rx) = std::sync::mpsc::channel();
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(conn);
            client
                .batch_execute("BEGIN; SELECT * FROM leases WHERE name = 'feed:2' FOR UPDATE")
                .await
                .unwrap();
            locked_tx.send(()).unwrap();
            let _ = tokio::task::spawn_blocking(move || done_rx.recv()).await;
            client.batch_execute("ROLLBACK").await.unwrap();
        });
    });
    locked_rx.recv().unwrap();
    let started = Instant::now();
    // feed:2 is a's (and would be taken again by a) but its row is locked: skipped.
    assert!(a.take_leases(&feeds[1..2], ttl).unwrap().is_empty());
    assert!(started.elapsed() < Duration::from_secs(2));
    done_tx.send(()).unwrap();
    holder.join().unwrap();
    assert_eq!(
        a.take_leases(&feeds[1..2], ttl).unwrap(),
        feeds[1..2].to_vec()
    );
}

/// The claim lock: a second instance locking an overlapping subject waits until the first
/// drops its lock.
#[test]
fn a_claim_lock_blocks_a_second_locker_until_dropped() {
    let o = pg();
    let a = o.store.clone();
    let b = second(&o);
    let lock = a
        .lock_claim_subjects(&names(&["shoigu", "dprk-troops"]))
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let started = Instant::now();
        let l = b.lock_claim_subjects(&names(&["dprk-troops"])).unwrap();
        tx.send(started.elapsed()).unwrap();
        drop(l);
    });
    assert!(rx.recv_timeout(Duration::from_millis(700)).is_err());
    // Other subjects are not held.
    let other = a.lock_claim_subjects(&names(&["kim"])).unwrap();
    drop(other);
    drop(lock);
    let waited = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(waited >= Duration::from_millis(700));
    waiter.join().unwrap();
    // Taken and dropped again and again: the pool's connections come back.
    for _ in 0..20 {
        drop(a.lock_claim_subjects(&names(&["dprk-troops"])).unwrap());
    }
}

/// The claim lock is dropped from inside a tokio runtime without blocking or panicking.
#[test]
fn the_store_is_used_and_dropped_inside_runtimes() {
    let o = pg();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let s = o.store.clone();
    rt.block_on(async move {
        let s2 = s.clone();
        tokio::task::spawn_blocking(move || s2.next_id().unwrap())
            .await
            .unwrap();
        let s3 = s.clone();
        tokio::spawn(async move {
            let l = s3.lock_claim_subjects(&names(&["x"])).unwrap();
            s3.next_id().unwrap();
            drop(l);
        })
        .await
        .unwrap();
    });
    let current = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let s = o.store.clone();
    current.block_on(async move {
        assert!(s.next_id().unwrap() > 0);
    });
    // The last reference dropped inside a runtime.
    let Opened { store, _dir, .. } = o;
    rt.block_on(async move { drop(store) });
}

// ---- export and import between the backends ----

fn populate(s: &dyn StoreBackend) {
    let now = Utc::now();
    s.put_feed_state(&FeedState {
        url: "https://a.example/rss".into(),
        name: Some("A".into()),
        items_seen: 3,
        ..Default::default()
    })
    .unwrap();
    let mut seen = s.seen_set("https://a.example/rss").unwrap();
    let fp = fingerprint(&body(200)).unwrap();
    let mut w = new_story(s, "i1", "u:https://a.example/1", Some("a title"));
    w.fingerprint = Some(FingerprintEntry {
        id: "i1".into(),
        url: "https://a.example/1".into(),
        fingerprint: fp,
        title_key: Some("a title".into()),
        at: now,
    });
    w.dedup_time = None;
    s.commit_story(&w, &mut seen).unwrap();
    let w2 = new_story(s, "i2", "g:guid-2", None);
    s.commit_story(&w2, &mut seen).unwrap();
    s.put_seen_set("https://a.example/rss", &mut seen, 1)
        .unwrap();
    s.put_digest(&digest("d-1", &["i2"], DigestState::Queued))
        .unwrap();
    s.mark_seed_doc("briefing.txt").unwrap();
}

/// The record lines of an export (the header carries its time).
fn export_lines(s: &dyn StoreBackend) -> (Vec<String>, ExportStats) {
    let mut out = Vec::new();
    let stats = s.export(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    (text.lines().skip(1).map(str::to_string).collect(), stats)
}

#[test]
fn an_export_moves_sled_to_postgres_and_back_line_for_line() {
    let from = sled();
    populate(&*from.store);
    let (sled_lines, sled_stats) = export_lines(&*from.store);
    assert!(sled_lines.len() > 10, "{sled_lines:?}");
    assert!(sled_stats.skipped.is_empty());

    let to = pg();
    let mut input = Vec::new();
    from.store.export(&mut input).unwrap();
    let stats = to.store.import(&mut input.as_slice()).unwrap();
    assert_eq!(stats.records as usize, sled_lines.len());
    let (pg_lines, pg_stats) = export_lines(&*to.store);
    assert_eq!(pg_lines, sled_lines);
    assert_eq!(pg_stats.records, sled_stats.records);

    // What the PostgreSQL store reads from it is what sled read.
    assert_eq!(
        to.store.pending_ids().unwrap(),
        from.store.pending_ids().unwrap()
    );
    assert_eq!(
        to.store.claims_list(None).unwrap(),
        from.store.claims_list(None).unwrap()
    );
    assert_eq!(
        to.store.seen_set("https://a.example/rss").unwrap(),
        from.store.seen_set("https://a.example/rss").unwrap()
    );
    assert_eq!(to.store.queued_digests().unwrap().len(), 1);
    // A claim stored after the import sorts after the imported ones of its key.
    let key = "i1-subject|||ships||";
    let newest = to.store.new_claim_key(key).unwrap();
    let imported = to.store.recent_claims_for_key(key, 10).unwrap();
    assert!(imported.iter().all(|(k, _)| *k < newest));

    // Importing into a store that holds records is refused, and changes nothing.
    let err = to.store.import(&mut input.as_slice()).unwrap_err();
    assert!(
        format!("{err:#}").contains("already holds records"),
        "{err:#}"
    );

    // And back into sled.
    let back = sled();
    let mut pg_export = Vec::new();
    to.store.export(&mut pg_export).unwrap();
    back.store.import(&mut pg_export.as_slice()).unwrap();
    let (back_lines, _) = export_lines(&*back.store);
    assert_eq!(back_lines, sled_lines);
}

#[test]
fn a_bad_import_line_leaves_the_postgres_store_empty() {
    let to = pg();
    let input = format!(
        "{{\"newswatch_export\":1,\"schema_version\":{SCHEMA_VERSION},\"created_at\":\"2026-01-01T00:00:00Z\"}}\n\
         {{\"tree\":\"items\",\"key\":\"a\",\"value\":{{}}}}\n\
         {{\"tree\":\"nonsense\",\"key\":\"a\",\"value\":{{}}}}\n"
    );
    let err = to.store.import(&mut input.as_bytes()).unwrap_err();
    assert!(format!("{err:#}").contains("line 3"), "{err:#}");
    assert!(to.store.is_empty().unwrap());
}

/// Three instances opening one new database at once migrate it once.
#[test]
fn instances_starting_together_migrate_once() {
    let url = postgres::database();
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                let dir = tempfile::tempdir().unwrap();
                PgStore::open(&url, None, dir.path()).map(|s| s.schema_version())
            })
        })
        .collect();
    for h in handles {
        assert_eq!(
            h.join().unwrap().unwrap(),
            newswatch::store::postgres::PG_SCHEMA_VERSION
        );
    }
    // A database at a newer version than this binary is refused.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        client
            .batch_execute("INSERT INTO schema_migrations (version, name) VALUES (999, 'future')")
            .await
            .unwrap();
    });
    let dir = tempfile::tempdir().unwrap();
    let err = PgStore::open(&url, None, dir.path()).err().unwrap();
    assert!(err.to_string().contains("newer"), "{err}");
}

/// A database that cannot be reached is an error naming the host, never the password.
#[test]
fn an_unreachable_database_is_an_error_naming_the_host() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("postgres://nw:sekrit@127.0.0.1:{port}/db?connect_timeout=3");
    let err = PgStore::open(&url, None, dir.path())
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("127.0.0.1"), "{err}");
    assert!(!err.contains("sekrit"), "{err}");
}

// ---- end to end: `once` with `[store] url` ----

/// `newswatch once --json` with the store in PostgreSQL (`NEWSWATCH__STORE__URL`): the
/// feed's stories are stored there, a second `once` finds them not new, and `claims`
/// reads their claims back from the database.
#[test]
fn once_stores_its_stories_in_postgres_and_a_second_once_finds_them_known() {
    use crate::support::cli::{feed, file_email, Session};
    use crate::support::http::{HttpServer, Response};
    let http = HttpServer::start();
    let base = http.base_url();
    let base = base.trim_end_matches('/');
    let pub_date = (Utc::now() - chrono::Duration::hours(2)).to_rfc2822();
    let body = "Seoul's intelligence service said about 11,000 North Korean troops were \
        deployed to the Kursk region. Officials gave no further detail on the schedule, and \
        the report could not be independently verified. Analysts said the move fits a pattern \
        of closer ties that began with the treaty signed the previous year.";
    let rss = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Peninsula Wire</title><link>http://example.org/</link><description>test</description><item><title>North Korean troops reach the Kursk front</title><link>{base}/news/kursk</link><guid isPermaLink="false">pw-kursk</guid><pubDate>{pub_date}</pubDate><description><![CDATA[<p>{body}</p>]]></description></item></channel></rss>"#
    );
    http.route("/rss.xml", Response::ok("application/rss+xml", rss));
    let s = Session::new();
    s.config(&format!(
        "{}\n{}",
        file_email(),
        feed(&http.url("/rss.xml"), "Wire")
    ));
    let url = postgres::database();
    let run = |args: &[&str]| -> crate::support::cli::Run {
        s.cmd(args)
            .env("NEWSWATCH__STORE__URL", &url)
            .output()
            .unwrap()
            .into()
    };
    let first = run(&["once", "--json"]).success().json();
    let items = first["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 1, "{first:#}");
    assert!(items[0]["duplicate_of"].is_null(), "{first:#}");
    assert_eq!(first["digest"]["status"], "sent", "{first:#}");
    // Nothing of it in the state_dir's sled store: it is in the database.
    assert!(!s.path("var/state/db").exists());
    let dir = tempfile::tempdir().unwrap();
    let db = PgStore::open(&url, None, dir.path()).unwrap();
    assert_eq!(db.item_count(), 1);
    assert!(db.claim_count() >= 1);
    assert_eq!(db.all_feed_states().unwrap().len(), 1);
    drop(db);

    let second = run(&["once", "--json"]).success().json();
    assert_eq!(
        second["items"].as_array().map(Vec::len),
        Some(0),
        "{second:#}"
    );
    assert_eq!(second["digest"]["status"], "empty", "{second:#}");

    let claims = run(&["claims", "--json"]).success();
    let text = claims.stdout.clone();
    assert!(text.contains("11000"), "{text}");
}

/// `check` with `[store] url` connects and says the schema version; a database that cannot
/// be reached is exit 1 with a message naming the host, the password never printed.
#[test]
fn check_connects_to_the_database_and_never_prints_the_password() {
    use crate::support::cli::{file_email, Session};
    let s = Session::new();
    s.config(&file_email());
    let url = postgres::database();
    let ok: crate::support::cli::Run = s
        .cmd(&["check"])
        .env("NEWSWATCH__STORE__URL", &url)
        .env("NEWSWATCH__STORE__PASSWORD", "hunter2")
        .output()
        .unwrap()
        .into();
    let ok = ok.success();
    assert!(ok.stderr.contains("schema version 1"), "{}", ok.stderr);
    assert!(!ok.stderr.contains("hunter2"), "{}", ok.stderr);

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    for args in [&["check"][..], &["claims"][..]] {
        let down: crate::support::cli::Run = s
            .cmd(args)
            .env(
                "NEWSWATCH__STORE__URL",
                format!("postgres://nw:sekrit@127.0.0.1:{port}/nw"),
            )
            .env("NEWSWATCH__STORE__PASSWORD", "hunter2")
            .output()
            .unwrap()
            .into();
        assert_eq!(down.code, 1, "{}", down.stderr);
        assert!(
            down.stderr.contains(&format!("127.0.0.1:{port}")),
            "{}",
            down.stderr
        );
        assert!(!down.stderr.contains("sekrit"), "{}", down.stderr);
        assert!(!down.stderr.contains("hunter2"), "{}", down.stderr);
        assert!(!down.stderr.contains("panicked"), "{}", down.stderr);
    }
}

/// `sslmode=require` connects over TLS or not at all: the test cluster has no TLS, so the
/// open fails (with the reason), where the same URL without it connects.
#[test]
fn sslmode_require_never_falls_back_to_a_plain_connection() {
    let url = postgres::database();
    let dir = tempfile::tempdir().unwrap();
    let sep = if url.contains('?') { '&' } else { '?' };
    let err = PgStore::open(&format!("{url}{sep}sslmode=require"), None, dir.path())
        .err()
        .unwrap()
        .to_string();
    assert!(err.to_lowercase().contains("tls"), "{err}");
    assert!(PgStore::open(&url, None, dir.path()).is_ok());
}

/// Two instances on one database, each with its own state_dir, polling the same three
/// feeds at once (the same stories syndicated in each): every matching story is stored
/// once and mailed once across both, and nothing is left pending.
#[test]
fn two_instances_polling_together_store_and_mail_each_story_once() {
    use crate::support::cli::{feed, file_email, Session};
    use crate::support::http::{HttpServer, Response};
    let http = HttpServer::start();
    let base = http.base_url();
    let base = base.trim_end_matches('/');
    let pub_date = (Utc::now() - chrono::Duration::hours(2)).to_rfc2822();
    let stories = [
        ("Kursk", "Seoul's spy agency told lawmakers that about 11,000 North Korean troops were moved to the Kursk front last autumn, where many served in assault units."),
        ("Belgorod", "A regional governor in Belgorod confirmed that 2,000 North Korean workers arrived by train to rebuild bridges damaged by shelling near the border."),
        ("Rason", "Satellite images of the Rason port show three Russian cargo ships unloading crates, which analysts linked to a new fuel deal signed in Pyongyang."),
        ("Wonsan", "Tour operators said the first group of 400 Russian holidaymakers landed at Wonsan airport, the largest foreign tourist party since the border reopened."),
        ("Kaesong", "The unification ministry reported that North Korean soldiers planted new mines along roads near Kaesong and tore down a disused liaison office."),
        ("Sinuiju", "Flood damage in Sinuiju left 5,000 people homeless according to state media, which blamed the river's record rise after a week of monsoon rain."),
    ];
    let places: Vec<&str> = stories.iter().map(|(p, _)| *p).collect();
    let mut items = String::new();
    for (place, text) in stories {
        items.push_str(&format!(
            "<item><title>North Korea and the news from {place}</title><link>{base}/news/{place}</link>\
             <guid isPermaLink=\"false\">pw-{place}</guid><pubDate>{pub_date}</pubDate>\
             <description><![CDATA[<p>{text}</p>]]></description></item>"
        ));
    }
    let rss = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title><link>http://example.org/</link><description>test</description>{items}</channel></rss>"#
    );
    let mut feeds = String::new();
    for f in ["a", "b", "c"] {
        let path = format!("/{f}.xml");
        http.route(&path, Response::ok("application/rss+xml", rss.clone()));
        feeds.push_str(&feed(&http.url(&path), &format!("Wire {f}")));
    }
    let url = postgres::database();
    let sessions: Vec<Session> = (0..2)
        .map(|_| {
            let s = Session::new();
            s.config(&format!("{}\n{feeds}", file_email()));
            s
        })
        .collect();
    let children: Vec<_> = sessions
        .iter()
        .map(|s| {
            s.cmd(&["once", "--json"])
                .env("NEWSWATCH__STORE__URL", &url)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut new_items = Vec::new();
    for c in children {
        let run: crate::support::cli::Run = c.wait_with_output().unwrap().into();
        let report = run.success().json();
        for it in report["items"].as_array().cloned().unwrap_or_default() {
            if it["duplicate_of"].is_null() {
                new_items.push(it["id"].as_str().unwrap_or_default().to_string());
            }
        }
    }
    new_items.sort();
    let before = new_items.len();
    new_items.dedup();
    assert_eq!(before, new_items.len(), "a story reported new twice");
    assert_eq!(new_items.len(), places.len(), "{new_items:?}");

    let dir = tempfile::tempdir().unwrap();
    let db = PgStore::open(&url, None, dir.path()).unwrap();
    assert_eq!(db.item_count(), places.len());
    assert!(db.pending_ids().unwrap().is_empty());
    // Every stored story is in exactly one digest, and every digest was sent.
    let mut mailed: Vec<String> = Vec::new();
    let mut export = Vec::new();
    db.export(&mut export).unwrap();
    for line in String::from_utf8(export).unwrap().lines().skip(1) {
        let rec: serde_json::Value = serde_json::from_str(line).unwrap();
        if rec["tree"] == "digests" {
            assert_eq!(rec["value"]["state"], "sent", "{rec}");
            for id in rec["value"]["item_ids"].as_array().unwrap() {
                mailed.push(id.as_str().unwrap().to_string());
            }
        }
    }
    mailed.sort();
    assert_eq!(mailed, new_items);
    let mails: usize = sessions.iter().map(|s| s.outbox().len()).sum();
    assert!((1..=2).contains(&mails), "{mails} mails");
}

/// An import larger than one batch (500 rows a statement) keeps every record, in order.
#[test]
fn a_large_export_moves_to_postgres_whole() {
    let from = sled();
    for i in 0..1234 {
        from.store.mark_seed_doc(&format!("doc-{i:05}")).unwrap();
    }
    populate(&*from.store);
    let (sled_lines, _) = export_lines(&*from.store);
    let to = pg();
    let mut input = Vec::new();
    from.store.export(&mut input).unwrap();
    let stats = to.store.import(&mut input.as_slice()).unwrap();
    assert_eq!(stats.trees["seed_docs"], 1235);
    let (pg_lines, _) = export_lines(&*to.store);
    assert_eq!(pg_lines.len(), sled_lines.len());
    assert!(pg_lines == sled_lines);
}

/// Not a check: how many new stories per second 1, 2 and 3 instances store through one
/// PostgreSQL on this machine (each story: one lookup, one commit with its index and title
/// keys, fingerprint, two claims, pending and the item), against sled's one process.
/// `cargo test --release --test it store_throughput -- --ignored --nocapture`.
#[test]
#[ignore]
fn store_throughput() {
    const PER_INSTANCE: usize = 300;
    fn store_many(s: &dyn StoreBackend, tag: &str) {
        let fp_text = body(150);
        for i in 0..PER_INSTANCE {
            let id = format!("{tag}-{i}");
            let keys = vec![format!("u:https://a.test/{id}")];
            let title = format!("story number {i} from {tag} about the harbour");
            let fp = fingerprint(&format!("{fp_text} {id} {i}")).unwrap();
            s.story_lookup(&StoryQuery {
                id: &id,
                index_keys: &keys,
                title_key: Some(&title),
                fingerprint: Some(&fp),
            })
            .unwrap();
            let mut w = new_story(s, &id, &keys[0], Some(&title));
            let k2 = s.new_claim_key(&format!("{id}-subject|||ships||")).unwrap();
            w.claims
                .push((k2, claim_record(&format!("{id}-subject"), 4.0)));
            w.fingerprint = Some(FingerprintEntry {
                id: id.clone(),
                url: format!("https://a.test/{id}"),
                fingerprint: fp,
                title_key: Some(title.clone()),
                at: Utc::now(),
            });
            w.dedup_time = None;
            let mut seen = SeenSet::default();
            assert_eq!(s.commit_story(&w, &mut seen).unwrap(), Committed::Stored);
        }
    }
    let o = sled();
    let started = Instant::now();
    store_many(&*o.store, "sled");
    let secs = started.elapsed().as_secs_f64();
    println!(
        "sled, 1 process: {PER_INSTANCE} stories in {secs:.2} s = {:.0} stories/s",
        PER_INSTANCE as f64 / secs
    );
    for n in 1..=3 {
        let o = pg();
        let stores: Vec<Arc<dyn StoreBackend>> = (0..n)
            .map(|i| if i == 0 { o.store.clone() } else { second(&o) })
            .collect();
        let started = Instant::now();
        let threads: Vec<_> = stores
            .into_iter()
            .enumerate()
            .map(|(i, s)| std::thread::spawn(move || store_many(&*s, &format!("pg{i}"))))
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let secs = started.elapsed().as_secs_f64();
        let total = n * PER_INSTANCE;
        println!(
            "PostgreSQL, {n} instance(s): {total} stories in {secs:.2} s = {:.0} stories/s",
            total as f64 / secs
        );
        assert_eq!(o.store.item_count(), total);
    }
}
