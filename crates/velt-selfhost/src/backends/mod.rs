//! [`Store`](crate::store::Store) backends: in-memory (always), MongoDB
//! (feature `mongodb`) and embedded SQLite (feature `sqlite`).

pub mod memory;
#[cfg(feature = "sqlite")]
pub mod sqlite;

#[cfg(feature = "mongodb")]
pub mod mongodb;

#[cfg(feature = "postgres")]
pub mod postgres;
