//! The digest email end to end: rendered, sent over SMTP to a real receiver, written to
//! the outbox; retries keep the Message-ID.
use std::path::PathBuf;

use newswatch::config::{EmailConfig, SmtpConfig, SmtpSecurity, Transport};
use newswatch::sinks::digest::{
    render, subject_line, Digest, DigestClaim, DigestGroup, DigestStory, FailingFeed, RelatedClaim,
};
use newswatch::sinks::mail::{message_id_for, Envelope, Mailer};

use crate::support::smtp::{SmtpServer, TestCa, TlsMode};

fn email_config(transport: Transport, port: u16, outbox: PathBuf) -> EmailConfig {
    EmailConfig {
        from: "newswatch <newswatch@example.org>".into(),
        to: vec!["analyst@example.org".into(), "desk@example.org".into()],
        subject_prefix: "[newswatch]".into(),
        transport,
        outbox_dir: outbox,
        smtp: SmtpConfig {
            host: "127.0.0.1".into(),
            port,
            security: SmtpSecurity::None,
            username: String::new(),
            password: None,
            timeout_secs: 20,
            ca_file: None,
        },
        sendmail_command: String::new(),
        retry: Default::default(),
        max_stories_per_digest: 200,
    }
}

/// A digest with a hostile title and a claim that contradicts a stored one.
fn hostile_digest() -> Digest {
    Digest {
        subject: String::new(),
        generated_at: "2026-11-29T07:00:00Z".into(),
        held_back: 0,
        groups: vec![DigestGroup {
            watchlist_id: "dprk-russia".into(),
            watchlist_name: "Russia–DPRK military cooperation".into(),
            stories: vec![DigestStory {
                title: "<script>alert(1)</script> Engineers headed for Kursk".into(),
                url: "https://wire.example.org/stories/engineers".into(),
                source: "Example Wire".into(),
                published: Some("2026-11-28T18:00:00Z".into()),
                entities: vec!["Kursk".into(), "Sergei Shoigu".into()],
                also_reported_by: vec![],
                claims: vec![DigestClaim {
                    status: "CONTRADICTS".into(),
                    subject: "North Korean soldiers in Kursk".into(),
                    measure: "dead".into(),
                    value: "about 600".into(),
                    attributed_to: Some("a spokesman for the Ukrainian army".into()),
                    quote: "Roughly six hundred of the deployed soldiers have died, the \
                            spokesman told reporters."
                        .into(),
                    related: vec![RelatedClaim {
                        relation: "contradicts".into(),
                        value: "1,000".into(),
                        source: "Seoul Ledger".into(),
                        url: "https://ledger.example.kr/n/42".into(),
                        date: Some("2026-11-20T09:30:00Z".into()),
                        quote: "Lawmakers were told a thousand had been killed.".into(),
                        attributed_to: Some("South Korean intelligence".into()),
                    }],
                    related_more: 2,
                    independent_sources: 0,
                }],
            }],
        }],
        failing_feeds: vec![FailingFeed {
            name: "Flaky Feed".into(),
            url: "https://flaky.example/rss".into(),
            error: "HTTP 503".into(),
            consecutive_failures: 2,
            since: Some("2026-11-28T05:00:00Z".into()),
        }],
    }
}

