//! A small real SMTP receiver on 127.0.0.1 for tests, and a parser for what it received.
//!
//! It runs on its own thread with its own tokio runtime, so plain `#[test]` functions that
//! start the newswatch binary as a child process can use it as well as async tests. It
//! speaks enough ESMTP for lettre (EHLO, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, RSET, NOOP,
//! QUIT), records every accepted message and every login, and can be told to reject
//! messages at the end of DATA to exercise retries. `start_tls` serves the same dialogue
//! over TLS (implicit, or after STARTTLS) with a certificate the test made (`TestCa`).
#![allow(dead_code)] // Not every test binary module uses every helper.

use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use base64::Engine as _;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// One message the server accepted.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    /// The message as sent after DATA, dot-unstuffed, CRLF line ends, no final dot line.
    pub data: Vec<u8>,
}

/// A login the client made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    pub mechanism: String,
    pub username: String,
    pub password: String,
}

#[derive(Default)]
struct State {
    messages: Vec<ReceivedMail>,
    logins: Vec<Login>,
    /// Reply code for the end of DATA instead of 250 (4xx or 5xx).
    reject_data: Option<u16>,
    rejected: usize,
    /// Accept connections but never say a word (a hung server).
    stall: bool,
    /// Accept this many messages in all, then hold every later DATA without an answer.
    stall_after: Option<usize>,
    /// Recipients refused at RCPT TO with 550 (a mailbox the server does not take).
    refused_rcpt: Vec<String>,
    /// For each login, whether it came over TLS.
    logins_encrypted: Vec<bool>,
    /// Connections that completed a TLS handshake, and those whose handshake failed.
    tls_handshakes: usize,
    tls_failures: usize,
}

/// How the TLS receiver speaks TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// TLS from the first byte (SMTPS, port 465 style).
    Implicit,
    /// Plain greeting, `STARTTLS` offered (and AUTH only once encrypted).
    StartTls,
}

/// A test certificate authority and a server certificate it signed.
pub struct TestCa {
    /// The authority's certificate, PEM: what `email.smtp.ca_file` names.
    pub ca_pem: String,
    server_chain: Vec<rustls::pki_types::CertificateDer<'static>>,
    server_key: Vec<u8>,
}

impl TestCa {
    /// A fresh CA and a server certificate for `names` (DNS names or IP addresses).
    pub fn new(names: &[&str]) -> TestCa {
        let ca_key = rcgen::KeyPair::generate().expect("ca key");
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("ca params");
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "newswatch test CA");
        ca_params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
        ];
        let ca = rcgen::CertifiedIssuer::self_signed(ca_params, ca_key).expect("ca cert");
        let key = rcgen::KeyPair::generate().expect("server key");
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let params = rcgen::CertificateParams::new(names).expect("server params");
        let cert = params.signed_by(&key, &ca).expect("server cert");
        TestCa {
            ca_pem: ca.pem(),
            server_chain: vec![cert.der().clone(), ca.der().clone()],
            server_key: key.serialize_der(),
        }
    }

    fn acceptor(&self) -> tokio_rustls::TlsAcceptor {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(self.server_key.clone().into());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("tls versions")
            .with_no_client_auth()
            .with_single_cert(self.server_chain.clone(), key)
            .expect("server tls config");
        tokio_rustls::TlsAcceptor::from(Arc::new(config))
    }
}

