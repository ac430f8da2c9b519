//! The conformance suite shared by every [`Store`](crate::store::Store)
//! backend (feature `test-util`). Work in progress.

/// Expands to one `#[tokio::test]` per conformance case (work in progress).
#[macro_export]
macro_rules! conformance_tests {
    ($make_store:expr) => {};
}
