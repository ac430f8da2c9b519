//! velt (work in progress).