pub struct SmtpServer {
    port: u16,
    state: Arc<Mutex<State>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl SmtpServer {
    /// Bind 127.0.0.1:0 and serve on a thread of its own.
    pub fn start() -> SmtpServer {
        Self::start_with(None)
    }

    /// The same receiver over TLS, with the server certificate of `ca`.
    pub fn start_tls(mode: TlsMode, ca: &TestCa) -> SmtpServer {
        Self::start_with(Some((mode, ca.acceptor())))
    }

    fn start_with(tls: Option<(TlsMode, tokio_rustls::TlsAcceptor)>) -> SmtpServer {
        // Bound here, before the server runs: the port is ours from this line on.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().expect("local addr").port();
        let state = Arc::new(Mutex::new(State::default()));
        let (tx, rx) = tokio::sync::oneshot::channel();
        let thread_state = Arc::clone(&state);
        let thread = std::thread::Builder::new()
            .name("smtp-test-server".into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("tokio runtime");
                rt.block_on(serve(listener, thread_state, rx, tls));
            })
            .expect("spawn smtp thread");
        SmtpServer {
            port,
            state,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Answer the end of DATA with `code` (e.g. 451 or 554) until `accept` is called.
    pub fn reject_data(&self, code: u16) {
        self.lock().reject_data = Some(code);
    }

    pub fn accept(&self) {
        self.lock().reject_data = None;
    }

    /// Take every recipient again.
    pub fn accept_all_recipients(&self) {
        self.lock().refused_rcpt.clear();
    }

    /// Refuse `address` at RCPT TO with 550 (case-insensitive), from now on.
    pub fn refuse_recipient(&self, address: &str) {
        self.lock().refused_rcpt.push(address.to_lowercase());
    }

    /// Accept `n` messages in all, then answer no later DATA (the client waits).
    pub fn stall_after(&self, n: usize) {
        self.lock().stall_after = Some(n);
    }

    /// Answer every DATA again.
    pub fn stop_stalling(&self) {
        let mut st = self.lock();
        st.stall_after = None;
        st.stall = false;
    }

    /// From now on, accept connections and then say nothing at all.
    pub fn stall(&self) {
        self.lock().stall = true;
    }

    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.lock().messages.clone()
    }

    pub fn logins(&self) -> Vec<Login> {
        self.lock().logins.clone()
    }

    /// For each login, whether it came over an encrypted connection.
    pub fn logins_encrypted(&self) -> Vec<bool> {
        self.lock().logins_encrypted.clone()
    }

    /// (completed, failed) TLS handshakes.
    pub fn tls_handshakes(&self) -> (usize, usize) {
        let st = self.lock();
        (st.tls_handshakes, st.tls_failures)
    }

    /// How many messages were refused at the end of DATA.
    pub fn rejected(&self) -> usize {
        self.lock().rejected
    }

    /// Wait until at least `n` messages arrived (for a child process that sends them), or
    /// give up after `limit` and return what is there.
    pub fn wait_for_messages(&self, n: usize, limit: Duration) -> Vec<ReceivedMail> {
        let deadline = Instant::now() + limit;
        loop {
            let messages = self.messages();
            if messages.len() >= n || Instant::now() >= deadline {
                return messages;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    state: Arc<Mutex<State>>,
    mut shutdown: tokio::sync::oneshot::Receiver<()>,
    tls: Option<(TlsMode, tokio_rustls::TlsAcceptor)>,
) {
    let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
    loop {
        tokio::select! {
            _ = &mut shutdown => return,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let state = Arc::clone(&state);
                let tls = tls.clone();
                // Connections end with the runtime when the server is dropped.
                tokio::spawn(async move {
                    let _ = session(stream, state, tls).await;
                });
            }
        }
    }
}

fn b64(s: &str) -> String {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

async fn session(
    stream: TcpStream,
    state: Arc<Mutex<State>>,
    tls: Option<(TlsMode, tokio_rustls::TlsAcceptor)>,
) -> std::io::Result<()> {
    if lock(&state).stall {
        // Hold the connection open, silent, until the client or the server gives up.
        let mut sink = Vec::new();
        let mut stream = stream;
        let _ = tokio::io::AsyncReadExt::read_to_end(&mut stream, &mut sink).await;
        return Ok(());
    }
    let handshake = |acceptor: tokio_rustls::TlsAcceptor, stream: TcpStream| {
        let state = Arc::clone(&state);
        async move {
            let r = acceptor.accept(stream).await;
            let mut st = lock(&state);
            match &r {
                Ok(_) => st.tls_handshakes += 1,
                Err(_) => st.tls_failures += 1,
            }
            r
        }
    };
    match tls {
        None => dialogue(stream, Arc::clone(&state), Secure::Never, true)
            .await
            .map(|_| ()),
        Some((TlsMode::Implicit, acceptor)) => {
            let stream = handshake(acceptor, stream).await?;
            dialogue(stream, Arc::clone(&state), Secure::Yes, true)
                .await
                .map(|_| ())
        }
        Some((TlsMode::StartTls, acceptor)) => {
            let upgrade = dialogue(stream, Arc::clone(&state), Secure::Offer, true).await?;
            if let Some(stream) = upgrade {
                let stream = handshake(acceptor, stream).await?;
                dialogue(stream, Arc::clone(&state), Secure::Yes, false).await?;
            }
            Ok(())
        }
    }
}

/// Whether the dialogue runs encrypted, or plain with STARTTLS offered, or plain only.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Secure {
    Never,
    Offer,
    Yes,
}

/// The SMTP dialogue over `stream`; returns the stream when the client asked for
/// STARTTLS (and was told to go ahead).
async fn dialogue<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    state: Arc<Mutex<State>>,
    secure: Secure,
    greet: bool,
) -> std::io::Result<Option<S>> {
    let (read, mut write) = tokio::io::split(stream);
    let mut reader = BufReader::new(read);
    if greet {
        write
            .write_all(b"220 localhost ESMTP newswatch-test\r\n")
            .await?;
    }
    let mut from = String::new();
    let mut to: Vec<String> = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        let command = line.trim_end_matches(['\r', '\n']).to_string();
        let upper = command.to_ascii_uppercase();
        let reply: String = if upper.starts_with("EHLO") {
            match secure {
                // As real servers do: no AUTH before the connection is encrypted.
                Secure::Offer => "250-localhost\r\n250-8BITMIME\r\n250-STARTTLS\r\n250 OK\r\n".into(),
                _ => "250-localhost\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250-AUTH PLAIN LOGIN\r\n250 OK\r\n"
                    .into(),
            }
        } else if upper == "STARTTLS" && secure == Secure::Offer {
            write.write_all(b"220 2.0.0 ready to start TLS\r\n").await?;
            write.flush().await?;
            return Ok(Some(reader.into_inner().unsplit(write)));
        } else if upper.starts_with("HELO") {
            "250 localhost\r\n".into()
        } else if upper.starts_with("AUTH PLAIN") {
            let initial = command.get(10..).unwrap_or("").trim().to_string();
            let response = if initial.is_empty() {
                write.write_all(b"334 \r\n").await?;
                read_line(&mut reader).await?
            } else {
                initial
            };
            // authzid NUL authcid NUL password
            let decoded = b64(&response);
            let mut parts = decoded.split('\0');
            let _authzid = parts.next();
            let username = parts.next().unwrap_or("").to_string();
            let password = parts.next().unwrap_or("").to_string();
            let mut st = lock(&state);
            st.logins.push(Login {
                mechanism: "PLAIN".into(),
                username,
                password,
            });
            st.logins_encrypted.push(secure == Secure::Yes);
            "235 2.7.0 Authentication successful\r\n".into()
        } else if upper.starts_with("AUTH LOGIN") {
            let initial = command.get(10..).unwrap_or("").trim().to_string();
            let username = if initial.is_empty() {
                write.write_all(b"334 VXNlcm5hbWU6\r\n").await?;
                b64(&read_line(&mut reader).await?)
            } else {
                b64(&initial)
            };
            write.write_all(b"334 UGFzc3dvcmQ6\r\n").await?;
            let password = b64(&read_line(&mut reader).await?);
            let mut st = lock(&state);
            st.logins.push(Login {
                mechanism: "LOGIN".into(),
                username,
                password,
            });
            st.logins_encrypted.push(secure == Secure::Yes);
            "235 2.7.0 Authentication successful\r\n".into()
        } else if upper.starts_with("MAIL FROM:") {
            from = angle_address(&command);
            to.clear();
            "250 2.1.0 OK\r\n".into()
        } else if upper.starts_with("RCPT TO:") {
            let rcpt = angle_address(&command);
            if lock(&state).refused_rcpt.contains(&rcpt.to_lowercase()) {
                "550 5.1.1 mailbox unavailable\r\n".into()
            } else {
                to.push(rcpt);
                "250 2.1.5 OK\r\n".into()
            }
        } else if upper == "DATA" {
            if to.is_empty() {
                "503 5.5.1 no recipients\r\n".into()
            } else {
                write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                let data = read_data(&mut reader).await?;
                let hold = {
                    let st = lock(&state);
                    st.stall_after.is_some_and(|n| st.messages.len() >= n)
                };
                if hold {
                    // Silent until the client gives up or dies.
                    let mut sink = Vec::new();
                    let _ = tokio::io::AsyncReadExt::read_to_end(reader.get_mut(), &mut sink).await;
                    return Ok(None);
                }
                let mut st = lock(&state);
                let reply = match st.reject_data {
                    Some(code) => {
                        st.rejected += 1;
                        let class = code / 100;
                        format!("{code} {class}.3.0 mailbox temporarily unavailable, try later\r\n")
                    }
                    None => {
                        st.messages.push(ReceivedMail {
                            from: std::mem::take(&mut from),
                            to: std::mem::take(&mut to),
                            data,
                        });
                        "250 2.0.0 OK queued\r\n".into()
                    }
                };
                from.clear();
                to.clear();
                reply
            }
        } else if upper == "RSET" {
            from.clear();
            to.clear();
            "250 2.0.0 OK\r\n".into()
        } else if upper == "NOOP" {
            "250 2.0.0 OK\r\n".into()
        } else if upper == "QUIT" {
            write.write_all(b"221 2.0.0 bye\r\n").await?;
            return Ok(None);
        } else {
            "502 5.5.2 command not implemented\r\n".into()
        };
        write.write_all(reply.as_bytes()).await?;
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|p| p.into_inner())
}

async fn read_line<R: tokio::io::AsyncBufRead + Unpin>(reader: &mut R) -> std::io::Result<String> {
    let mut line = String::new();
    reader.read_line(&mut line).await?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// The lines after DATA up to the lone dot, with a leading dot removed from each line
/// that starts with one (RFC 5321 4.5.2).
async fn read_data<R: tokio::io::AsyncBufRead + Unpin>(reader: &mut R) -> std::io::Result<Vec<u8>> {
    let mut data = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if line == b".\r\n" || line == b".\n" {
            return Ok(data);
        }
        let content = if line.starts_with(b".") {
            &line[1..]
        } else {
            &line[..]
        };
        data.extend_from_slice(content);
    }
}

/// `MAIL FROM:<a@b> BODY=8BITMIME` → `a@b`.
fn angle_address(command: &str) -> String {
    let start = command.find('<').map(|i| i + 1).unwrap_or(0);
    let end = command[start..]
        .find('>')
        .map(|i| i + start)
        .unwrap_or(command.len());
    command[start..end].to_string()
}

// ---- reading a received message back ----

/// A received message, parsed enough for tests: headers (unfolded, encoded words decoded)
/// and the decoded text/plain and text/html parts.
#[derive(Debug, Clone)]
pub struct ParsedMail {
    pub headers: Vec<(String, String)>,
    /// The top-level Content-Type, e.g. `multipart/alternative; boundary="…"`.
    pub content_type: String,
    pub text: Option<String>,
    pub html: Option<String>,
}

impl ParsedMail {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl ReceivedMail {
    pub fn parse(&self) -> ParsedMail {
        let raw = String::from_utf8_lossy(&self.data).replace("\r\n", "\n");
        let (headers, body) = split_headers(&raw);
        let content_type = header_value(&headers, "Content-Type").unwrap_or_default();
        let mut text = None;
        let mut html = None;
        collect_parts(&headers, body, &mut text, &mut html);
        ParsedMail {
            headers,
            content_type,
            text,
            html,
        }
    }
}

fn header_value(headers: &[(String, String)], name: &str) -> Option<String> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
}

/// Headers (unfolded, RFC 2047 words decoded) and the body after the blank line.
fn split_headers(raw: &str) -> (Vec<(String, String)>, &str) {
    let (head, body) = match raw.find("\n\n") {
        Some(i) => (&raw[..i], &raw[i + 2..]),
        None => (raw, ""),
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = headers.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    for (_, v) in &mut headers {
        *v = decode_words(v);
    }
    (headers, body)
}

fn collect_parts(
    headers: &[(String, String)],
    body: &str,
    text: &mut Option<String>,
    html: &mut Option<String>,
) {
    let content_type = header_value(headers, "Content-Type").unwrap_or_default();
    let lower = content_type.to_ascii_lowercase();
    if lower.starts_with("multipart/") {
        let Some(boundary) = param(&content_type, "boundary") else {
            return;
        };
        let delimiter = format!("--{boundary}");
        for chunk in body.split(delimiter.as_str()).skip(1) {
            if chunk.starts_with("--") {
                break;
            }
            let chunk = chunk.strip_prefix('\n').unwrap_or(chunk);
            let (part_headers, part_body) = split_headers(chunk);
            collect_parts(&part_headers, part_body, text, html);
        }
        return;
    }
    let encoding = header_value(headers, "Content-Transfer-Encoding")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let decoded = decode_body(body, &encoding);
    if lower.starts_with("text/html") {
        *html = Some(decoded);
    } else if lower.starts_with("text/plain") || lower.is_empty() {
        *text = Some(decoded);
    }
}

fn decode_body(body: &str, encoding: &str) -> String {
    // A part's body ends with the line break before the next boundary.
    let body = body.strip_suffix('\n').unwrap_or(body);
    match encoding {
        "base64" => {
            let joined: String = body.split_whitespace().collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(joined)
                .unwrap_or_default();
            String::from_utf8_lossy(&bytes).into_owned()
        }
        "quoted-printable" => {
            let crlf = body.replace('\n', "\r\n");
            let bytes = quoted_printable::decode(crlf, quoted_printable::ParseMode::Robust)
                .unwrap_or_default();
            String::from_utf8_lossy(&bytes).replace("\r\n", "\n")
        }
        _ => body.to_string(),
    }
}

/// `boundary="abc"` from a Content-Type value.
fn param(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

/// RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`), UTF-8 only; whitespace
/// between two encoded words is dropped, as the RFC says.
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    let mut last_was_word = false;
    while let Some(start) = rest.find("=?") {
        let before = &rest[..start];
        let Some(word_end) = find_word_end(&rest[start..]) else {
            break;
        };
        if !(last_was_word && before.trim().is_empty()) {
            out.push_str(before);
        }
        let word = &rest[start..start + word_end];
        out.push_str(&decode_word(word).unwrap_or_else(|| word.to_string()));
        rest = &rest[start + word_end..];
        last_was_word = true;
    }
    out.push_str(rest);
    out
}

/// Length of the encoded word at the start of `s` (through its closing `?=`).
fn find_word_end(s: &str) -> Option<usize> {
    // =?charset?enc?text?=
    let mut q = 0;
    for (i, c) in s.char_indices().skip(2) {
        if c == '?' {
            q += 1;
            if q == 3 && s[i..].starts_with("?=") {
                return Some(i + 2);
            }
        }
    }
    None
}

fn decode_word(word: &str) -> Option<String> {
    let inner = word.strip_prefix("=?")?.strip_suffix("?=")?;
    let mut parts = inner.splitn(3, '?');
    let _charset = parts.next()?;
    let encoding = parts.next()?.to_ascii_lowercase();
    let text = parts.next()?;
    let bytes = match encoding.as_str() {
        "b" => base64::engine::general_purpose::STANDARD
            .decode(text)
            .ok()?,
        "q" => {
            quoted_printable::decode(text.replace('_', " "), quoted_printable::ParseMode::Robust)
                .ok()?
        }
        _ => return None,
    };
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_words_decode() {
        let table = [
            ("plain", "plain"),
            ("=?utf-8?b?w6l0w6k=?=", "été"),
            ("=?utf-8?q?caf=C3=A9_noir?=", "café noir"),
            ("=?utf-8?b?w6k=?= =?utf-8?b?w6k=?=", "éé"),
            ("a =?utf-8?q?=C3=A9?= b", "a é b"),
        ];
        for (input, expected) in table {
            assert_eq!(decode_words(input), expected, "{input}");
        }
    }
}
