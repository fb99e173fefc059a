//! Retention (issue 12, point 9): `newswatch prune` and the `[retention]` key. What is
//! pruned and what stays is tested on the store itself
//! (`store::tests::retention_prunes_old_sent_stories_keeps_dedup_keys_and_pending_and_the_store_reopens`).

use crate::support::cli::{file_email, Session};

#[test]
fn prune_runs_on_a_store_and_the_retention_key_is_checked() {
    let s = Session::new();
    s.config(&format!("{}\n[retention]\ndays = 30\n", file_email()));
    s.run(&["check"]).success();
    let r = s.run(&["prune", "--json"]).success().json();
    assert_eq!(r, serde_json::json!({"items": 0, "digests": 0}));
    let text = s.run(&["prune"]).success();
    assert!(text.stderr.contains("30 days"), "{}", text.stderr);

    s.config(&format!("{}\n[retention]\ndayz = 30\n", file_email()));
    let bad = s.run(&["check"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("retention.dayz: unknown key"),
        "{}",
        bad.stderr
    );
}
