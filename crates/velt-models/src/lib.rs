//! velt-models (work in progress).
