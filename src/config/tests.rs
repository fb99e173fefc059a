//! Tests of config loading: defaults, paths, environment overrides and every error line.
use super::*;

/// A project laid out like the shipped one: `<tmp>/config/newswatch.toml` beside
/// `<tmp>/watchlists/`.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new(toml: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("config")).unwrap();
        std::fs::create_dir(dir.path().join("watchlists")).unwrap();
        std::fs::write(dir.path().join("config/newswatch.toml"), toml).unwrap();
        Project { dir }
    }

    fn config_path(&self) -> PathBuf {
        self.dir.path().join("config/newswatch.toml")
    }

    fn load(&self, env: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let env = env.iter().map(|(k, v)| (k.to_string(), v.to_string()));
        Config::load_with_env(&self.config_path(), env)
    }

    /// The error lines, with the temporary directory shown as `<dir>`.
    fn errors(&self, env: &[(&str, &str)]) -> Vec<String> {
        match self.load(env) {
            Ok(_) => panic!("expected the config to be rejected"),
            Err(ConfigError::Invalid(lines)) => {
                let root = self.dir.path().display().to_string();
                lines.iter().map(|l| l.replace(&root, "<dir>")).collect()
            }
            Err(e) => panic!("unexpected error {e}"),
        }
    }
}

#[test]
fn an_empty_file_gives_every_default() {
    let p = Project::new("");
    let c = p.load(&[]).unwrap();
    let root = p.dir.path();
    assert_eq!(c.state_dir, root.join("var/state"));
    assert_eq!(c.watchlists_dir, root.join("watchlists"));
    assert_eq!(c.email.outbox_dir, root.join("var/outbox"));
    assert_eq!(c.schedule.poll.expr, "*/15 * * * *");
    assert_eq!(c.schedule.digest.expr, "0 7 * * *");
    assert_eq!(c.schedule.timezone, chrono_tz::UTC);
    let f = &c.fetch.settings;
    assert_eq!(f.timeout, Duration::from_secs(20));
    assert_eq!(f.connect_timeout, Duration::from_secs(10));
    assert_eq!(f.max_body_bytes, 5_000_000);
    assert_eq!((f.concurrency, f.per_host_concurrency), (32, 2));
    assert!(f
        .user_agent
        .starts_with(&format!("newswatch/{}", env!("CARGO_PKG_VERSION"))));
    assert_eq!(c.fetch.full_text, FullText::Auto);
    assert_eq!(c.fetch.backfill_days, 3);
    assert_eq!(c.email.subject_prefix, "[newswatch]");
    assert_eq!(c.email.transport, Transport::File);
    assert_eq!(c.email.from, "newswatch <newswatch@localhost>");
    assert!(c.email.to.is_empty());
    assert_eq!(c.email.smtp.host, "127.0.0.1");
    assert_eq!(c.email.smtp.port, 25);
    assert_eq!(c.email.smtp.security, SmtpSecurity::None);
    assert_eq!(c.email.smtp.timeout_secs, 30);
    assert_eq!(c.email.smtp.password, None);
    assert_eq!(c.email.sendmail_command, "sendmail");
    assert_eq!(
        c.email.retry,
        crate::sinks::queue::RetryPolicy {
            min_secs: 60,
            max_secs: 3600,
            park_after: 5
        }
    );
    assert!(c.feeds.is_empty());
    // Legal but worth a log line.
    assert_eq!(c.warnings.len(), 2, "{:?}", c.warnings);
}

