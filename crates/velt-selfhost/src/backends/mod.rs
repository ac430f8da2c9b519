//! [`Store`](crate::store::Store) backends: in-memory (always), MongoDB
//! (feature `mongodb`) and embedded SQLite (feature `sqlite`).

#[cfg(feature = "sqlite")]
pub mod sqlite;
