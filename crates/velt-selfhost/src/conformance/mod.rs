//! The conformance suite every [`Store`] backend must pass (feature
//! `test-util`). It drives the *services* ([`SelfHosting`]) over the store
//! under test, so it checks the store contract and the velt-py behaviour at
//! once: every service method, every error code, stamping and query
//! precedence, metadata merging, `user_schema` lookups, attachments (upload,
//! URL, file deletion) and organization isolation.
//!
//! Use it from an integration test (the crate needs `tokio` as a
//! dev-dependency):
//!
//! ```ignore
//! velt_selfhost::conformance_tests!(async {
//!     std::sync::Arc::new(velt_selfhost::backends::memory::MemoryStore::new())
//!         as std::sync::Arc<dyn velt_selfhost::store::Store>
//! });
//! ```
//!
//! The expression is evaluated once per test and must yield a fresh, empty
//! store.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

pub mod cases;
pub mod contract_cases;
pub mod raw_cases;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use serde_json::Value;
use velt_models::selfhost::ResolverResponse;

use crate::attachments::local::LocalDirStorage;
use crate::store::{Collection, Document, RawRows, RecordId, Scope, Selector, Store, StoreError};
use crate::{SelfHosting, SelfHostingBuilder};

/// A [`Store`] wrapper counting the calls made to the wrapped store.
#[derive(Debug)]
pub struct CountingStore {
    inner: Arc<dyn Store>,
    finds: AtomicUsize,
    upserts: AtomicUsize,
    deletes: AtomicUsize,
}

impl CountingStore {
    /// Wraps `inner`.
    pub fn new(inner: Arc<dyn Store>) -> Self {
        Self {
            inner,
            finds: AtomicUsize::new(0),
            upserts: AtomicUsize::new(0),
            deletes: AtomicUsize::new(0),
        }
    }

    /// `(find, upsert_many, delete)` calls so far.
    pub fn counts(&self) -> (usize, usize, usize) {
        (
            self.finds.load(Ordering::SeqCst),
            self.upserts.load(Ordering::SeqCst),
            self.deletes.load(Ordering::SeqCst),
        )
    }

    /// Resets the counters.
    pub fn reset(&self) {
        self.finds.store(0, Ordering::SeqCst);
        self.upserts.store(0, Ordering::SeqCst);
        self.deletes.store(0, Ordering::SeqCst);
    }

    /// The wrapped store.
    pub fn inner(&self) -> &Arc<dyn Store> {
        &self.inner
    }
}

#[async_trait]
impl Store for CountingStore {
    async fn find(
        &self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
    ) -> Result<Vec<Document>, StoreError> {
        self.finds.fetch_add(1, Ordering::SeqCst);
        self.inner.find(collection, scope, selector).await
    }

    async fn find_raw_rows(
        &self,
        collection: Collection,
        scope: &Scope,
        selector: &Selector,
    ) -> Result<RawRows, StoreError> {
        self.finds.fetch_add(1, Ordering::SeqCst);
        self.inner.find_raw_rows(collection, scope, selector).await
    }

    async fn upsert_many(
        &self,
        collection: Collection,
        scope: &Scope,
        records: Vec<Document>,
    ) -> Result<(), StoreError> {
        self.upserts.fetch_add(1, Ordering::SeqCst);
        self.inner.upsert_many(collection, scope, records).await
    }

    async fn delete(
        &self,
        collection: Collection,
        scope: &Scope,
        id: &RecordId,
    ) -> Result<Option<Document>, StoreError> {
        self.deletes.fetch_add(1, Ordering::SeqCst);
        self.inner.delete(collection, scope, id).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.inner.ping().await
    }

    async fn scan(
        &self,
        collection: Collection,
        after: Option<&crate::store::ScanCursor>,
        limit: usize,
    ) -> Result<crate::store::ScanPage, StoreError> {
        self.inner.scan(collection, after, limit).await
    }
}