#[test]
fn feed_retry_keys_are_read_and_checked() {
    let c = Project::new("").load(&[]).unwrap();
    assert_eq!(
        c.fetch.retry,
        crate::pipeline::schedule_state::FeedRetry::default()
    );
    assert_eq!(c.fetch.silent_after_hours, 72);
    assert_eq!(c.fetch.max_items_per_feed, 500);
    assert_eq!(c.email.max_stories_per_digest, 200);
    let p = Project::new("[fetch]\nmax_items_per_feed = 0\n[email]\nmax_stories_per_digest = 0\n");
    let errors = p.errors(&[]).join("\n");
    assert!(
        errors.contains("fetch.max_items_per_feed: must be between 1"),
        "{errors}"
    );
    assert!(
        errors.contains("email.max_stories_per_digest: must be between 1"),
        "{errors}"
    );
    let p = Project::new(
        "[fetch]\nretry_min_secs = 10\nretry_max_secs = 100\nmax_check_interval_secs = 600\nsilent_after_hours = 5\n",
    );
    let c = p.load(&[]).unwrap();
    assert_eq!(
        (
            c.fetch.retry.min_secs,
            c.fetch.retry.max_secs,
            c.fetch.retry.max_hint_secs
        ),
        (10, 100, 600)
    );
    assert_eq!(c.fetch.silent_after_hours, 5);
    let p = Project::new("[fetch]\nretry_min_secs = 100\nretry_max_secs = 10\nsilent_after_hours = 0\nretry_secs = 1\n");
    let errors = p.errors(&[]).join("\n");
    assert!(
        errors.contains("fetch.retry_max_secs: must not be less than fetch.retry_min_secs (100)"),
        "{errors}"
    );
    assert!(
        errors.contains("fetch.silent_after_hours: must be between 1 and 8760"),
        "{errors}"
    );
    assert!(errors.contains("fetch.retry_secs: unknown key"), "{errors}");
}

#[test]
fn mail_retry_keys_are_read_and_checked() {
    let p = Project::new("[email]\nretry_min_secs = 5\nretry_max_secs = 40\npark_after = 2\n");
    let r = p.load(&[]).unwrap().email.retry;
    assert_eq!((r.min_secs, r.max_secs, r.park_after), (5, 40, 2));
    // A minimum above 3600 raises the default maximum with it.
    let p = Project::new("[email]\nretry_min_secs = 7200\n");
    assert_eq!(p.load(&[]).unwrap().email.retry.max_secs, 7200);
    let p = Project::new(
        "[email]\nretry_min_secs = 600\nretry_max_secs = 60\npark_after = 0\nretry_mins = 1\n",
    );
    let errors = p.errors(&[]).join("\n");
    assert!(
        errors.contains("email.retry_max_secs: must not be less than email.retry_min_secs (600)"),
        "{errors}"
    );
    assert!(
        errors.contains("email.park_after: must be between 1 and 1000"),
        "{errors}"
    );
    assert!(errors.contains("email.retry_mins: unknown key"), "{errors}");
}

#[test]
fn relative_paths_resolve_against_the_config_directory() {
    let p = Project::new(
        r#"
state_dir = "state"
watchlists_dir = "../watchlists/"
[email]
outbox_dir = "./out/../mail"
[email.smtp]
password_file = "secret"
[[feeds]]
url = "feeds/local.xml"
"#,
    );
    std::fs::write(p.dir.path().join("config/secret"), "s3cret\n").unwrap();
    let c = p.load(&[]).unwrap();
    let cfg_dir = p.dir.path().join("config");
    assert_eq!(c.state_dir, cfg_dir.join("state"));
    assert_eq!(c.watchlists_dir, p.dir.path().join("watchlists"));
    assert_eq!(c.email.outbox_dir, cfg_dir.join("mail"));
    assert_eq!(c.email.smtp.password.as_deref(), Some("s3cret"));
    let want = url::Url::from_file_path(cfg_dir.join("feeds/local.xml")).unwrap();
    assert_eq!(c.feeds[0].url, want.as_str());
}

#[test]
fn absolute_paths_stay_as_written() {
    let p = Project::new("");
    let abs = p.dir.path().join("elsewhere");
    let toml = format!("state_dir = {:?}\n", abs.display().to_string());
    std::fs::write(p.config_path(), toml).unwrap();
    assert_eq!(p.load(&[]).unwrap().state_dir, abs);
}