fn envelope(config: &EmailConfig, digest: &Digest) -> Envelope {
    let rendered = render(digest).expect("render");
    Envelope {
        from: config.from.clone(),
        to: config.to.clone(),
        subject: subject_line(&config.subject_prefix, digest),
        message_id: message_id_for("20261129T070000Z", "example.org"),
        date: chrono::DateTime::parse_from_rfc3339("2026-11-29T07:00:00Z")
            .expect("date")
            .with_timezone(&chrono::Utc),
        text: rendered.text,
        html: rendered.html,
    }
}

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn digest_arrives_over_smtp_escaped_and_with_both_parts() {
    let server = SmtpServer::start();
    let config = email_config(Transport::Smtp, server.port(), PathBuf::new());
    let mailer = Mailer::from_config(&config).expect("mailer");
    let digest = hostile_digest();
    let env = envelope(&config, &digest);
    mailer.send(&env).await.expect("send");

    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    let received = &messages[0];
    assert_eq!(received.from, "newswatch@example.org");
    assert_eq!(
        received.to,
        vec![
            "analyst@example.org".to_string(),
            "desk@example.org".to_string()
        ]
    );
    // No login was configured, so none was attempted.
    assert!(server.logins().is_empty());

    let mail = received.parse();
    assert!(
        mail.content_type.starts_with("multipart/alternative"),
        "{}",
        mail.content_type
    );
    assert_eq!(mail.header("Message-ID"), Some(env.message_id.as_str()));
    assert_eq!(
        mail.header("Subject"),
        Some("[newswatch] 1 story, 1 contradiction — Russia–DPRK military cooperation")
    );
    assert_eq!(
        mail.header("To"),
        Some("analyst@example.org, desk@example.org")
    );
    assert!(mail
        .header("Date")
        .is_some_and(|d| d.contains("29 Nov 2026 07:00:00")));

    assert!(mail
        .header("List-Id")
        .is_some_and(|l| l.contains("<digest.newswatch.example.org>")));

    let text = mail.text.expect("text/plain part");
    let html = mail.html.expect("text/html part");
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(!html.to_ascii_lowercase().contains("<script"), "{html}");
    assert!(text.contains("<script>alert(1)</script> Engineers headed for Kursk"));

    // The contradiction shows both values and both sources.
    let text_flat = flat(&text);
    assert!(
        text_flat.contains("[CONTRADICTS] (C1) North Korean soldiers in Kursk — dead: about 600")
    );
    assert!(text_flat
        .contains("contradicts: 1,000 (1 source) — first Seoul Ledger, 2026-11-20 09:30 UTC"));
    let compare = &html[html
        .find("class=\"claim contradicts\"")
        .expect("the contradiction's block")..];
    for needle in ["about 600", "1,000", "Example Wire", "Seoul Ledger"] {
        assert!(compare.contains(needle), "{needle}");
    }

    // The footer names the failing feed.
    assert!(text_flat.contains("Flaky Feed <https://flaky.example/rss>: HTTP 503"));
    assert!(html.contains("Flaky Feed"));
}

#[tokio::test]
async fn a_rejected_digest_is_an_error_and_the_retry_keeps_its_message_id() {
    let server = SmtpServer::start();
    let config = email_config(Transport::Smtp, server.port(), PathBuf::new());
    let mailer = Mailer::from_config(&config).expect("mailer");
    let env = envelope(&config, &hostile_digest());

    server.reject_data(451);
    let err = mailer
        .send(&env)
        .await
        .expect_err("a 451 must fail the send");
    let message = format!("{err:#}");
    assert!(message.contains("451"), "{message}");
    assert!(message.contains("try later"), "{message}");
    assert!(server.messages().is_empty());
    assert_eq!(server.rejected(), 1);

    server.reject_data(554);
    let err = mailer
        .send(&env)
        .await
        .expect_err("a 554 must fail the send");
    assert!(format!("{err:#}").contains("554"), "{err:#}");

    server.accept();
    mailer.send(&env).await.expect("retry");
    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(
        messages[0].parse().header("Message-ID"),
        Some(env.message_id.as_str())
    );
}

#[tokio::test]
async fn credentials_reach_the_server_when_configured() {
    let server = SmtpServer::start();
    let mut config = email_config(Transport::Smtp, server.port(), PathBuf::new());
    config.smtp.username = "digest-bot".into();
    config.smtp.password = Some("correct horse".into());
    let mailer = Mailer::from_config(&config).expect("mailer");
    mailer
        .send(&envelope(&config, &hostile_digest()))
        .await
        .expect("send");
    let logins = server.logins();
    assert_eq!(logins.len(), 1);
    assert_eq!(logins[0].username, "digest-bot");
    assert_eq!(logins[0].password, "correct horse");
    assert_eq!(server.messages().len(), 1);
}

#[tokio::test]
async fn nothing_listening_is_an_error_not_a_hang() {
    // Bind and drop: the port is very likely free, and nothing answers there.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let mut config = email_config(Transport::Smtp, port, PathBuf::new());
    config.smtp.timeout_secs = 5;
    let mailer = Mailer::from_config(&config).expect("mailer");
    let err = mailer
        .send(&envelope(&config, &hostile_digest()))
        .await
        .expect_err("no server");
    assert!(
        format!("{err:#}").contains(&format!("127.0.0.1:{port}")),
        "{err:#}"
    );
}

