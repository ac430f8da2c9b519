//! A string that never prints.

use std::fmt;

/// A credential (API key, auth token, workspace auth token).
///
/// `Debug` prints `Secret("[REDACTED]")`; there is no `Display`, and the
/// value only leaves the type through [`Secret::expose_secret`]. Equality is
/// not implemented on purpose, so a secret cannot be probed with `==` either.
#[derive(Clone)]
pub struct Secret(Box<str>);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into().into_boxed_str())
    }

    /// The wrapped value. Call it only where the value must go on the wire.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// Whether the value is the empty string (treated as "not set").
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(\"[REDACTED]\")")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn debug_is_redacted() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(\"[REDACTED]\")");
        assert_eq!(format!("{s:#?}"), "Secret(\"[REDACTED]\")");
        assert_eq!(s.expose_secret(), "hunter2");
    }
}