#[test]
fn environment_overrides_nested_keys_and_lists() {
    let p = Project::new(
        r#"
[fetch]
timeout_secs = 20
[email]
to = ["desk@example.org"]
transport = "smtp"
[email.smtp]
security = "starttls"
username = "bot"
"#,
    );
    let c = p
        .load(&[
            ("NEWSWATCH__FETCH__TIMEOUT_SECS", "5"),
            ("NEWSWATCH__EMAIL__SMTP__PASSWORD", "0123"),
            ("NEWSWATCH__EMAIL__SMTP__PORT", "587"),
            ("NEWSWATCH__EMAIL__TO", "a@example.org, b@example.org"),
            ("NEWSWATCH__SCHEDULE__TIMEZONE", "Europe/Paris"),
            ("UNRELATED", "x"),
        ])
        .unwrap();
    assert_eq!(c.fetch.settings.timeout, Duration::from_secs(5));
    // Kept as text: a password of digits must not become a number.
    assert_eq!(c.email.smtp.password.as_deref(), Some("0123"));
    assert_eq!(c.email.smtp.port, 587);
    assert_eq!(c.email.to, ["a@example.org", "b@example.org"]);
    assert_eq!(c.schedule.timezone, chrono_tz::Europe::Paris);
}

#[test]
fn bad_environment_values_name_their_variable() {
    let p = Project::new("");
    let lines = p.errors(&[
        ("NEWSWATCH__FETCH__TIMEOUT_SECS", "soon"),
        ("NEWSWATCH__FETCH__TIMEOUT", "5"),
        ("NEWSWATCH__EMAIL__TO", "a@example.org,not an address"),
        ("NEWSWATCH__EMAIL__SMTP", "mail.example.org"),
    ]);
    let want = [
        "<dir>/config/newswatch.toml: email.to[1]: invalid email address \"not an address\"",
        "<dir>/config/newswatch.toml: fetch.timeout: unknown key (did you mean `timeout_secs`?) (set by NEWSWATCH__FETCH__TIMEOUT)",
        "<dir>/config/newswatch.toml: fetch.timeout_secs: expected a whole number, found \"soon\" (set by NEWSWATCH__FETCH__TIMEOUT_SECS)",
        "<dir>/config/newswatch.toml: email.smtp: is a section, not a value",
    ];
    for w in want {
        assert!(
            lines.iter().any(|l| l.starts_with(w)),
            "missing {w:?} in {lines:#?}"
        );
    }
    assert_eq!(lines.len(), 4, "{lines:#?}");
}

