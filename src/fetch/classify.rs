//! Turns reqwest's layered errors into one short `FetchError` a report line can carry.
use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::time::Duration;

use super::FetchError;

/// Why the redirect policy refused to follow a redirect.
#[derive(Debug)]
pub(crate) enum RedirectRefused {
    TooMany(usize),
    Loop(String),
    /// To a scheme other than http(s).
    Scheme(String),
    /// To an internal address the fetch may not reach.
    Internal(String),
}

impl fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RedirectRefused::TooMany(max) => write!(f, "more than {max} redirects"),
            RedirectRefused::Loop(url) => write!(f, "redirect loop at {url}"),
            RedirectRefused::Scheme(s) => write!(f, "redirect to a {s}:// URL"),
            RedirectRefused::Internal(why) => write!(f, "redirect: {why}"),
        }
    }
}

impl StdError for RedirectRefused {}

/// The timeouts reqwest itself enforces, to name the one that fired.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timeouts {
    pub connect: Duration,
    pub read_idle: Duration,
}

/// Every error in the chain, outermost first. `io::Error` wrapping a custom error reports
/// that error's *source* as its own source, skipping the wrapped error itself (rustls's
/// error hides there), so look inside it explicitly.
fn chain<'a>(err: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut out = Vec::new();
    let mut current = Some(err);
    while let Some(e) = current {
        out.push(e);
        if out.len() > 32 {
            break;
        }
        current = match e.downcast_ref::<io::Error>().and_then(|io| io.get_ref()) {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => e.source(),
        };
    }
    out
}

fn find<'a, T: StdError + 'static>(links: &[&'a (dyn StdError + 'static)]) -> Option<&'a T> {
    links.iter().find_map(|e| e.downcast_ref::<T>())
}

/// `host` (and `port`) name the server the request went to, for messages such as
/// "dns: could not resolve host example.invalid".
pub(crate) fn classify(
    err: &reqwest::Error,
    fallback_host: &str,
    timeouts: Timeouts,
) -> FetchError {
    let links = chain(err);
    // A redirect may have moved the request to another host: name the one that failed.
    let host = err
        .url()
        .and_then(|u| {
            u.host_str()
                .map(|h| (h.to_string(), u.port_or_known_default()))
        })
        .map(|(h, port)| match port {
            Some(p) => (h.clone(), format!("{h}:{p}")),
            None => (h.clone(), h),
        })
        .unwrap_or_else(|| (fallback_host.to_string(), fallback_host.to_string()));

    if let Some(refused) = find::<RedirectRefused>(&links) {
        return match refused {
            RedirectRefused::TooMany(max) => FetchError::TooManyRedirects(*max),
            RedirectRefused::Loop(url) => FetchError::RedirectLoop(url.clone()),
            RedirectRefused::Scheme(s) => {
                FetchError::Forbidden(format!("redirect to a {s}:// URL"))
            }
            RedirectRefused::Internal(why) => FetchError::Forbidden(format!("redirect: {why}")),
        };
    }
    // The guarded resolver refused every address of a name.
    if let Some(blocked) = find::<super::guard::Blocked>(&links) {
        return FetchError::Forbidden(blocked.to_string());
    }
    if err.is_redirect() {
        return FetchError::Other(format!("redirect: {}", innermost(&links)));
    }
    if err.is_dns() {
        return FetchError::Dns(host.0);
    }
    if err.is_timeout() {
        return if err.is_connect() {
            FetchError::ConnectTimeout(timeouts.connect)
        } else {
            // The only other timeout reqwest enforces here is the read-idle one.
            FetchError::Stalled(timeouts.read_idle)
        };
    }
    if let Some(tls) = find::<rustls::Error>(&links) {
        return FetchError::Tls(tls.to_string());
    }
    if let Some(io) = find::<io::Error>(&links) {
        match io.kind() {
            io::ErrorKind::ConnectionRefused => return FetchError::Refused(host.1),
            io::ErrorKind::ConnectionReset if err.is_connect() => {
                return FetchError::Connect(format!("{}: connection reset", host.1))
            }
            _ => {}
        }
    }
    if err.is_connect() {
        return FetchError::Connect(format!("{}: {}", host.1, innermost(&links)));
    }
    if err.is_builder() {
        return FetchError::InvalidUrl(innermost(&links));
    }
    if err.is_decode() {
        return FetchError::Other(format!("could not decode the body: {}", innermost(&links)));
    }
    if err.is_body() {
        return FetchError::Other(format!("reading the body: {}", innermost(&links)));
    }
    FetchError::Other(innermost(&links))
}

/// The deepest message is the specific one ("Connection reset by peer"); the outer ones
/// are reqwest's and hyper's generic wrappers.
fn innermost(links: &[&(dyn StdError + 'static)]) -> String {
    links
        .last()
        .map(|e| e.to_string())
        .unwrap_or_else(|| "unknown error".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::SocketAddr;

    /// A resolver that knows no names: DNS failure without asking any real server.
    struct NoNames;

    impl reqwest::dns::Resolve for NoNames {
        fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
            let name = name.as_str().to_string();
            Box::pin(async move {
                let err: Box<dyn StdError + Send + Sync> =
                    format!("failed to lookup address information: {name}").into();
                Err::<Box<dyn Iterator<Item = SocketAddr> + Send>, _>(err)
            })
        }
    }

    const TIMEOUTS: Timeouts = Timeouts {
        connect: Duration::from_secs(3),
        read_idle: Duration::from_secs(4),
    };

    #[tokio::test]
    async fn a_name_that_does_not_resolve_is_a_dns_error() {
        super::super::install_crypto_provider();
        let client = reqwest::Client::builder()
            .dns_resolver(std::sync::Arc::new(NoNames))
            .build()
            .unwrap();
        let err = client
            .get("http://example.invalid/feed.xml")
            .send()
            .await
            .unwrap_err();
        let classified = classify(&err, "fallback", TIMEOUTS);
        assert!(matches!(classified, FetchError::Dns(ref h) if h == "example.invalid"));
        assert_eq!(
            classified.to_string(),
            "dns: could not resolve host example.invalid"
        );
    }

    #[test]
    fn redirect_refusals_read_well() {
        assert_eq!(
            FetchError::TooManyRedirects(5).to_string(),
            "too many redirects (more than 5)"
        );
        assert_eq!(
            FetchError::RedirectLoop("http://a/b".into()).to_string(),
            "redirect loop at http://a/b"
        );
    }
}