/// A temporary directory removed on drop.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// A new empty directory under the system temp dir.
    pub fn new() -> Self {
        let p = std::env::temp_dir().join(format!("velt-conformance-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Default for TempDir {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The public base URL of files in the suite's local storage.
pub const FILES_BASE: &str = "http://files.test/velt";

/// The store under test (counted), the services over it, and a local
/// attachment storage on a temporary directory.
#[derive(Debug)]
pub struct Harness {
    pub store: Arc<CountingStore>,
    pub sh: SelfHosting,
    pub storage: Arc<LocalDirStorage>,
    pub dir: TempDir,
}

impl Harness {
    /// Services with no API key and no `user_schema`.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self::with(store, |b| b)
    }

    /// Services configured by `configure`.
    pub fn with(
        store: Arc<dyn Store>,
        configure: impl FnOnce(SelfHostingBuilder) -> SelfHostingBuilder,
    ) -> Self {
        let store = Arc::new(CountingStore::new(store));
        let dir = TempDir::new();
        let storage = Arc::new(
            LocalDirStorage::new(dir.path())
                .public_base_url(FILES_BASE)
                .max_bytes(1024),
        );
        let builder = SelfHosting::builder()
            .store(store.clone() as Arc<dyn Store>)
            .attachment_storage(storage.clone());
        let sh = configure(builder).build();
        Harness {
            store,
            sh,
            storage,
            dir,
        }
    }

    /// Services over the same store, configured differently (same storage).
    pub fn reconfigured(
        &self,
        configure: impl FnOnce(SelfHostingBuilder) -> SelfHostingBuilder,
    ) -> SelfHosting {
        let builder = SelfHosting::builder()
            .store(self.store.clone() as Arc<dyn Store>)
            .attachment_storage(self.storage.clone());
        configure(builder).build()
    }

    /// Writes velt-py-shaped documents straight into the store.
    pub async fn put(&self, collection: Collection, org: &str, docs: Vec<Value>) {
        let docs = docs.into_iter().map(obj).collect();
        self.store
            .inner()
            .upsert_many(collection, &Scope::new(org).unwrap(), docs)
            .await
            .unwrap();
    }
}

/// A JSON object as a [`Document`].
pub fn obj(v: Value) -> Document {
    match v {
        Value::Object(m) => m,
        other => panic!("not a JSON object: {other}"),
    }
}

/// The response as JSON.
pub fn js(r: &ResolverResponse) -> Value {
    serde_json::to_value(r).unwrap()
}

/// Parses a request from JSON, as a web handler would.
pub fn req<T: serde::de::DeserializeOwned>(v: Value) -> T {
    match velt_models::selfhost::parse_request(v) {
        Ok(r) => r,
        Err(e) => panic!("request did not parse: {}", js(&e)),
    }
}

/// `data` of a successful response (panics with the response otherwise).
pub fn data(r: &ResolverResponse) -> Value {
    assert!(r.success, "expected success, got {}", js(r));
    r.data.clone().unwrap_or(Value::Null)
}

/// Expands to one `#[tokio::test]` per conformance case, each running on a
/// fresh store from `$make_store` (an async expression yielding an
/// `Arc<dyn velt_selfhost::store::Store>`; it is evaluated once per test).
/// The calling crate needs `tokio` (with `macros` and `rt-multi-thread`).
#[macro_export]
macro_rules! conformance_tests {
    ($make_store:expr) => {
        $crate::__conformance_case!($make_store; contract_cases;
            contract_numeric_ids_and_request_context,
            contract_custom_keys_keep_falsy_values,
            contract_saves_and_deletes_are_idempotent,
            contract_upload_delete_is_idempotent,
            contract_reactions_from_and_user,
            contract_folder_reads,
            contract_resolve_user_ids_by_email,
        );
        $crate::__conformance_case!($make_store; cases;
            comments_save_then_get_exact_records,
            comments_query_precedence,
            comments_stamping_rules,
            comments_api_key_scopes_reads_not_deletes,
            comments_error_responses,
            comments_delete,
            comments_metadata_merge_keeps_keys,
            comments_velt_py_documents_read_back,
            comments_malformed_record_is_skipped,
            comments_isolation,
            saves_are_one_store_call,
            concurrent_saves_lose_no_write,
            reactions_save_get_delete,
            reactions_error_responses,
            reactions_isolation,
            recorders_save_get_delete,
            recorders_error_responses,
            recorders_isolation,
            notifications_save_get_delete,
            notifications_error_responses,
            notifications_isolation,
            activities_save_get,
            activities_error_responses,
            activities_isolation,
            attachments_url_save_get_delete,
            attachments_upload_and_file_delete,
            attachments_error_responses,
            attachments_isolation,
            users_without_schema,
            users_with_schema,
            users_save_then_get,
            users_error_responses,
            users_isolation,
            requests_of_the_wrong_shape_are_400,
        );
        $crate::__conformance_case!($make_store; raw_cases;
            raw_reads_send_odd_json_as_stored,
            raw_reads_skip_and_rewrite_like_parsed_reads,
            reads_match_ids_with_their_json_types,
        );
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __conformance_case {
    ($make_store:expr; $module:ident; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let store: ::std::sync::Arc<dyn $crate::store::Store> = $make_store.await;
                $crate::conformance::$module::$name(store).await;
            }
        )*
    };
}
