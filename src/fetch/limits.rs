//! Per-host concurrency limits: one semaphore per host that exists only while some fetch
//! of that host is queued or running, so the map stays as small as the work in flight.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// A map host → semaphore, pruned when a host goes idle.
#[derive(Debug)]
pub(crate) struct HostLimits {
    per_host: usize,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

/// Holds one of a host's permits; on drop it gives the permit back and forgets the host if
/// nobody else is using or waiting for it.
pub(crate) struct HostPermit {
    limits: Arc<HostLimits>,
    host: String,
    // Both are `Option` so that `Drop` can release them in the right order: the permit
    // first, then our reference to the semaphore, then the map entry if it is unused.
    permit: Option<OwnedSemaphorePermit>,
    semaphore: Option<Arc<Semaphore>>,
}

impl HostLimits {
    pub(crate) fn new(per_host: usize) -> Self {
        HostLimits {
            per_host: per_host.max(1),
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for a permit for `host`. The semaphore is cloned out of the map under the lock,
    /// so its reference count tells `Drop` exactly how many fetches still need it.
    pub(crate) async fn acquire(self: &Arc<Self>, host: &str) -> Option<HostPermit> {
        let semaphore = {
            let mut hosts = self.hosts.lock().ok()?;
            Arc::clone(
                hosts
                    .entry(host.to_string())
                    .or_insert_with(|| Arc::new(Semaphore::new(self.per_host))),
            )
        };
        // Built before waiting, so that a fetch cancelled while it waits still prunes.
        let mut slot = HostPermit {
            limits: Arc::clone(self),
            host: host.to_string(),
            permit: None,
            semaphore: Some(Arc::clone(&semaphore)),
        };
        // The semaphore is never closed, so acquiring only fails if that changes.
        slot.permit = Some(semaphore.acquire_owned().await.ok()?);
        Some(slot)
    }

    /// How many hosts have a live entry (for tests and metrics).
    pub(crate) fn tracked_hosts(&self) -> usize {
        self.hosts.lock().map(|h| h.len()).unwrap_or(0)
    }
}

impl Drop for HostPermit {
    fn drop(&mut self) {
        drop(self.permit.take());
        let Some(semaphore) = self.semaphore.take() else {
            return;
        };
        let Ok(mut hosts) = self.limits.hosts.lock() else {
            return;
        };
        // Two references: the map's and ours. Anyone else holding one is using or waiting
        // for this host, and will prune it in turn.
        if Arc::strong_count(&semaphore) == 2 {
            hosts.remove(&self.host);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hosts_are_forgotten_once_idle() {
        let limits = Arc::new(HostLimits::new(2));
        let a = limits.acquire("a:80").await.unwrap();
        let b = limits.acquire("b:80").await.unwrap();
        let a2 = limits.acquire("a:80").await.unwrap();
        assert_eq!(limits.tracked_hosts(), 2);
        drop(a);
        assert_eq!(limits.tracked_hosts(), 2, "a:80 still has a permit out");
        drop(a2);
        drop(b);
        assert_eq!(limits.tracked_hosts(), 0);
    }

    #[tokio::test]
    async fn a_third_fetch_of_one_host_waits() {
        let limits = Arc::new(HostLimits::new(2));
        let _a = limits.acquire("a:80").await.unwrap();
        let b = limits.acquire("a:80").await.unwrap();
        let waiting = {
            let limits = Arc::clone(&limits);
            tokio::spawn(async move { limits.acquire("a:80").await.map(|_| ()) })
        };
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished());
        drop(b);
        assert!(waiting.await.unwrap().is_some());
    }

    #[tokio::test]
    async fn a_cancelled_wait_does_not_leak_the_host() {
        let limits = Arc::new(HostLimits::new(1));
        let held = limits.acquire("a:80").await.unwrap();
        let waiting = {
            let limits = Arc::clone(&limits);
            tokio::spawn(async move { limits.acquire("a:80").await.map(|_| ()) })
        };
        tokio::task::yield_now().await;
        waiting.abort();
        let _ = waiting.await;
        drop(held);
        assert_eq!(limits.tracked_hosts(), 0);
    }
}
