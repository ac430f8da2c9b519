//! [`InstrumentedStore`]: a [`Store`] decorator timing every operation and
//! counting failures, for any backend, without touching the backends.

use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use metrics::Label;
use velt_selfhost::store::{
    Collection, Document, RawRows, RecordId, ScanCursor, ScanPage, Scope, Selector, Store,
    StoreError,
};

use super::metrics::{Metrics, STORE_DURATION, STORE_ERRORS};

/// Wraps a store: each operation's latency goes to
/// `velt_server_store_operation_duration_seconds` and each failure to
/// `velt_server_store_errors_total`, labelled with `backend`.
///
/// It forwards every method of [`Store`]; a method added to the trait with
/// a default body must be forwarded here too, or the inner store's own
/// implementation is bypassed.
#[derive(Debug, Clone)]
pub struct InstrumentedStore {
    inner: Arc<dyn Store>,
    backend: &'static str,
    metrics: Metrics,
}

impl InstrumentedStore {
    /// Wraps `inner`, whose series carry `backend` (`sqlite`, `postgres`,
    /// `mongodb`, `memory`...).
    pub fn new(inner: Arc<dyn Store>, backend: &'static str, metrics: Metrics) -> Self {
        Self {
            inner,
            backend,
            metrics,
        }
    }

    fn observe<T>(
        &self,
        operation: &'static str,
        collection: Option<Collection>,
        started: Instant,
        result: &Result<T, StoreError>,
    ) {
        let collection = collection.map_or("", Collection::config_key);
        self.metrics
            .histogram(
                STORE_DURATION,
                vec![
                    Label::new("backend", self.backend),
                    Label::new("operation", operation),
                    Label::new("collection", collection),
                ],
            )
            .record(started.elapsed().as_secs_f64());
        if let Err(e) = result {
            self.metrics
                .counter(
                    STORE_ERRORS,
                    vec![
                        Label::new("backend", self.backend),
                        Label::new("operation", operation),
                        Label::new("kind", error_kind(e)),
                    ],
                )
                .increment(1);
        }
    }
}

/// The `kind` label of a store error.
fn error_kind(e: &StoreError) -> &'static str {
    match e {
        StoreError::Unavailable { .. } => "unavailable",
        StoreError::DuplicateKey { .. } => "duplicate_key",
        StoreError::InvalidRecord { .. } => "invalid_record",
        StoreError::Unsupported { .. } => "unsupported",
        _ => "backend",
    }
}

#[async_trait]
impl Store for InstrumentedStore {
    async fn find(
        &self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
    ) -> Result<Vec<Document>, StoreError> {
        let started = Instant::now();
        let r = self.inner.find(collection, scope, selector).await;
        self.observe("find", Some(collection), started, &r);
        r
    }

    async fn find_raw_rows(
        &self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
    ) -> Result<RawRows, StoreError> {
        let started = Instant::now();
        let r = self.inner.find_raw_rows(collection, scope, selector).await;
        self.observe("find_raw", Some(collection), started, &r);
        r
    }

    async fn scan(
        &self,
        collection: Collection,
        after: Option<&ScanCursor>,
        limit: usize,
    ) -> Result<ScanPage, StoreError> {
        let started = Instant::now();
        let r = self.inner.scan(collection, after, limit).await;
        self.observe("scan", Some(collection), started, &r);
        r
    }

    async fn upsert_many(
        &self,
        collection: Collection,
        scope: &Scope,
        records: Vec<Document>,
    ) -> Result<(), StoreError> {
        let started = Instant::now();
        let r = self.inner.upsert_many(collection, scope, records).await;
        self.observe("upsert_many", Some(collection), started, &r);
        r
    }

    async fn delete(
        &self,
        collection: Collection,
        scope: &Scope,
        id: &RecordId,
    ) -> Result<Option<Document>, StoreError> {
        let started = Instant::now();
        let r = self.inner.delete(collection, scope, id).await;
        self.observe("delete", Some(collection), started, &r);
        r
    }

    fn holds_records_without_org(&self) -> bool {
        self.inner.holds_records_without_org()
    }

