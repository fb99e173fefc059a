//! The only user of reqwest: timeouts, a byte cap on streamed bodies, conditional GET,
//! bounded global and per-host concurrency, file:// URLs.
//! OWNER: fetch helper. Interface (keep): the types and `Fetcher::{new, fetch}`.
//!
//! One `Fetcher` (one reqwest client, one connection pool) serves a whole process; it is
//! cheap to clone and every clone shares the client and the limits. Bodies are read chunk
//! by chunk and cut at `max_body_bytes`, so memory is bounded by
//! `concurrency × max_body_bytes` however many feeds a cycle has.
use std::sync::{Arc, Once};
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use tokio::io::AsyncReadExt;
use tokio::sync::Semaphore;

mod classify;
mod guard;
mod limits;

use classify::{classify, RedirectRefused, Timeouts};
use guard::{literal_internal, GuardedResolver, HostCache};
pub use guard::{InternalNetworks, Reach, DEFAULT_INTERNAL_NETWORKS};
use limits::HostLimits;

/// At most this many redirects are followed for one fetch.
pub const MAX_REDIRECTS: usize = 5;

/// Idle pooled connections are closed after this long. Reuse matters only for the article
/// pages fetched right after their feed; with 10,000 feeds on mostly distinct hosts a
/// longer idle time would keep thousands of sockets and TLS buffers alive for nothing.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(2);
/// Idle pooled connections kept per host, at most.
const POOL_MAX_IDLE_PER_HOST: usize = 2;

