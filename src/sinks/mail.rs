//! The digest as an email: lettre message building and the file / smtp / sendmail transports.
//! OWNER: sinks helper. Interface (keep): `Envelope`, `Mailer::{from_config, send}`.
//!
//! A digest is sent with a Message-ID the caller chose and stored, so a retry after a
//! failure is recognisably the same message (and, for the file transport, the same file).
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{anyhow, bail, Context as _};
use lettre::message::{header, Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, CertificateStore, Tls, TlsParameters};
use lettre::{AsyncSendmailTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sha2::{Digest as _, Sha256};

use crate::config::{EmailConfig, SmtpSecurity, Transport};

/// Everything one digest email needs.
#[derive(Debug, Clone)]
pub struct Envelope {
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    /// Kept across retries so a resent digest is recognisably the same message.
    pub message_id: String,
    pub date: chrono::DateTime<chrono::Utc>,
    pub text: String,
    pub html: String,
}

/// The server refused the message for good (an SMTP 5xx reply): sending the same message
/// again will be refused again. Carried inside the `anyhow::Error` of [`Mailer::send`].
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PermanentRefusal(pub String);

/// Whether a [`Mailer::send`] error is a permanent refusal (5xx), not a passing failure.
pub fn is_permanent(e: &anyhow::Error) -> bool {
    e.downcast_ref::<PermanentRefusal>().is_some()
}

pub struct Mailer {
    config: EmailConfig,
    transport: Sender,
}

/// The configured transport, built once (TLS parameters are checked at start-up).
enum Sender {
    File(PathBuf),
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        timeout: Duration,
    },
    Sendmail(AsyncSendmailTransport<Tokio1Executor>),
}

impl Mailer {
    pub fn from_config(config: &EmailConfig) -> anyhow::Result<Mailer> {
        let transport = match config.transport {
            Transport::File => Sender::File(config.outbox_dir.clone()),
            Transport::Smtp => {
                let smtp = &config.smtp;
                // lettre's own timeout covers connecting and each command; `send` also
                // bounds the whole exchange.
                let timeout = Duration::from_secs(smtp.timeout_secs.max(1));
                let mut builder = match smtp.security {
                    SmtpSecurity::None => {
                        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
                    }
                    SmtpSecurity::Starttls => {
                        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
                            .tls(Tls::Required(tls_parameters(smtp)?))
                    }
                    SmtpSecurity::Tls => {
                        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
                            .tls(Tls::Wrapper(tls_parameters(smtp)?))
                    }
                }
                .port(smtp.port)
                .timeout(Some(timeout));
                if !smtp.username.is_empty() {
                    let password = smtp.password.clone().unwrap_or_default();
                    builder =
                        builder.credentials(Credentials::new(smtp.username.clone(), password));
                }
                Sender::Smtp {
                    transport: builder.build(),
                    timeout,
                }
            }
            Transport::Sendmail => {
                let command = if config.sendmail_command.trim().is_empty() {
                    "sendmail"
                } else {
                    config.sendmail_command.trim()
                };
                Sender::Sendmail(AsyncSendmailTransport::<Tokio1Executor>::new_with_command(
                    command,
                ))
            }
        };
        Ok(Mailer {
            config: config.clone(),
            transport,
        })
    }

