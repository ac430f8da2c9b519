//! velt-rest (work in progress).