/// What feed readers conventionally ask for; `*/*` keeps article pages and odd servers happy.
const ACCEPT: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
                      application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, \
                      text/html;q=0.8, */*;q=0.5";

#[derive(Debug, Clone)]
pub struct FetchSettings {
    /// Total time for one request, body included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_body_bytes: u64,
    pub concurrency: usize,
    pub per_host_concurrency: usize,
    pub user_agent: String,
    /// The addresses only feeds configured on one may make newswatch reach.
    pub internal_networks: InternalNetworks,
}

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(10),
            max_body_bytes: 5_000_000,
            concurrency: 32,
            per_host_concurrency: 2,
            user_agent: format!("newswatch/{}", env!("CARGO_PKG_VERSION")),
            internal_networks: InternalNetworks::default(),
        }
    }
}

impl FetchSettings {
    /// How long a response may send nothing before it is cut off: half the total timeout
    /// (at least a second), so a server that stalls mid-body fails early.
    pub fn read_idle_timeout(&self) -> Duration {
        (self.timeout / 2)
            .max(Duration::from_secs(1))
            .min(self.timeout)
    }
}

/// Conditional-GET validators kept per feed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL after redirects.
    pub final_url: String,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// Validators the server sent, to store for the next conditional GET.
    pub validators: Validators,
    /// How long the server says the document stays fresh (`Cache-Control: max-age`, else
    /// `Expires`), in seconds.
    pub fresh_secs: Option<u64>,
}

#[derive(Debug, Clone)]
pub enum FetchOutcome {
    Fetched(Fetched),
    /// 304: the stored copy is current.
    NotModified,
}

/// Why a fetch failed; the Display text goes into the cycle report and `feeds`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("invalid url: {0}")]
    InvalidUrl(String),
    #[error("unsupported url scheme {0:?} (use http, https or file)")]
    UnsupportedScheme(String),
    #[error("http status {0}")]
    Status(u16),
    /// 429 or 503: the server asks to be left alone, for `Retry-After` seconds if it said.
    #[error("http status {0}{retry}", retry = retry_note(*.1))]
    Throttled(u16, Option<u64>),
    /// The whole request, body included, took longer than `timeout`.
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    /// The server sent nothing for this long (before the headers or in mid-body).
    #[error("timed out: nothing received for {0:?}")]
    Stalled(Duration),
    #[error("connect: timed out after {0:?}")]
    ConnectTimeout(Duration),
    #[error("body larger than {0} bytes, cut off")]
    TooLarge(u64),
    /// The host name did not resolve.
    #[error("dns: could not resolve host {0}")]
    Dns(String),
    /// Nothing listens on `host:port`.
    #[error("connection refused by {0}")]
    Refused(String),
    /// Any other failure to connect (reset, unreachable network, ...).
    #[error("connect: {0}")]
    Connect(String),
    #[error("tls: {0}")]
    Tls(String),
    #[error("too many redirects (more than {0})")]
    TooManyRedirects(usize),
    #[error("redirect loop at {0}")]
    RedirectLoop(String),
    /// What a feed said points somewhere it may not go: a local file, an internal
    /// address, a scheme other than http(s).
    #[error("refused: {0}")]
    Forbidden(String),
    /// A file:// URL that could not be read.
    #[error("file: {0}")]
    File(String),
    #[error("{0}")]
    Other(String),
}

fn retry_note(retry_after: Option<u64>) -> String {
    retry_after
        .map(|s| format!(" (retry after {s} s)"))
        .unwrap_or_default()
}

impl FetchError {
    /// Any of the timeouts: the total one, the read-idle one or the connect one.
    pub fn is_timeout(&self) -> bool {
        matches!(
            self,
            FetchError::Timeout(_) | FetchError::Stalled(_) | FetchError::ConnectTimeout(_)
        )
    }

    /// Whether trying again later might succeed (network trouble, 5xx, 429), as opposed
    /// to a problem that needs someone to change the config or the server.
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Status(code) => *code == 429 || *code >= 500,
            FetchError::Throttled(..) => true,
            FetchError::Timeout(_)
            | FetchError::Stalled(_)
            | FetchError::ConnectTimeout(_)
            | FetchError::Dns(_)
            | FetchError::Refused(_)
            | FetchError::Connect(_)
            | FetchError::Other(_) => true,
            FetchError::InvalidUrl(_)
            | FetchError::UnsupportedScheme(_)
            | FetchError::TooLarge(_)
            | FetchError::Tls(_)
            | FetchError::TooManyRedirects(_)
            | FetchError::RedirectLoop(_)
            | FetchError::Forbidden(_)
            | FetchError::File(_) => false,
        }
    }
}

/// Installs rustls's ring provider as the process default. reqwest is built with
/// `rustls-no-provider` (ring builds much faster than aws-lc-rs) and panics when it builds
/// a client without a provider. Safe to call any number of times; `Fetcher::new` calls it.
pub fn install_crypto_provider() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // Err means some provider is already installed, which is all we need.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// Fetches URLs for the whole process. Clones share the clients, their pools and the limits.
///
/// Two clients: `open` connects anywhere and serves what may reach internal addresses;
/// `guarded` resolves names through [`GuardedResolver`] and refuses literal internal
/// addresses at every redirect, for everything else (see [`Reach`]).
#[derive(Clone)]
pub struct Fetcher {
    settings: FetchSettings,
    open: reqwest::Client,
    guarded: reqwest::Client,
    global: Arc<Semaphore>,
    hosts: Arc<HostLimits>,
    host_cache: Arc<HostCache>,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// The redirect policy: at most [`MAX_REDIRECTS`] hops, no loops, `http(s)` only, and for
/// the guarded client no literal internal address.
fn redirect_policy(guard: Option<InternalNetworks>) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        // `previous` starts with the URL first asked for, so it holds every hop so far.
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error(RedirectRefused::TooMany(MAX_REDIRECTS));
        }
        if attempt.previous().contains(attempt.url()) {
            let url = attempt.url().to_string();
            return attempt.error(RedirectRefused::Loop(url));
        }
        let scheme = attempt.url().scheme().to_string();
        if scheme != "http" && scheme != "https" {
            return attempt.error(RedirectRefused::Scheme(scheme));
        }
        if let Some(blocked) = guard
            .as_ref()
            .and_then(|nets| literal_internal(attempt.url(), nets))
        {
            return attempt.error(RedirectRefused::Internal(blocked.to_string()));
        }
        attempt.follow()
    })
}

impl Fetcher {
    pub fn new(settings: &FetchSettings) -> anyhow::Result<Fetcher> {
        use anyhow::Context as _;
        install_crypto_provider();
        let build = |guard: Option<InternalNetworks>| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT, HeaderValue::from_static(ACCEPT));
            let mut builder = reqwest::Client::builder()
                .tls_backend_rustls()
                .user_agent(settings.user_agent.as_str())
                .default_headers(headers)
                .gzip(true)
                .brotli(true)
                .deflate(true)
                .redirect(redirect_policy(guard.clone()))
                .connect_timeout(settings.connect_timeout)
                .read_timeout(settings.read_idle_timeout())
                // No client-wide `timeout`: `fetch` bounds the whole request itself, so the
                // error can name which limit fired.
                .pool_idle_timeout(POOL_IDLE_TIMEOUT)
                .pool_max_idle_per_host(POOL_MAX_IDLE_PER_HOST.min(settings.per_host_concurrency));
            if let Some(internal) = guard {
                // A proxy would resolve names itself, out of the guard's sight.
                builder = builder
                    .no_proxy()
                    .dns_resolver(Arc::new(GuardedResolver { internal }));
            }
            builder.build().context("building the HTTP client")
        };
        Ok(Fetcher {
            settings: settings.clone(),
            open: build(None)?,
            guarded: build(Some(settings.internal_networks.clone()))?,
            global: Arc::new(Semaphore::new(settings.concurrency.max(1))),
            hosts: Arc::new(HostLimits::new(settings.per_host_concurrency)),
            host_cache: Arc::new(HostCache::default()),
        })
    }

    /// Whether a configured feed URL is on an internal address (a `file://` feed is): what
    /// the feed says may then reach internal addresses too. Names are resolved (and the
    /// answer kept for ten minutes).
    pub async fn feed_is_internal(&self, url: &str) -> bool {
        self.host_cache
            .is_internal(url, &self.settings.internal_networks)
            .await
    }

    pub fn settings(&self) -> &FetchSettings {
        &self.settings
    }

    /// How many hosts have a fetch running or queued right now; idle hosts are forgotten.
    pub fn hosts_in_use(&self) -> usize {
        self.hosts.tracked_hosts()
    }

    /// GET `url` (http, https or file), conditional on `validators`, body capped, going
    /// only where `reach` allows.
    ///
    /// Waits first for a slot of the URL's host, then for one of the global slots, so
    /// fetches queued behind a busy host do not hold global slots. The timeout counts from
    /// when the request starts, not while it waits for a slot.
    pub async fn fetch(
        &self,
        url: &str,
        validators: Option<&Validators>,
        reach: Reach,
    ) -> Result<FetchOutcome, FetchError> {
        let parsed =
            url::Url::parse(url).map_err(|e| FetchError::InvalidUrl(format!("{url}: {e}")))?;
        match parsed.scheme() {
            "http" | "https" => {}
            "file" if !reach.local_files => {
                return Err(FetchError::Forbidden(
                    "file:// is read only for feeds written in the config".into(),
                ))
            }
            other if !reach.local_files => {
                return Err(FetchError::Forbidden(format!(
                    "a {other}:// link (only http and https are followed)"
                )))
            }
            "file" => {
                let _slot = self.global_slot().await?;
                return read_file(&parsed, self.settings.max_body_bytes)
                    .await
                    .map(FetchOutcome::Fetched);
            }
            other => return Err(FetchError::UnsupportedScheme(other.to_string())),
        }
        let Some(host) = parsed.host_str() else {
            return Err(FetchError::InvalidUrl(format!("{url}: no host")));
        };
        if !reach.internal {
            if let Some(blocked) = literal_internal(&parsed, &self.settings.internal_networks) {
                return Err(FetchError::Forbidden(blocked.to_string()));
            }
        }
        let host_key = match parsed.port_or_known_default() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        };
        let _host_slot = self
            .hosts
            .acquire(&host_key)
            .await
            .ok_or_else(|| FetchError::Other("fetcher is shutting down".into()))?;
        let _slot = self.global_slot().await?;
        let timeout = self.settings.timeout;
        let client = if reach.internal {
            &self.open
        } else {
            &self.guarded
        };
        match tokio::time::timeout(timeout, self.get(client, parsed, &host_key, validators)).await {
            Ok(result) => result,
            Err(_) => Err(FetchError::Timeout(timeout)),
        }
    }

    /// POST a JSON document to a URL written in the config (a webhook): `http(s)` only;
    /// internal addresses only when the configured URL itself is on one (the rule for
    /// configured feeds, so a redirect cannot move inside). Ok once the server answered
    /// 2xx; any other status is `FetchError::Status`.
    pub async fn post_json(
        &self,
        url: &str,
        headers: &[(String, String)],
        body: Vec<u8>,
    ) -> Result<u16, FetchError> {
        let parsed =
            url::Url::parse(url).map_err(|e| FetchError::InvalidUrl(format!("{url}: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(FetchError::UnsupportedScheme(parsed.scheme().to_string()));
        }
        let Some(host) = parsed.host_str() else {
            return Err(FetchError::InvalidUrl(format!("{url}: no host")));
        };
        let host_key = match parsed.port_or_known_default() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        };
        let reach = Reach::configured_feed(self.feed_is_internal(url).await);
        let client = if reach.internal {
            &self.open
        } else {
            &self.guarded
        };
        let _slot = self.global_slot().await?;
        let mut request = client
            .post(parsed)
            .header(header::CONTENT_TYPE, "application/json")
            .body(body);
        for (name, value) in headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let send = async {
            let response = request
                .send()
                .await
                .map_err(|e| classify(&e, &host_key, self.timeouts()))?;
            let status = response.status();
            if status.is_success() {
                Ok(status.as_u16())
            } else {
                Err(FetchError::Status(status.as_u16()))
            }
        };
        match tokio::time::timeout(self.settings.timeout, send).await {
            Ok(result) => result,
            Err(_) => Err(FetchError::Timeout(self.settings.timeout)),
        }
    }

    /// GET an article page: `fetch` without validators, so the answer is always a body.
    pub async fn fetch_page(&self, url: &str, reach: Reach) -> Result<Fetched, FetchError> {
        match self.fetch(url, None, reach).await? {
            FetchOutcome::Fetched(fetched) => Ok(fetched),
            // Only a confused server answers 304 to an unconditional GET.
            FetchOutcome::NotModified => Err(FetchError::Status(304)),
        }
    }

    async fn global_slot(&self) -> Result<tokio::sync::SemaphorePermit<'_>, FetchError> {
        self.global
            .acquire()
            .await
            .map_err(|_| FetchError::Other("fetcher is shutting down".into()))
    }

    fn timeouts(&self) -> Timeouts {
        Timeouts {
            connect: self.settings.connect_timeout,
            read_idle: self.settings.read_idle_timeout(),
        }
    }

    async fn get(
        &self,
        client: &reqwest::Client,
        url: url::Url,
        host_key: &str,
        validators: Option<&Validators>,
    ) -> Result<FetchOutcome, FetchError> {
        let mut request = client.get(url);
        if let Some(v) = validators {
            if let Some(etag) = v.etag.as_deref().filter(|s| !s.is_empty()) {
                request = request.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(date) = v.last_modified.as_deref().filter(|s| !s.is_empty()) {
                request = request.header(header::IF_MODIFIED_SINCE, date);
            }
        }
        let mut response = request
            .send()
            .await
            .map_err(|e| classify(&e, host_key, self.timeouts()))?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(FetchOutcome::NotModified);
        }
        if matches!(status.as_u16(), 429 | 503) {
            let retry_after = header_str(response.headers(), header::RETRY_AFTER).and_then(|v| {
                crate::pipeline::schedule_state::parse_retry_after(&v, chrono::Utc::now())
            });
            return Err(FetchError::Throttled(status.as_u16(), retry_after));
        }
        // Redirects were followed already; a 3xx left over has no usable body either.
        if !status.is_success() {
            return Err(FetchError::Status(status.as_u16()));
        }
        let cap = self.settings.max_body_bytes;
        // The header counts encoded bytes; decoded ones are capped while reading below.
        let declared = header_str(response.headers(), header::CONTENT_LENGTH)
            .and_then(|s| s.trim().parse::<u64>().ok());
        if declared.is_some_and(|len| len > cap) {
            return Err(FetchError::TooLarge(cap));
        }
        let final_url = response.url().to_string();
        let content_type = header_str(response.headers(), header::CONTENT_TYPE);
        let validators = Validators {
            etag: header_str(response.headers(), header::ETAG),
            last_modified: header_str(response.headers(), header::LAST_MODIFIED),
        };
        let fresh_secs = crate::pipeline::schedule_state::parse_freshness(
            header_str(response.headers(), header::CACHE_CONTROL).as_deref(),
            header_str(response.headers(), header::EXPIRES).as_deref(),
            chrono::Utc::now(),
        );
        let body = self.read_body(&mut response, declared, host_key).await?;
        Ok(FetchOutcome::Fetched(Fetched {
            final_url,
            content_type,
            body,
            validators,
            fresh_secs,
        }))
    }

    /// Reads the body chunk by chunk, failing as soon as it passes the cap or goes silent
    /// for longer than the read-idle timeout.
    async fn read_body(
        &self,
        response: &mut reqwest::Response,
        declared: Option<u64>,
        host_key: &str,
    ) -> Result<Vec<u8>, FetchError> {
        let cap = self.settings.max_body_bytes;
        let idle = self.settings.read_idle_timeout();
        // Trust the declared length only up to the cap, and not much for a first guess.
        let guess = declared.unwrap_or(16 * 1024).min(cap).min(1 << 20);
        let mut body = Vec::with_capacity(usize::try_from(guess).unwrap_or(0));
        loop {
            let chunk = tokio::time::timeout(idle, response.chunk())
                .await
                .map_err(|_| FetchError::Stalled(idle))?
                .map_err(|e| classify(&e, host_key, self.timeouts()))?;
            let Some(chunk) = chunk else {
                return Ok(body);
            };
            if (body.len() as u64).saturating_add(chunk.len() as u64) > cap {
                return Err(FetchError::TooLarge(cap));
            }
            body.extend_from_slice(&chunk);
        }
    }
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Reads a file:// URL with the same byte cap as a download. No validators: the file is
/// read every time, which is cheap.
async fn read_file(url: &url::Url, cap: u64) -> Result<Fetched, FetchError> {
    let path = url
        .to_file_path()
        .map_err(|()| FetchError::InvalidUrl(format!("{url}: not a local file path")))?;
    let shown = path.display().to_string();
    let io_err = |e: std::io::Error| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        FetchError::File(format!("{shown}: {why}"))
    };
    let file = tokio::fs::File::open(&path).await.map_err(io_err)?;
    let meta = file.metadata().await.map_err(io_err)?;
    if meta.is_dir() {
        return Err(FetchError::File(format!("{shown}: is a directory")));
    }
    if meta.len() > cap {
        return Err(FetchError::TooLarge(cap));
    }
    let mut body = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // One byte past the cap tells a file that grew since `metadata` from one that fits.
    file.take(cap.saturating_add(1))
        .read_to_end(&mut body)
        .await
        .map_err(io_err)?;
    if body.len() as u64 > cap {
        return Err(FetchError::TooLarge(cap));
    }
    Ok(Fetched {
        final_url: url.to_string(),
        content_type: content_type_for(&path).map(str::to_string),
        body,
        validators: Validators::default(),
        fresh_secs: None,
    })
}

/// A content type guessed from a file's extension, as a web server would send it.
fn content_type_for(path: &std::path::Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "rss" => "application/rss+xml",
        "atom" => "application/atom+xml",
        "xml" | "rdf" => "application/xml",
        "json" => "application/json",
        "html" | "htm" => "text/html",
        "txt" => "text/plain",
        "md" => "text/markdown",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn content_types_by_extension() {
        let cases = [
            ("feed.rss", Some("application/rss+xml")),
            ("feed.atom", Some("application/atom+xml")),
            ("feed.XML", Some("application/xml")),
            ("feed.json", Some("application/json")),
            ("page.htm", Some("text/html")),
            ("notes.md", Some("text/markdown")),
            ("archive.tar.gz", None),
            ("no_extension", None),
        ];
        for (name, expected) in cases {
            assert_eq!(content_type_for(Path::new(name)), expected, "{name}");
        }
    }

    #[test]
    fn read_idle_timeout_is_half_the_total_but_at_least_a_second() {
        let with = |secs: f64| FetchSettings {
            timeout: Duration::from_secs_f64(secs),
            ..FetchSettings::default()
        };
        assert_eq!(with(20.0).read_idle_timeout(), Duration::from_secs(10));
        assert_eq!(with(1.5).read_idle_timeout(), Duration::from_secs(1));
        assert_eq!(with(0.5).read_idle_timeout(), Duration::from_millis(500));
    }

    #[test]
    fn installing_the_provider_twice_is_harmless() {
        install_crypto_provider();
        install_crypto_provider();
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
    }

    #[tokio::test]
    async fn unsupported_schemes_and_bad_urls_fail_before_any_io() {
        let fetcher = Fetcher::new(&FetchSettings::default()).unwrap();
        let err = fetcher
            .fetch("ftp://example.org/feed", None, Reach::OPERATOR)
            .await
            .unwrap_err();
        assert_eq!(err, FetchError::UnsupportedScheme("ftp".into()));
        let err = fetcher
            .fetch("not a url", None, Reach::OPERATOR)
            .await
            .unwrap_err();
        assert!(matches!(err, FetchError::InvalidUrl(_)), "{err:?}");
    }

    #[test]
    fn transient_errors_are_worth_a_retry() {
        assert!(FetchError::Status(503).is_transient());
        assert!(FetchError::Status(429).is_transient());
        assert!(!FetchError::Status(404).is_transient());
        assert!(!FetchError::TooLarge(10).is_transient());
        assert!(FetchError::Refused("a:1".into()).is_transient());
    }
}