    /// Send (or write to the outbox); Ok only once the transport accepted the message.
    pub async fn send(&self, envelope: &Envelope) -> anyhow::Result<()> {
        let message = build_message(envelope)?;
        match &self.transport {
            Sender::File(dir) => {
                let dir = dir.clone();
                let name = outbox_file_name(envelope);
                let bytes = message.formatted();
                tokio::task::spawn_blocking(move || write_atomically(&dir, &name, &bytes))
                    .await
                    .context("outbox writer stopped")?
            }
            Sender::Smtp { transport, timeout } => {
                let smtp = &self.config.smtp;
                let server = format!("{}:{}", smtp.host, smtp.port);
                match tokio::time::timeout(*timeout, transport.send(message)).await {
                    Err(_) => bail!(
                        "smtp {server}: no answer within {} s; the digest was not sent",
                        timeout.as_secs()
                    ),
                    // A 5xx will be refused again: the queue parks it after a few tries.
                    Ok(Err(e)) if e.is_permanent() => {
                        Err(PermanentRefusal(format!("smtp {server}: {e}")).into())
                    }
                    // lettre's Display carries the server's code and reply text.
                    Ok(Err(e)) => Err(anyhow!("smtp {server}: {}", explain_smtp_error(&e))),
                    Ok(Ok(_)) => Ok(()),
                }
            }
            Sender::Sendmail(transport) => {
                // A sendmail that never returns must not hold the digest (nor the
                // daemon's scheduler) for ever: the same bound as an SMTP send.
                let limit = Duration::from_secs(self.config.smtp.timeout_secs.max(1));
                match tokio::time::timeout(limit, transport.send(message)).await {
                    Err(_) => bail!(
                        "sendmail ({}): no answer within {} s (email.smtp.timeout_secs); the digest was not sent",
                        self.config.sendmail_command,
                        limit.as_secs()
                    ),
                    Ok(r) => r
                        .map(|_| ())
                        .map_err(|e| anyhow!("sendmail ({}): {e}", self.config.sendmail_command)),
                }
            }
        }
    }
}

/// The TLS settings for the SMTP server: its name is checked against its certificate,
/// which must chain to the system's trusted authorities, or only to those of
/// `email.smtp.ca_file` when it is set.
fn tls_parameters(smtp: &crate::config::SmtpConfig) -> anyhow::Result<TlsParameters> {
    let mut builder = TlsParameters::builder(smtp.host.clone());
    if let Some(ca_file) = &smtp.ca_file {
        let pem = std::fs::read(ca_file)
            .with_context(|| format!("email.smtp.ca_file: reading {}", ca_file.display()))?;
        let cert = Certificate::from_pem(&pem).map_err(|e| {
            anyhow!(
                "email.smtp.ca_file: {} is not a PEM certificate: {e}",
                ca_file.display()
            )
        })?;
        builder = builder
            .certificate_store(CertificateStore::None)
            .add_root_certificate(cert);
    }
    builder
        .build()
        .with_context(|| format!("TLS settings for {}", smtp.host))
}

/// lettre's error with its causes, and what a certificate refusal means for the operator.
fn explain_smtp_error(e: &lettre::transport::smtp::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let line = s.to_string();
        if !text.contains(&line) {
            text = format!("{text}: {line}");
        }
        source = s.source();
    }
    let lower = text.to_lowercase();
    if lower.contains("notvalidforname") || lower.contains("not valid for name") {
        format!("{text} (the server's certificate is not for this host name: set email.smtp.host to a name the certificate lists)")
    } else if lower.contains("invalid peer certificate") {
        format!("{text} (the server's certificate is not signed by an authority trusted here: set email.smtp.ca_file to the PEM of the authority that signed it)")
    } else {
        text
    }
}

/// A Message-ID for a digest, stable for the same key: `<digest-20261129T070000Z-ab12cd@newswatch>`.
/// The key is what identifies the digest to the caller (its time, its recipient set); a
/// short hash of the whole key keeps two keys distinct after unsafe characters are dropped.
pub fn message_id_for(digest_key: &str, from_domain: &str) -> String {
    let safe: String = digest_key
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        .take(64)
        .collect();
    let hash = Sha256::digest(digest_key.as_bytes());
    let short: String = hash.iter().take(3).map(|b| format!("{b:02x}")).collect();
    let domain: String = from_domain
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
        .collect();
    let domain = if domain.is_empty() {
        "newswatch".to_string()
    } else {
        domain
    };
    if safe.is_empty() {
        format!("<digest-{short}@{domain}>")
    } else {
        format!("<digest-{safe}-{short}@{domain}>")
    }
}

