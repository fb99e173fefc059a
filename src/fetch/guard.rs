//! What a URL may reach, by who wrote it.
//!
//! A URL the operator wrote (a configured feed, a URL given to `extract`) may be `file://`
//! and may name any address. A URL a feed *says* (an item's link, a feed a page announces,
//! a redirect) is hostile: only `http(s)`, and an internal address (loopback, private,
//! link-local, unique-local, or whatever `fetch.internal_networks` lists) only when the
//! feed that said it was itself configured on one. The address is checked where the
//! connection is made: names are resolved by [`GuardedResolver`], which drops internal
//! addresses, so a name that resolves to a public address when checked and to an internal
//! one when used (DNS rebinding) still never reaches inside. Literal addresses, which
//! reqwest connects to without resolving, are checked before the request and at every
//! redirect.
use std::collections::HashMap;
use std::error::Error as StdError;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ipnet::IpNet;

/// The address ranges that count as internal unless `fetch.internal_networks` says
/// otherwise: this host, private networks, link-local, unique-local, shared (CGNAT),
/// unspecified, multicast and reserved ranges.
pub const DEFAULT_INTERNAL_NETWORKS: &[&str] = &[
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "224.0.0.0/4",
    "240.0.0.0/4",
    "::/128",
    "::1/128",
    "fc00::/7",
    "fe80::/10",
    "ff00::/8",
];

/// The internal ranges, parsed. Cheap to clone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalNetworks(Arc<Vec<IpNet>>);

impl Default for InternalNetworks {
    fn default() -> Self {
        let nets = DEFAULT_INTERNAL_NETWORKS
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect();
        InternalNetworks(Arc::new(nets))
    }
}

impl InternalNetworks {
    pub fn new(nets: Vec<IpNet>) -> Self {
        InternalNetworks(Arc::new(nets))
    }

    /// Whether `ip` is inside one of the ranges. An IPv4 address written as IPv6
    /// (`::ffff:127.0.0.1`) is judged as the IPv4 address it is.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6
                .to_ipv4_mapped()
                .map(IpAddr::V4)
                .unwrap_or(IpAddr::V6(v6)),
            v4 => v4,
        };
        self.0.iter().any(|net| net.contains(&ip))
    }
}

/// What one fetch may reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reach {
    /// `file://` URLs are read.
    pub local_files: bool,
    /// Internal addresses may be connected to.
    pub internal: bool,
}

impl Reach {
    /// A URL the operator gave on the command line: anything.
    pub const OPERATOR: Reach = Reach {
        local_files: true,
        internal: true,
    };

    /// A feed URL written in the config: a file, or an address; internal ones only when
    /// the URL itself is on one (so its redirects cannot move inside).
    pub fn configured_feed(feed_is_internal: bool) -> Reach {
        Reach {
            local_files: true,
            internal: feed_is_internal,
        }
    }

    /// A URL a feed said (an item link, an announced feed, a redirect): `http(s)` only,
    /// internal addresses only for a feed configured on one.
    pub fn said_by_feed(feed_is_internal: bool) -> Reach {
        Reach {
            local_files: false,
            internal: feed_is_internal,
        }
    }
}

/// A connection refused because of where it would go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Blocked {
    pub host: String,
    pub addr: IpAddr,
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host == self.addr.to_string() {
            write!(f, "{} is an internal address", self.addr)?;
        } else {
            write!(
                f,
                "{} resolves to internal address {}",
                self.host, self.addr
            )?;
        }
        f.write_str(" (only a feed configured on one may lead there)")
    }
}

impl StdError for Blocked {}

/// The resolver of the client that must not reach inside: the system's resolver, with
/// every internal address removed from the answer.
#[derive(Debug, Clone)]
pub(crate) struct GuardedResolver {
    pub internal: InternalNetworks,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let internal = self.internal.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let (inside, outside): (Vec<SocketAddr>, Vec<SocketAddr>) =
                addrs.into_iter().partition(|a| internal.contains(a.ip()));
            if outside.is_empty() {
                if let Some(first) = inside.first() {
                    let err: Box<dyn StdError + Send + Sync> = Box::new(Blocked {
                        host,
                        addr: first.ip(),
                    });
                    return Err(err);
                }
            }
            let addrs: reqwest::dns::Addrs = Box::new(outside.into_iter());
            Ok(addrs)
        })
    }
}

/// The internal address a URL's literal host names, if it does. Names are left to the
/// resolver; `url` has already turned forms such as `http://2130706433/` into addresses.
pub(crate) fn literal_internal(url: &url::Url, internal: &InternalNetworks) -> Option<Blocked> {
    let ip = match url.host()? {
        url::Host::Ipv4(v4) => IpAddr::V4(v4),
        url::Host::Ipv6(v6) => IpAddr::V6(v6),
        url::Host::Domain(_) => return None,
    };
    internal.contains(ip).then(|| Blocked {
        host: ip.to_string(),
        addr: ip,
    })
}