/// (what is wrong, the file, the one line expected after `<dir>/config/newswatch.toml`)
const INVALID: &[(&str, &str, &str)] = &[
    (
        "webhook scheme",
        "[[webhooks]]\nurl = \"ftp://hooks.example.org/x\"\n",
        ":2:7: webhooks[0].url: invalid URL \"ftp://hooks.example.org/x\": a webhook is http:// or https://",
    ),
    (
        "webhook event",
        "[[webhooks]]\nurl = \"https://hooks.example.org/x\"\nevents = [\"digest\", \"alerts\"]\n",
        ":3:",
    ),
    (
        "webhook key",
        "[[webhooks]]\nurl = \"https://hooks.example.org/x\"\ntokn_file = \"t\"\n",
        ":3:1: webhooks[0].tokn_file: unknown key",
    ),
    (
        "short cron",
        "[schedule]\npoll = \"*/15 * *\"\n",
        ":2:8: schedule.poll: invalid cron expression \"*/15 * *\": expected 5 fields (crontab) or 6 (with seconds), found 3",
    ),
    (
        "cron out of range",
        "[schedule]\ndigest = \"0 25 * * *\"\n",
        ":2:10: schedule.digest: invalid cron expression \"0 25 * * *\": hour 25 out of range 0-23",
    ),
    (
        "unknown zone",
        "[schedule]\ntimezone = \"Europe/Pari\"\n",
        ":2:12: schedule.timezone: unknown time zone \"Europe/Pari\" (did you mean \"Europe/Paris\"?)",
    ),
    (
        "unknown key with hint",
        "[fetch]\ntimeout_sec = 5\n",
        ":2:1: fetch.timeout_sec: unknown key (did you mean `timeout_secs`?)",
    ),
    (
        "key in the wrong section",
        "timeout_secs = 5\n",
        ":1:1: timeout_secs: unknown key (`timeout_secs` belongs at `fetch.timeout_secs`)",
    ),
    (
        "unknown section",
        "[mail]\nfrom = \"a@b.org\"\n",
        ":1:2: mail: unknown key (did you mean `email`?)",
    ),
    (
        "section given as a value",
        "fetch = 5\n",
        ":1:9: fetch: expected a table ([fetch]), found integer",
    ),
    (
        "bad scheme",
        "[[feeds]]\nurl = \"ftp://example.org/rss\"\n",
        ":2:7: feeds[0].url: invalid URL \"ftp://example.org/rss\": scheme \"ftp\" is not http, https or file",
    ),
    (
        "no host",
        "[[feeds]]\nurl = \"https://\"\n",
        ":2:7: feeds[0].url: invalid URL \"https://\": empty host",
    ),
    (
        "relative file URL",
        "[[feeds]]\nurl = \"file://feeds/local.xml\"\n",
        ":2:7: feeds[0].url: invalid URL \"file://feeds/local.xml\": a file URL takes an absolute path",
    ),
    (
        "feed without url",
        "[[feeds]]\nname = \"Nameless\"\n",
        ":1:1: feeds[0]: missing key `url`",
    ),
    (
        "unknown feed kind",
        "[[feeds]]\nurl = \"https://example.org/\"\nkind = \"rss\"\n",
        ":3:8: feeds[0].kind: invalid value \"rss\": expected one of feed, html",
    ),
    (
        "html with a title selector but no item selector",
        "[[feeds]]\nurl = \"https://example.org/\"\nkind = \"html\"\ntitle_selector = \"h2\"\n",
        ":1:1: feeds[0]: link/title/summary/date selectors need `item_selector`",
    ),
    (
        "selector on a plain feed",
        "[[feeds]]\nurl = \"https://example.org/rss\"\nitem_selector = \"article\"\n",
        ":3:17: feeds[0].item_selector: is only used with kind = \"html\"",
    ),
    (
        "broken css",
        "[[feeds]]\nurl = \"https://example.org/\"\nkind = \"html\"\nitem_selector = \"article[\"\n",
        ":4:17: feeds[0].item_selector: invalid CSS selector \"article[\"",
    ),
    (
        "duplicate feed",
        "[[feeds]]\nurl = \"https://example.org/rss\"\n[[feeds]]\nurl = \"https://example.org/rss\"\n",
        ":4:7: feeds[1].url: https://example.org/rss is already feeds[0]",
    ),
    (
        "bad transport",
        "[email]\ntransport = \"smtps\"\n",
        ":2:13: email.transport: invalid value \"smtps\": expected one of file, smtp, sendmail",
    ),
    (
        "bad security",
        "[email.smtp]\nsecurity = \"ssl\"\n",
        ":2:12: email.smtp.security: invalid value \"ssl\": expected one of none, starttls, tls",
    ),
    (
        "bad full_text",
        "[fetch]\nfull_text = \"sometimes\"\n",
        ":2:13: fetch.full_text: invalid value \"sometimes\": expected one of auto, always, never",
    ),
    (
        "bad recipient",
        "[email]\nto = [\"ok@example.org\", \"nobody\"]\n",
        ":2:25: email.to[1]: invalid email address \"nobody\"",
    ),
    (
        "bad sender",
        "[email]\nfrom = \"newswatch <newswatch>\"\n",
        ":2:8: email.from: invalid email address \"newswatch <newswatch>\"",
    ),
    (
        "zero timeout",
        "[fetch]\ntimeout_secs = 0\n",
        ":2:16: fetch.timeout_secs: must be between 1 and 3600, found 0",
    ),
    (
        "absurd concurrency",
        "[fetch]\nconcurrency = 100000\n",
        ":2:15: fetch.concurrency: must be between 1 and 1024, found 100000",
    ),
    (
        "negative port",
        "[email.smtp]\nport = -1\n",
        ":2:8: email.smtp.port: must be between 1 and 65535, found -1",
    ),
    (
        "port as words",
        "[email.smtp]\nport = \"twenty-five\"\n",
        ":2:8: email.smtp.port: expected a whole number, found \"twenty-five\"",
    ),
    (
        "per-host above global",
        "[fetch]\nconcurrency = 2\nper_host_concurrency = 4\n",
        ":3:24: fetch.per_host_concurrency: must not exceed fetch.concurrency (2), found 4",
    ),
    (
        "string where a number goes",
        "state_dir = 5\n",
        ":1:13: state_dir: expected a string, found an integer",
    ),
    (
        "unreadable password file",
        "[email.smtp]\npassword_file = \"missing-secret\"\n",
        ":2:17: email.smtp.password_file: cannot read <dir>/config/missing-secret:",
    ),
    (
        "missing watchlists dir",
        "watchlists_dir = \"../nowhere\"\n",
        ":1:18: watchlists_dir: cannot open <dir>/nowhere:",
    ),
    (
        "watchlists dir is a file",
        "watchlists_dir = \"newswatch.toml\"\n",
        ":1:18: watchlists_dir: <dir>/config/newswatch.toml is not a directory",
    ),
    (
        "smtp user without password",
        "[email]\ntransport = \"smtp\"\n[email.smtp]\nusername = \"bot\"\n",
        ":4:12: email.smtp.username: is set but there is no password",
    ),
    (
        "toml syntax",
        "[fetch]\ntimeout_secs = = 5\n",
        ":2:16: extra `=`",
    ),
    (
        "unclosed table header",
        "[fetch\ntimeout_secs = 5\n",
        ":1:",
    ),
];

