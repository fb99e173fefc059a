//! A small HTTP/1.1 server on 127.0.0.1 for tests: configurable routes, misbehaviours
//! (stall, endless body, slow first byte, 500s, redirects), honoured ETags, and a log of
//! every request.
//!
//! It runs on its own thread with its own tokio runtime, so plain `#[test]` functions that
//! run the newswatch binary as a child process can use it as well as async tests, and it
//! stops when dropped.
//!
//! ```ignore
//! let srv = HttpServer::start();
//! srv.route("/rss.xml", Response::ok("application/rss+xml", body).etag("\"v1\""));
//! let url = srv.url("/rss.xml");
//! // ... fetch it ...
//! assert_eq!(srv.hits("/rss.xml"), 1);
//! assert!(srv.last_request("/rss.xml").unwrap().user_agent().unwrap().contains("newswatch"));
//! ```
#![allow(dead_code)] // Each test file uses a different part of this.

use std::collections::HashMap;
use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long a stalled response hangs: far longer than any test, and cut short by drop.
const STALL: Duration = Duration::from_secs(3600);
/// Size of each chunk of an endless body.
const ENDLESS_CHUNK: usize = 16 * 1024;
/// Requests with larger headers than this are refused.
const MAX_HEAD: usize = 64 * 1024;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The request target as sent: path and query.
    pub target: String,
    /// The path without the query.
    pub path: String,
    /// Header names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    /// The request body (Content-Length bytes; empty for most GETs).
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn user_agent(&self) -> Option<&str> {
        self.header("user-agent")
    }
}

#[derive(Debug, Clone)]
enum Body {
    Bytes(Arc<Vec<u8>>),
    /// Chunks of filler until the client hangs up.
    Endless,
}

/// What a route answers. Build with a constructor, then chain behaviours.
#[derive(Debug, Clone)]
pub struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Body,
    etag: Option<String>,
    last_modified: Option<String>,
    delay: Duration,
    chunked: bool,
    gzip: bool,
    stall_after: Option<usize>,
    trickle: Option<(usize, Duration)>,
}

impl Response {
    /// Any status with an empty body.
    pub fn status(status: u16) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: Body::Bytes(Arc::new(Vec::new())),
            etag: None,
            last_modified: None,
            delay: Duration::ZERO,
            chunked: false,
            gzip: false,
            stall_after: None,
            trickle: None,
        }
    }

    /// 200 with a body of the given content type.
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response::status(200).body(content_type, body)
    }

    /// 200 `text/html; charset=utf-8`.
    pub fn html(body: impl Into<Vec<u8>>) -> Response {
        Response::ok("text/html; charset=utf-8", body)
    }

    /// 302 to `location` (absolute, or a path on this server).
    pub fn redirect(location: &str) -> Response {
        Response::status(302).header("Location", location)
    }

    /// 200 whose body never ends: chunked filler until the client hangs up.
    pub fn endless(content_type: &str) -> Response {
        Response {
            body: Body::Endless,
            chunked: true,
            ..Response::status(200).header("Content-Type", content_type)
        }
    }

    /// Replaces the body and its content type.
    pub fn body(mut self, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        self.headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
        self.headers
            .push(("Content-Type".to_string(), content_type.to_string()));
        self.body = Body::Bytes(Arc::new(body.into()));
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Sends this ETag, and answers 304 when a request's If-None-Match names it.
    pub fn etag(mut self, etag: &str) -> Response {
        self.etag = Some(etag.to_string());
        self
    }

    /// Sends this Last-Modified, and answers 304 when a request's If-Modified-Since is the
    /// same string (what a client echoing the validator sends).
    pub fn last_modified(mut self, date: &str) -> Response {
        self.last_modified = Some(date.to_string());
        self
    }

    /// Waits this long before sending anything: a slow first byte.
    pub fn delay(mut self, delay: Duration) -> Response {
        self.delay = delay;
        self
    }

    /// Sends the body with chunked encoding and no Content-Length.
    pub fn chunked(mut self) -> Response {
        self.chunked = true;
        self
    }

    /// Gzips the body and says so in Content-Encoding.
    pub fn gzip(mut self) -> Response {
        self.gzip = true;
        self
    }

    /// Sends the body `bytes` at a time with a pause between: slow, but never silent for
    /// longer than `pause`.
    pub fn trickle(mut self, bytes: usize, pause: Duration) -> Response {
        self.trickle = Some((bytes.max(1), pause));
        self
    }

    /// Sends the headers (with the full Content-Length) and the first `bytes` of the body,
    /// then goes silent for an hour.
    pub fn stall_after(mut self, bytes: usize) -> Response {
        self.stall_after = Some(bytes);
        self
    }
}

