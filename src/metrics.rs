//! `[metrics] listen`: Prometheus text at `/metrics` (prometheus-client's encoder) and
//! `/healthz` (503 when no poll cycle finished for two poll periods), served over HTTP/1
//! with hyper on the daemon's runtime. The daemon records into `Metrics` after each job;
//! nothing here reads the store.

use std::convert::Infallible;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result};
use http_body_util::Full;
use hyper::body::Bytes;
use hyper::{Request, Response, StatusCode};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::{Registry, Unit};

use crate::report::{CycleReport, DigestReport};
use crate::status::DaemonState;

type Labels = Vec<(&'static str, String)>;

/// The daemon's metrics; recording is cheap (atomics), encoding happens per scrape.
pub struct Metrics {
    registry: Registry,
    cycle_duration: Histogram,
    cycles: Counter,
    last_cycle_finished: Gauge<f64, AtomicU64>,
    feeds: Family<Labels, Gauge>,
    items: Family<Labels, Counter>,
    claims: Family<Labels, Counter>,
    digest_queue: Gauge,
    send_failures: Counter,
    store_size: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("newswatch");
        // 0.5 s … ~17 min: a cycle of a few feeds to a slow, large one.
        let cycle_duration = Histogram::new(exponential_buckets(0.5, 2.0, 12));
        let cycles = Counter::default();
        let last_cycle_finished = Gauge::<f64, AtomicU64>::default();
        let feeds = Family::<Labels, Gauge>::default();
        let items = Family::<Labels, Counter>::default();
        let claims = Family::<Labels, Counter>::default();
        let digest_queue = Gauge::default();
        let send_failures = Counter::default();
        let store_size = Gauge::default();
        registry.register_with_unit(
            "cycle_duration",
            "How long each poll cycle took",
            Unit::Seconds,
            cycle_duration.clone(),
        );
        registry.register("cycles", "Poll cycles finished", cycles.clone());
        registry.register(
            "last_cycle_finished_timestamp_seconds",
            "When the last poll cycle finished (Unix time)",
            last_cycle_finished.clone(),
        );
        registry.register(
            "feeds",
            "Feeds by their status in the last poll cycle (ok, not_modified, error)",
            feeds.clone(),
        );
        registry.register(
            "items",
            "Items read: new (first seen), matched (a new story matching a watchlist), duplicate (another copy of a stored story)",
            items.clone(),
        );
        registry.register(
            "claims",
            "Claims read, by status (new, corroborates, contradicts, updates)",
            claims.clone(),
        );
        registry.register(
            "digest_queue_length",
            "Digests, alerts and webhook messages written but not yet accepted by their transport",
            digest_queue.clone(),
        );
        registry.register(
            "send_failures",
            "Sends (digests, alerts, webhooks) the transport did not accept",
            send_failures.clone(),
        );
        registry.register_with_unit(
            "store_size",
            "What the store takes on disk",
            Unit::Bytes,
            store_size.clone(),
        );
        Metrics {
            registry,
            cycle_duration,
            cycles,
            last_cycle_finished,
            feeds,
            items,
            claims,
            digest_queue,
            send_failures,
            store_size,
        }
    }

    /// A finished poll cycle and what it found.
    pub fn record_cycle(&self, report: &CycleReport, took: Duration) {
        self.cycle_duration.observe(took.as_secs_f64());
        self.cycles.inc();
        self.last_cycle_finished
            .set(chrono::Utc::now().timestamp_millis() as f64 / 1000.0);
        for status in ["ok", "not_modified", "error"] {
            let n = report
                .feeds
                .iter()
                .filter(|f| f.status.as_str() == status)
                .count();
            self.feeds
                .get_or_create(&vec![("status", status.to_string())])
                .set(i64::try_from(n).unwrap_or(i64::MAX));
        }
        let new: usize = report.feeds.iter().map(|f| f.items_new).sum();
        let dup = report
            .items
            .iter()
            .filter(|i| i.duplicate_of.is_some())
            .count();
        for (kind, n) in [
            ("new", new),
            ("matched", report.items.len() - dup),
            ("duplicate", dup),
        ] {
            self.items
                .get_or_create(&vec![("kind", kind.to_string())])
                .inc_by(n as u64);
        }
        for c in &report.claims {
            self.claims
                .get_or_create(&vec![("status", c.status.as_str().to_string())])
                .inc();
        }
        self.record_sends(report.alerts.iter().chain(&report.webhooks));
    }

    /// Sends attempted (a digest, alerts, webhooks): the refused ones are counted.
    pub fn record_sends<'a>(&self, sends: impl IntoIterator<Item = &'a DigestReport>) {
        let failed = sends.into_iter().filter(|d| d.error.is_some()).count();
        self.send_failures.inc_by(failed as u64);
    }

    /// What is read from the store after each job.
    pub fn record_store(&self, queued: usize, size_bytes: u64) {
        self.digest_queue
            .set(i64::try_from(queued).unwrap_or(i64::MAX));
        self.store_size
            .set(i64::try_from(size_bytes).unwrap_or(i64::MAX));
    }

    /// The Prometheus text exposition.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &self.registry) {
            tracing::warn!(error = %e, "encoding the metrics failed");
        }
        out
    }
}

/// Bind the metrics address (at start, so a taken port is a start-up error).
pub async fn bind(addr: &str) -> Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("metrics.listen: cannot listen on {addr}"))
}

/// Serve `/metrics` and `/healthz` until the task is dropped.
pub async fn serve(listener: tokio::net::TcpListener, state: Arc<DaemonState>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                tracing::warn!(error = %e, "metrics: accept failed");
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            }
        };
        let state = state.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
                let state = state.clone();
                async move { Ok::<_, Infallible>(respond(&state, req.uri().path())) }
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .header_read_timeout(Duration::from_secs(5))
                .timer(hyper_util::rt::TokioTimer::new())
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            // A scraper that holds a connection open cannot hold a task for ever.
            let _ = tokio::time::timeout(Duration::from_secs(30), conn).await;
        });
    }
}

fn respond(state: &DaemonState, path: &str) -> Response<Full<Bytes>> {
    let (status, content_type, body) = match path {
        "/metrics" => (
            StatusCode::OK,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
            state.metrics.encode(),
        ),
        "/healthz" => {
            let now = chrono::Utc::now();
            let config = state.config();
            let live = state.live();
            if live.healthy(now, crate::status::poll_period(&config, now)) {
                (StatusCode::OK, "text/plain; charset=utf-8", "ok\n".into())
            } else {
                let last = live
                    .last_poll_finished
                    .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                    .unwrap_or_else(|| "never".into());
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "text/plain; charset=utf-8",
                    format!(
                        "unhealthy: no poll cycle finished for two poll periods (last finished: {last})\n"
                    ),
                )
            }
        }
        _ => (
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            "not found: /metrics or /healthz\n".into(),
        ),
    };
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    if let Ok(v) = hyper::header::HeaderValue::from_str(content_type) {
        response
            .headers_mut()
            .insert(hyper::header::CONTENT_TYPE, v);
    }
    response
}