#[test]
fn each_invalid_config_gives_its_line() {
    for (what, toml, want) in INVALID {
        let p = Project::new(toml);
        assert!(p.load(&[]).is_err(), "{what}: accepted");
        let lines = p.errors(&[]);
        let want = format!("<dir>/config/newswatch.toml{want}");
        assert_eq!(lines.len(), 1, "{what}: {lines:#?}");
        assert!(
            lines[0].starts_with(&want),
            "{what}:\n got  {:?}\n want {want:?}…",
            lines[0]
        );
    }
}

#[test]
fn every_problem_in_a_file_is_reported_in_file_order() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/config/many-errors.toml"
    ))
    .unwrap();
    let want = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/config/many-errors.expected"
    ))
    .unwrap();
    let p = Project::new(&text);
    let got = p.errors(&[]).join("\n");
    assert_eq!(got.trim(), want.trim());
}

#[test]
fn an_unreadable_file_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = Config::load_with_env(&dir.path().join("none.toml"), Vec::new()).unwrap_err();
    assert!(matches!(err, ConfigError::Io { .. }), "{err}");
    // The reason once (also with the alternate form, which prints causes), and the way
    // to name another file.
    let shown = format!("{:#}", anyhow::Error::from(err));
    assert_eq!(shown.matches("No such file").count(), 1, "{shown}");
    assert!(shown.contains("-c PATH"), "{shown}");
}