#[derive(Default)]
struct Shared {
    routes: Mutex<HashMap<String, Response>>,
    log: Mutex<Vec<Request>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// Counts a request as in flight from when it was read until its response is written.
struct InFlight<'a>(&'a Shared);

impl<'a> InFlight<'a> {
    fn enter(shared: &'a Shared) -> Self {
        let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        shared.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(shared)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A running server; stops when dropped.
pub struct HttpServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl HttpServer {
    /// Binds 127.0.0.1:0 and serves on a thread of its own. Unknown paths get 404.
    pub fn start() -> HttpServer {
        HttpServer::start_on("127.0.0.1")
    }

    /// Binds `ip`:0, `ip` a loopback address (127.0.0.2 stands for a "public" host in the
    /// tests that configure which addresses are internal).
    pub fn start_on(ip: &str) -> HttpServer {
        assert!(ip.starts_with("127."), "tests stay on loopback");
        // Bound here, before the thread starts: the port is ours from the first moment.
        let listener = std::net::TcpListener::bind((ip, 0)).expect("bind a loopback port");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared::default());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name(format!("http-test-{}", addr.port()))
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("test server runtime");
                runtime.block_on(async move {
                    let listener =
                        tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                    tokio::select! {
                        _ = rx => {}
                        _ = accept_loop(listener, thread_shared) => {}
                    }
                });
                // Dropping the runtime cancels every connection task, stalled ones included.
            })
            .expect("spawn the test server thread");
        HttpServer {
            addr,
            shared,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` with no trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The absolute URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        if path.starts_with('/') {
            format!("http://{}{path}", self.addr)
        } else {
            format!("http://{}/{path}", self.addr)
        }
    }

    /// Sets (or replaces) what `path` answers; works while the server runs. A path with a
    /// query matches only that query; one without matches any query.
    pub fn route(&self, path: &str, response: Response) -> &Self {
        lock(&self.shared.routes).insert(path.to_string(), response);
        self
    }

    pub fn remove_route(&self, path: &str) {
        lock(&self.shared.routes).remove(path);
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        lock(&self.shared.log).clone()
    }

    /// The requests for `path` (compared with the query if `path` has one).
    pub fn requests_to(&self, path: &str) -> Vec<Request> {
        lock(&self.shared.log)
            .iter()
            .filter(|r| same_route(r, path))
            .cloned()
            .collect()
    }

    pub fn hits(&self, path: &str) -> usize {
        self.requests_to(path).len()
    }

    pub fn last_request(&self, path: &str) -> Option<Request> {
        self.requests_to(path).pop()
    }

    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    /// The most requests this server was answering at the same moment.
    pub fn max_in_flight(&self) -> usize {
        self.shared.max_in_flight.load(Ordering::SeqCst)
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A URL on 127.0.0.1 where nothing listens: the port was bound, then released.
pub fn refused_url(path: &str) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local address");
    drop(listener);
    format!("http://{addr}{path}")
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A test that panicked while holding the lock must not hide the other failures.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn same_route(request: &Request, path: &str) -> bool {
    if path.contains('?') {
        request.target == path
    } else {
        request.path == path
    }
}

async fn accept_loop(listener: tokio::net::TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        tokio::spawn(serve_connection(stream, Arc::clone(&shared)));
    }
}

/// Serves requests on one connection until the client closes it (keep-alive), or a
/// response that cannot be followed by another (stall, endless body) ends it.
async fn serve_connection(mut stream: TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::new();
    loop {
        let request = match read_request(&mut stream, &mut buf).await {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(()) => {
                // Not HTTP (a TLS handshake, say): answer in plain HTTP and hang up.
                let _ = stream
                    .write_all(
                        b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    )
                    .await;
                return;
            }
        };
        lock(&shared.log).push(request.clone());
        let _in_flight = InFlight::enter(&shared);
        let route = {
            let routes = lock(&shared.routes);
            routes
                .get(&request.target)
                .or_else(|| routes.get(&request.path))
                .cloned()
        };
        let response =
            route.unwrap_or_else(|| Response::status(404).body("text/plain", "not found"));
        let keep_alive = write_response(&mut stream, &request, response).await;
        let client_closes = request
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        if !keep_alive || client_closes {
            let _ = stream.shutdown().await;
            return;
        }
    }
}

/// Reads one request head and its body (Content-Length). `Ok(None)` at a clean end of
/// the connection, `Err` for bytes that are not HTTP.
async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<Option<Request>, ()> {
    let head_end = loop {
        if let Some(first) = buf.first() {
            if !first.is_ascii_uppercase() {
                return Err(());
            }
        }
        if let Some(pos) = find(buf, b"\r\n\r\n") {
            break pos;
        }
        if buf.len() > MAX_HEAD {
            return Err(());
        }
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return Ok(None),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    buf.drain(..head_end + 4);
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split_whitespace();
    let method = request_line.next().ok_or(())?.to_string();
    let target = request_line.next().ok_or(())?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut request = Request {
        method,
        path: target.split('?').next().unwrap_or_default().to_string(),
        target,
        headers,
        body: Vec::new(),
    };
    // GET requests carry no body, but drain one if sent so the next request parses.
    let body_len: usize = request
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < body_len {
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return Ok(None),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    request.body = buf.drain(..body_len).collect();
    Ok(Some(request))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn not_modified(request: &Request, response: &Response) -> bool {
    // If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 13.2.2).
    if let (Some(etag), Some(sent)) = (&response.etag, request.header("if-none-match")) {
        return sent
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || tag == etag || tag.trim_start_matches("W/") == etag);
    }
    if let (Some(date), Some(sent)) = (&response.last_modified, request.header("if-modified-since"))
    {
        return sent.trim() == date;
    }
    false
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// Writes the response; returns whether the connection can carry another request.
async fn write_response(stream: &mut TcpStream, request: &Request, response: Response) -> bool {
    if !response.delay.is_zero() {
        tokio::time::sleep(response.delay).await;
    }
    let mut head = Vec::new();
    let validators = response
        .etag
        .iter()
        .map(|e| ("ETag", e))
        .chain(response.last_modified.iter().map(|d| ("Last-Modified", d)));
    if not_modified(request, &response) {
        let _ = write!(head, "HTTP/1.1 304 Not Modified\r\n");
        for (name, value) in validators {
            let _ = write!(head, "{name}: {value}\r\n");
        }
        head.extend_from_slice(b"\r\n");
        return stream.write_all(&head).await.is_ok();
    }

    let body: Option<Vec<u8>> = match &response.body {
        Body::Endless => None,
        Body::Bytes(bytes) if response.gzip => Some(gzip(bytes)),
        Body::Bytes(bytes) => Some(bytes.as_ref().clone()),
    };
    let _ = write!(
        head,
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in response.headers.iter().map(|(n, v)| (n.as_str(), v)) {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    for (name, value) in validators {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    if response.gzip {
        head.extend_from_slice(b"Content-Encoding: gzip\r\n");
    }
    match &body {
        Some(body) if !response.chunked => {
            let _ = write!(head, "Content-Length: {}\r\n", body.len());
        }
        _ => head.extend_from_slice(b"Transfer-Encoding: chunked\r\n"),
    }
    head.extend_from_slice(b"\r\n");
    if stream.write_all(&head).await.is_err() {
        return false;
    }
    if request.method == "HEAD" {
        return true;
    }

    let Some(body) = body else {
        // Endless: filler chunks until the client gives up and the write fails.
        let filler = vec![b'x'; ENDLESS_CHUNK];
        loop {
            if write_chunk(stream, &filler).await.is_err() {
                return false;
            }
        }
    };
    let sent = match response.stall_after {
        Some(n) => &body[..n.min(body.len())],
        None => &body[..],
    };
    let written = if let Some((step, pause)) = response.trickle {
        let mut result = Ok(());
        for piece in sent.chunks(step) {
            result = if response.chunked {
                write_chunk(stream, piece).await
            } else {
                stream.write_all(piece).await
            };
            if result.is_err() {
                break;
            }
            let _ = stream.flush().await;
            tokio::time::sleep(pause).await;
        }
        result
    } else if response.chunked {
        let mut result = Ok(());
        for piece in sent.chunks(ENDLESS_CHUNK) {
            result = write_chunk(stream, piece).await;
            if result.is_err() {
                break;
            }
        }
        result
    } else {
        stream.write_all(sent).await
    };
    if written.is_err() {
        return false;
    }
    if response.stall_after.is_some() {
        let _ = stream.flush().await;
        tokio::time::sleep(STALL).await;
        return false;
    }
    if response.chunked && stream.write_all(b"0\r\n\r\n").await.is_err() {
        return false;
    }
    stream.flush().await.is_ok()
}

async fn write_chunk(stream: &mut TcpStream, data: &[u8]) -> std::io::Result<()> {
    stream
        .write_all(format!("{:x}\r\n", data.len()).as_bytes())
        .await?;
    stream.write_all(data).await?;
    stream.write_all(b"\r\n").await
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).expect("gzip into memory");
    encoder.finish().expect("gzip into memory")
}