#[tokio::test]
async fn a_server_that_never_answers_is_an_error_not_a_hang() {
    let server = SmtpServer::start();
    server.stall();
    let mut config = email_config(Transport::Smtp, server.port(), PathBuf::new());
    config.smtp.timeout_secs = 1;
    let mailer = Mailer::from_config(&config).expect("mailer");
    let err = mailer
        .send(&envelope(&config, &hostile_digest()))
        .await
        .expect_err("a silent server");
    assert!(format!("{err:#}").contains("smtp 127.0.0.1:"), "{err:#}");
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn the_file_transport_writes_one_eml_per_digest() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The outbox does not exist yet: the first send creates it.
    let outbox = dir.path().join("var").join("outbox");
    let config = email_config(Transport::File, 0, outbox.clone());
    let mailer = Mailer::from_config(&config).expect("mailer");
    let env = envelope(&config, &hostile_digest());

    mailer.send(&env).await.expect("first write");
    mailer
        .send(&env)
        .await
        .expect("second write of the same digest");

    let names: Vec<String> = std::fs::read_dir(&outbox)
        .expect("outbox")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names[0].starts_with("20261129T070000Z-digest-20261129T070000Z-"));
    assert!(names[0].ends_with(".eml"));

    let raw = std::fs::read(outbox.join(&names[0])).expect("read eml");
    let mail = crate::support::smtp::ReceivedMail {
        from: String::new(),
        to: vec![],
        data: raw,
    }
    .parse();
    assert_eq!(mail.header("Message-ID"), Some(env.message_id.as_str()));
    assert!(mail.html.is_some_and(|h| h.contains("&lt;script&gt;")));
    assert!(mail.text.is_some_and(|t| t.contains("[CONTRADICTS]")));

    // Another digest is another file.
    let mut later = env.clone();
    later.message_id = message_id_for("20261130T070000Z", "example.org");
    later.date += chrono::Duration::days(1);
    mailer.send(&later).await.expect("next digest");
    assert_eq!(std::fs::read_dir(&outbox).expect("outbox").count(), 2);
}

#[test]
fn tls_settings_build_without_touching_the_network() {
    for security in [SmtpSecurity::Starttls, SmtpSecurity::Tls] {
        let mut config = email_config(Transport::Smtp, 587, PathBuf::new());
        config.smtp.host = "mail.example.org".into();
        config.smtp.security = security;
        assert!(Mailer::from_config(&config).is_ok(), "{security:?}");
    }
}

#[cfg(unix)]
#[tokio::test]
async fn the_sendmail_transport_pipes_the_message_to_the_command() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("fake-sendmail");
    // Records its arguments and the message it was given on stdin.
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$@\" > '{0}/args'\ncat > '{0}/message.eml'\n",
            dir.path().display()
        ),
    )
    .expect("write script");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let mut config = email_config(Transport::Sendmail, 0, PathBuf::new());
    config.sendmail_command = script.display().to_string();
    let mailer = Mailer::from_config(&config).expect("mailer");
    let env = envelope(&config, &hostile_digest());
    mailer.send(&env).await.expect("sendmail");

    let args = std::fs::read_to_string(dir.path().join("args")).expect("args");
    assert!(args.contains("analyst@example.org") && args.contains("desk@example.org"));
    let raw = std::fs::read(dir.path().join("message.eml")).expect("message");
    let mail = crate::support::smtp::ReceivedMail {
        from: String::new(),
        to: vec![],
        data: raw,
    }
    .parse();
    assert_eq!(mail.header("Message-ID"), Some(env.message_id.as_str()));
    assert!(mail.html.is_some() && mail.text.is_some());

    // A command that fails is an error.
    config.sendmail_command = "/bin/false".into();
    let mailer = Mailer::from_config(&config).expect("mailer");
    assert!(mailer.send(&env).await.is_err());
}

