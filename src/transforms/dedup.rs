//! Item identity: canonical URLs and stable ids, so an item seen once is never new again.
//! Near-duplicate detection (fingerprints of the extracted body) belongs here too.
