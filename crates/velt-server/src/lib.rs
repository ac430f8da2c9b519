//! velt-server library.