    async fn upsert_without_org(
        &self,
        collection: Collection,
        records: Vec<Document>,
    ) -> Result<(), StoreError> {
        let started = Instant::now();
        let r = self.inner.upsert_without_org(collection, records).await;
        self.observe("upsert_without_org", Some(collection), started, &r);
        r
    }

    async fn ping(&self) -> Result<(), StoreError> {
        let started = Instant::now();
        let r = self.inner.ping().await;
        self.observe("ping", None, started, &r);
        r
    }

    async fn close(&self) {
        self.inner.close().await;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use velt_selfhost::backends::memory::MemoryStore;

    #[derive(Debug)]
    struct Down;

    #[async_trait]
    impl Store for Down {
        async fn find(
            &self,
            _: Collection,
            _: &Scope,
            _: &Selector,
        ) -> Result<Vec<Document>, StoreError> {
            Err(StoreError::Unavailable {
                message: "down".into(),
                source: None,
            })
        }
        async fn upsert_many(
            &self,
            _: Collection,
            _: &Scope,
            _: Vec<Document>,
        ) -> Result<(), StoreError> {
            Err(StoreError::InvalidRecord {
                message: "bad".into(),
            })
        }
        async fn delete(
            &self,
            _: Collection,
            _: &Scope,
            _: &RecordId,
        ) -> Result<Option<Document>, StoreError> {
            Ok(None)
        }
        async fn ping(&self) -> Result<(), StoreError> {
            Ok(())
        }
        async fn scan(
            &self,
            _: Collection,
            _: Option<&ScanCursor>,
            _: usize,
        ) -> Result<ScanPage, StoreError> {
            Err(StoreError::Unavailable {
                message: "down".into(),
                source: None,
            })
        }
    }

    #[tokio::test]
    async fn times_operations_and_counts_errors_by_kind() {
        let metrics = Metrics::new();
        let mem = InstrumentedStore::new(Arc::new(MemoryStore::new()), "memory", metrics.clone());
        let down = InstrumentedStore::new(Arc::new(Down), "down", metrics.clone());
        let scope = Scope::new("org-1").unwrap();
        let doc: Document =
            serde_json::from_value(serde_json::json!({"annotationId": "a-1"})).unwrap();
        mem.upsert_many(Collection::Comments, &scope, vec![doc.clone()])
            .await
            .unwrap();
        let found = mem
            .find(Collection::Comments, &scope, &Selector::All)
            .await
            .unwrap();
        assert_eq!(
            found.len(),
            1,
            "the inner store answers through the wrapper"
        );
        assert!(
            down.find(Collection::Comments, &scope, &Selector::All)
                .await
                .is_err()
        );
        assert!(
            down.find(Collection::Comments, &scope, &Selector::All)
                .await
                .is_err()
        );
        assert!(
            down.upsert_many(Collection::Comments, &scope, vec![doc])
                .await
                .is_err()
        );
        down.ping().await.unwrap();

        let text = metrics.render();
        let key = Collection::Comments.config_key();
        for (line, value) in [
            (format!("velt_server_store_operation_duration_seconds_count{{backend=\"memory\",operation=\"upsert_many\",collection=\"{key}\"}}"), "1"),
            (format!("velt_server_store_operation_duration_seconds_count{{backend=\"memory\",operation=\"find\",collection=\"{key}\"}}"), "1"),
            (format!("velt_server_store_operation_duration_seconds_count{{backend=\"down\",operation=\"find\",collection=\"{key}\"}}"), "2"),
            ("velt_server_store_operation_duration_seconds_count{backend=\"down\",operation=\"ping\",collection=\"\"}".to_owned(), "1"),
            ("velt_server_store_errors_total{backend=\"down\",operation=\"find\",kind=\"unavailable\"}".to_owned(), "2"),
            ("velt_server_store_errors_total{backend=\"down\",operation=\"upsert_many\",kind=\"invalid_record\"}".to_owned(), "1"),
        ] {
            assert!(text.contains(&format!("{line} {value}\n")), "{line} {value} not in:\n{text}");
        }
        assert!(
            !text.contains("velt_server_store_errors_total{backend=\"memory\""),
            "{text}"
        );
        assert!(!text.contains("operation=\"ping\",kind"), "{text}");
    }
}