/// A TLS receiver with a test CA, and the config that trusts it through `ca_file`.
fn tls_setup(mode: TlsMode, names: &[&str]) -> (SmtpServer, EmailConfig, tempfile::TempDir) {
    let ca = TestCa::new(names);
    let dir = tempfile::tempdir().expect("temp dir");
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &ca.ca_pem).expect("write ca");
    let server = SmtpServer::start_tls(mode, &ca);
    let mut config = email_config(Transport::Smtp, server.port(), PathBuf::new());
    config.smtp.security = match mode {
        TlsMode::StartTls => SmtpSecurity::Starttls,
        TlsMode::Implicit => SmtpSecurity::Tls,
    };
    config.smtp.username = "digest-bot".into();
    config.smtp.password = Some("correct horse".into());
    config.smtp.ca_file = Some(ca_file);
    (server, config, dir)
}

#[tokio::test]
async fn starttls_and_implicit_tls_deliver_with_auth_inside_the_encrypted_connection() {
    for mode in [TlsMode::StartTls, TlsMode::Implicit] {
        let (server, config, _dir) = tls_setup(mode, &["127.0.0.1", "localhost"]);
        let mailer = Mailer::from_config(&config).expect("mailer");
        mailer
            .send(&envelope(&config, &hostile_digest()))
            .await
            .unwrap_or_else(|e| panic!("{mode:?}: {e:#}"));
        assert_eq!(server.tls_handshakes(), (1, 0), "{mode:?}");
        let logins = server.logins();
        assert_eq!(logins.len(), 1, "{mode:?}");
        assert_eq!(logins[0].password, "correct horse", "{mode:?}");
        assert_eq!(
            server.logins_encrypted(),
            vec![true],
            "{mode:?}: AUTH over TLS only"
        );
        let messages = server.messages();
        assert_eq!(messages.len(), 1, "{mode:?}");
        assert!(messages[0].parse().html.is_some(), "{mode:?}");
    }
}

#[tokio::test]
async fn a_certificate_for_another_name_is_refused_before_any_password_is_sent() {
    for mode in [TlsMode::StartTls, TlsMode::Implicit] {
        let (server, config, _dir) = tls_setup(mode, &["mail.example.org"]);
        let mailer = Mailer::from_config(&config).expect("mailer");
        let err = mailer
            .send(&envelope(&config, &hostile_digest()))
            .await
            .expect_err("a certificate for another name must be refused");
        let msg = format!("{err:#}");
        assert!(
            msg.contains("not for this host name") && msg.contains("email.smtp.host"),
            "{mode:?}: a clear message: {msg}"
        );
        assert!(server.logins().is_empty(), "{mode:?}: no AUTH");
        assert!(server.messages().is_empty(), "{mode:?}");
    }
}

#[tokio::test]
async fn a_certificate_from_an_authority_not_trusted_is_refused() {
    // The server's CA is not the one ca_file names.
    let (server, mut config, dir) = tls_setup(TlsMode::Implicit, &["127.0.0.1"]);
    let other = TestCa::new(&["127.0.0.1"]);
    let other_file = dir.path().join("other-ca.pem");
    std::fs::write(&other_file, &other.ca_pem).expect("write ca");
    config.smtp.ca_file = Some(other_file);
    let mailer = Mailer::from_config(&config).expect("mailer");
    let err = mailer
        .send(&envelope(&config, &hostile_digest()))
        .await
        .expect_err("an unknown authority must be refused");
    let msg = format!("{err:#}");
    assert!(msg.contains("email.smtp.ca_file"), "{msg}");
    assert!(server.logins().is_empty());
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn a_sendmail_that_never_returns_is_an_error_not_a_hang() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("stuck-sendmail");
    // Reads the message, then never exits (a sendmail waiting on a dead relay).
    std::fs::write(&script, "#!/bin/sh\ncat > /dev/null\nexec sleep 600\n").expect("write");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let mut config = email_config(Transport::Sendmail, 0, PathBuf::new());
    config.sendmail_command = script.display().to_string();
    config.smtp.timeout_secs = 1;
    let mailer = Mailer::from_config(&config).expect("mailer");
    // Bounded here too, so that without the mailer's own limit this fails, not hangs.
    let sent = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        mailer.send(&envelope(&config, &hostile_digest())),
    )
    .await
    .expect("the mailer gives up by itself");
    let err = sent.expect_err("a hung sendmail is an error");
    let msg = format!("{err:#}");
    assert!(msg.contains("no answer within 1 s"), "{msg}");
}