/// The domain of a From value such as `newswatch <newswatch@example.org>`, if it has one.
pub fn domain_of(from: &str) -> Option<String> {
    let mailbox: Mailbox = from.parse().ok()?;
    Some(mailbox.email.domain().to_string())
}

/// `List-Id` (RFC 2919): every digest from one sender is one list, so a mail client can
/// file or filter them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ListId(String);

impl header::Header for ListId {
    fn name() -> header::HeaderName {
        header::HeaderName::new_from_ascii_str("List-Id")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListId(s.to_string()))
    }

    fn display(&self) -> header::HeaderValue {
        header::HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `newswatch digest <digest.newswatch.example.org>` for a sender at example.org.
fn list_id_for(from_domain: &str) -> ListId {
    let domain: String = from_domain
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
        .collect();
    let domain = domain.trim_matches('.');
    if domain.is_empty() {
        ListId("newswatch digest <digest.newswatch.localhost>".to_string())
    } else {
        ListId(format!("newswatch digest <digest.newswatch.{domain}>"))
    }
}

/// The lettre message: multipart/alternative with text/plain and text/html in UTF-8.
pub fn build_message(envelope: &Envelope) -> anyhow::Result<Message> {
    if envelope.to.is_empty() {
        bail!("the digest has no recipients");
    }
    let from: Mailbox = envelope
        .from
        .parse()
        .with_context(|| format!("invalid From address {:?}", envelope.from))?;
    let list_id = list_id_for(from.email.domain());
    let mut builder = Message::builder()
        .header(list_id)
        .from(from)
        .subject(envelope.subject.as_str())
        .date(std::time::SystemTime::from(envelope.date))
        .user_agent(format!("newswatch/{}", env!("CARGO_PKG_VERSION")));
    if envelope.message_id.chars().any(char::is_control) {
        bail!("invalid Message-ID {:?}", envelope.message_id);
    }
    if !envelope.message_id.trim().is_empty() {
        builder = builder.header(header::MessageId::from(
            envelope.message_id.trim().to_string(),
        ));
    }
    for to in &envelope.to {
        let mailbox: Mailbox = to
            .parse()
            .with_context(|| format!("invalid recipient address {to:?}"))?;
        builder = builder.to(mailbox);
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            envelope.text.clone(),
            envelope.html.clone(),
        ))
        .context("building the digest email")
}

/// `20261129T070000Z-digest-20261129T070000Z-ab12cd_newswatch.eml`: sortable by the
/// envelope's date, and the same for a retry of the same digest.
pub fn outbox_file_name(envelope: &Envelope) -> String {
    let stamp = envelope.date.format("%Y%m%dT%H%M%SZ");
    let id: String = envelope
        .message_id
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(120)
        .collect();
    let id = id.trim_start_matches('.');
    if id.is_empty() {
        format!("{stamp}.eml")
    } else {
        format!("{stamp}-{id}.eml")
    }
}