#[test]
fn html_feeds_keep_their_selectors_and_names() {
    let p = Project::new(
        r#"
[[feeds]]
url = "https://example.org/rss.xml"
name = "Example"
full_text = "never"

[[feeds]]
url = "file:///srv/feeds/local.xml"

[[feeds]]
url = "https://example.org/news/"
kind = "html"
item_selector = "article"
link_selector = "a"
title_selector = "h2"
"#,
    );
    let c = p.load(&[]).unwrap();
    assert_eq!(c.feed_name("https://example.org/rss.xml"), Some("Example"));
    assert_eq!(c.feeds[0].full_text_or(FullText::Auto), FullText::Never);
    assert_eq!(c.feeds[1].url, "file:///srv/feeds/local.xml");
    assert_eq!(c.feeds[1].kind, FeedKind::Feed);
    assert_eq!(c.feeds[2].kind, FeedKind::Html);
    assert_eq!(c.feeds[2].item_selector.as_deref(), Some("article"));
    assert_eq!(c.feeds[2].title_selector.as_deref(), Some("h2"));
    assert_eq!(c.feeds[2].full_text_or(FullText::Always), FullText::Always);
}

#[test]
fn the_shipped_config_loads() {
    // A copy of config/newswatch.toml in a fresh project, so the repository needs no
    // watchlists folder and the test no network.
    let shipped = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/config/newswatch.toml"
    ))
    .unwrap();
    let p = Project::new(&shipped);
    let c = p.load(&[]).unwrap_or_else(|e| panic!("{e}"));
    assert!(c.feeds.len() >= 10, "{} feeds", c.feeds.len());
    assert!(c.feeds.iter().all(|f| f.name.is_some()));
    assert_eq!(c.email.transport, Transport::File);
    assert_eq!(c.email.outbox_dir, p.dir.path().join("var/outbox"));
    assert_eq!(c.state_dir, p.dir.path().join("var/state"));
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
}

#[test]
fn lines_and_columns_count_characters() {
    assert_eq!(line_col("a\nбв = 1", 0), (1, 1));
    assert_eq!(line_col("a\nбв = 1", 2), (2, 1));
    assert_eq!(line_col("a\nбв = 1", "a\nбв".len()), (2, 3));
}

#[test]
fn did_you_mean_stays_close() {
    assert_eq!(
        nearest("timout_secs", ["timeout_secs", "concurrency"]),
        Some("timeout_secs")
    );
    assert_eq!(nearest("colour", ["timeout_secs", "concurrency"]), None);
}

#[test]
fn webhooks_read_their_events_and_token() {
    let p = Project::new(
        r#"
[[webhooks]]
url = "http://127.0.0.1:8080/hook"
events = ["alert"]
header = "X-Token"
token_env = "NW_TEST_HOOK_TOKEN_UNSET_12345"

[[webhooks]]
url = "https://hooks.example.org/x"
token = "Bearer abc"
"#,
    );
    // token_env names a variable that is not set: an error with its place.
    let lines = p.errors(&[]);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].contains("webhooks[0].token_env"), "{lines:#?}");
    let p = Project::new(
        r#"
[[webhooks]]
url = "http://127.0.0.1:8080/hook"
events = ["alert"]
header = "X-Token"

[[webhooks]]
url = "https://hooks.example.org/x"
token = "Bearer abc"
"#,
    );
    let c = p.load(&[]).unwrap();
    assert_eq!(c.webhooks.len(), 2);
    assert_eq!(c.webhooks[0].events, vec![WebhookEvent::Alert]);
    assert_eq!(c.webhooks[0].header, "X-Token");
    assert_eq!(c.webhooks[0].token, None);
    assert_eq!(
        c.webhooks[1].events,
        vec![WebhookEvent::Digest, WebhookEvent::Alert]
    );
    assert_eq!(c.webhooks[1].header, "Authorization");
    assert_eq!(c.webhooks[1].token.as_deref(), Some("Bearer abc"));
    assert!(
        !format!("{:?}", c.webhooks[1]).contains("abc"),
        "no token in logs"
    );
}