/// How long whether a configured feed's host is internal is remembered.
const HOST_CACHE_TTL: Duration = Duration::from_secs(600);
/// At most this many hosts are remembered; the cache is cleared when it is full.
const HOST_CACHE_MAX: usize = 50_000;

/// Remembers, per host, whether a configured feed's host is internal, so that a cycle
/// of many feeds does not resolve every name twice.
#[derive(Debug, Default)]
pub(crate) struct HostCache {
    hosts: Mutex<HashMap<String, (bool, Instant)>>,
}

impl HostCache {
    /// Whether a configured feed URL is on an internal address: a `file://` URL is (it is
    /// on this machine); a literal address is checked; a name is resolved and is internal
    /// when any of its addresses is. A name that does not resolve is not internal (its
    /// fetch fails anyway, with the resolver's message).
    pub async fn is_internal(&self, url: &str, internal: &InternalNetworks) -> bool {
        let Ok(parsed) = url::Url::parse(url) else {
            return false;
        };
        if parsed.scheme() == "file" {
            return true;
        }
        let host = match parsed.host() {
            Some(url::Host::Domain(d)) => d.to_ascii_lowercase(),
            Some(url::Host::Ipv4(v4)) => return internal.contains(IpAddr::V4(v4)),
            Some(url::Host::Ipv6(v6)) => return internal.contains(IpAddr::V6(v6)),
            None => return false,
        };
        let now = Instant::now();
        if let Some(&(answer, at)) = lock(&self.hosts).get(&host) {
            if now.duration_since(at) < HOST_CACHE_TTL {
                return answer;
            }
        }
        let answer = match tokio::net::lookup_host((host.as_str(), 0)).await {
            Ok(mut addrs) => addrs.any(|a| internal.contains(a.ip())),
            Err(_) => false,
        };
        let mut hosts = lock(&self.hosts);
        if hosts.len() >= HOST_CACHE_MAX {
            hosts.clear();
        }
        hosts.insert(host, (answer, now));
        answer
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_default_ranges_cover_inside_addresses_and_nothing_public() {
        let nets = InternalNetworks::default();
        for inside in [
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(nets.contains(ip(inside)), "{inside} must count as internal");
        }
        for outside in [
            "8.8.8.8",
            "93.184.216.34",
            "172.32.0.1",
            "192.169.0.1",
            "2001:db8::1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(
                !nets.contains(ip(outside)),
                "{outside} must count as public"
            );
        }
    }

    #[test]
    fn configured_ranges_replace_the_defaults() {
        let nets = InternalNetworks::new(vec!["127.0.0.1/32".parse().unwrap()]);
        assert!(nets.contains(ip("127.0.0.1")));
        assert!(!nets.contains(ip("127.0.0.2")));
    }

    #[test]
    fn literal_hosts_are_judged_in_every_spelling() {
        let nets = InternalNetworks::default();
        for url in [
            "http://127.0.0.1/x",
            "http://2130706433/x",
            "http://0x7f.1/x",
            "http://[::1]:8080/x",
            "http://[::ffff:7f00:1]/x",
            "https://169.254.169.254/latest/meta-data/",
        ] {
            let parsed = url::Url::parse(url).unwrap();
            assert!(literal_internal(&parsed, &nets).is_some(), "{url}");
        }
        for url in ["http://example.org/x", "http://93.184.216.34/x"] {
            let parsed = url::Url::parse(url).unwrap();
            assert!(literal_internal(&parsed, &nets).is_none(), "{url}");
        }
    }

    #[tokio::test]
    async fn configured_feeds_are_internal_by_where_they_are() {
        let nets = InternalNetworks::default();
        let cache = HostCache::default();
        assert!(cache.is_internal("file:///srv/feed.xml", &nets).await);
        assert!(cache.is_internal("http://127.0.0.1:8080/f", &nets).await);
        assert!(cache.is_internal("http://localhost:8080/f", &nets).await);
        assert!(!cache.is_internal("http://93.184.216.34/f", &nets).await);
        assert!(!cache.is_internal("not a url", &nets).await);
    }

    #[tokio::test]
    async fn the_guarded_resolver_refuses_a_name_that_resolves_inside() {
        use reqwest::dns::Resolve as _;
        let resolver = GuardedResolver {
            internal: InternalNetworks::default(),
        };
        let err = match resolver.resolve("localhost".parse().unwrap()).await {
            Ok(addrs) => panic!("localhost resolved to {:?}", addrs.collect::<Vec<_>>()),
            Err(e) => e,
        };
        let blocked = err.downcast_ref::<Blocked>().expect("a Blocked error");
        assert_eq!(blocked.host, "localhost");
        assert!(blocked.addr.is_loopback());
    }
}