/// Write `dir/name` so that a reader sees the old file or the whole new one, never half:
/// a temporary file in the same directory, synced, then renamed over the name.
fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write as _;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("creating the outbox {}", dir.display()))?;
    let target = dir.join(name);
    // A dot name so a reader listing *.eml never picks up a half-written file; unique per
    // write so two sends of the same digest at once cannot interleave in one temp file.
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, &target)?;
        // Make the rename itself durable; not every platform lets a directory be synced.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("writing {}", target.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(id: &str) -> Envelope {
        Envelope {
            from: "newswatch <newswatch@example.org>".into(),
            to: vec!["a@example.org".into(), "Desk <desk@example.org>".into()],
            subject: "[newswatch] 1 story — Test".into(),
            message_id: id.into(),
            date: chrono::DateTime::parse_from_rfc3339("2026-11-29T07:00:00Z")
                .map(|d| d.with_timezone(&chrono::Utc))
                .unwrap_or_default(),
            text: "plain body".into(),
            html: "<p>html body</p>".into(),
        }
    }

    #[test]
    fn message_ids_are_stable_and_distinct() {
        let a = message_id_for("20261129T070000Z", "example.org");
        assert!(a.starts_with("<digest-20261129T070000Z-"), "{a}");
        assert!(a.ends_with("@example.org>"), "{a}");
        assert_eq!(a, message_id_for("20261129T070000Z", "example.org"));
        assert_ne!(a, message_id_for("20261129T070001Z", "example.org"));
        // Characters dropped from the readable part still change the hash.
        assert_ne!(
            message_id_for("a b", "example.org"),
            message_id_for("a/b", "example.org")
        );
        assert!(message_id_for("x", "").ends_with("@newswatch>"));
        assert!(message_id_for("x", "evil>\r\nBcc: y").ends_with("@evilBccy>"));
    }

    #[test]
    fn domain_of_from_values() {
        let table = [
            ("newswatch <newswatch@example.org>", Some("example.org")),
            ("bot@news.example", Some("news.example")),
            ("not an address", None),
        ];
        for (from, expected) in table {
            assert_eq!(domain_of(from).as_deref(), expected, "{from}");
        }
    }

    #[test]
    fn outbox_names_sort_by_date_and_follow_the_message_id() {
        let e = envelope("<digest-20261129T070000Z-ab12cd@newswatch>");
        assert_eq!(
            outbox_file_name(&e),
            "20261129T070000Z-digest-20261129T070000Z-ab12cd_newswatch.eml"
        );
        let sneaky = envelope("<../../etc/passwd>");
        let name = outbox_file_name(&sneaky);
        assert!(!name.contains('/'), "{name}");
        assert_eq!(outbox_file_name(&envelope("")), "20261129T070000Z.eml");
    }

    #[test]
    fn message_has_both_parts_and_the_given_id() {
        let e = envelope("<digest-x@example.org>");
        let msg = match build_message(&e) {
            Ok(m) => m,
            Err(err) => panic!("{err:#}"),
        };
        let raw = String::from_utf8_lossy(&msg.formatted()).to_string();
        assert!(raw.contains("Message-ID: <digest-x@example.org>"), "{raw}");
        assert!(raw.contains("multipart/alternative"));
        assert!(raw.contains("text/plain; charset=utf-8"));
        assert!(raw.contains("text/html; charset=utf-8"));
        assert!(
            raw.contains("To: a@example.org, Desk <desk@example.org>"),
            "{raw}"
        );
        assert!(
            raw.contains("Date: Sun, 29 Nov 2026 07:00:00 +0000"),
            "{raw}"
        );
        assert!(
            raw.contains("List-Id: newswatch digest <digest.newswatch.example.org>"),
            "{raw}"
        );
        assert_eq!(msg.envelope().to().len(), 2);
    }

    #[test]
    fn bad_addresses_are_errors() {
        let mut e = envelope("<x@y>");
        e.to = vec![];
        assert!(build_message(&e).is_err());
        e.to = vec!["not an address".into()];
        let err = build_message(&e).err().map(|e| format!("{e:#}"));
        assert!(err.is_some_and(|e| e.contains("not an address")));
        let mut e = envelope("<x@y>");
        e.from = "nobody".into();
        assert!(build_message(&e).is_err());
        assert!(build_message(&envelope("<x@y>\r\nBcc: z@example.org")).is_err());
    }

    #[test]
    fn list_id_keeps_only_domain_characters() {
        assert_eq!(
            list_id_for("example.org").0,
            "newswatch digest <digest.newswatch.example.org>"
        );
        assert_eq!(
            list_id_for("[127.0.0.1]").0,
            "newswatch digest <digest.newswatch.127.0.0.1>"
        );
        assert_eq!(
            list_id_for("").0,
            "newswatch digest <digest.newswatch.localhost>"
        );
        assert!(!list_id_for("a>\r\nBcc: x").0.contains('\n'));
    }
}
