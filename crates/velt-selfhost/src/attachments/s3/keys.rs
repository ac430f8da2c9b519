//! Object keys as velt-py 0.1.10 builds them, and the owner tag recorded
//! with each object.

use std::fmt::Write as _;

use super::KEY_PREFIX;
use crate::attachments::StorageError;

/// The object key velt-py 0.1.10 builds for an upload:
/// `attachments/<apiKey>/<id>.<ext>`.
///
/// - `<apiKey>/` is left out when there is no (or an empty) API key.
/// - `<ext>` is the text after the last `.` of `file_name`; `.<ext>` is left
///   out when the name has no `.` or ends with `.`. Unlike velt-py, an
///   extension that would be unsafe in a key or an unencoded URL (`/`, `\`,
///   `?`, `#`, `%`, whitespace, control characters) is also left out, so a
///   file name can never add path segments to the key.
///
/// Errors with [`StorageError::InvalidKey`] when the API key cannot be one
/// key segment (`/`, `.`/`..`, control characters, `?`, `#`, `%`).
pub fn object_key(
    api_key: Option<&str>,
    file_name: &str,
    id: &str,
) -> Result<String, StorageError> {
    let mut key = String::from(KEY_PREFIX);
    key.push('/');
    if let Some(api_key) = api_key.filter(|k| !k.is_empty()) {
        if !is_safe_segment(api_key) {
            return Err(StorageError::InvalidKey(
                "the configured API key cannot be used as an S3 key segment".to_owned(),
            ));
        }
        key.push_str(api_key);
        key.push('/');
    }
    key.push_str(id);
    if let Some(ext) = file_extension(file_name) {
        key.push('.');
        key.push_str(ext);
    }
    Ok(key)
}

/// The extension velt-py would put in the key (see [`object_key`]).
pub fn file_extension(file_name: &str) -> Option<&str> {
    let (_, ext) = file_name.rsplit_once('.')?;
    (!ext.is_empty() && ext.chars().all(is_safe_key_char)).then_some(ext)
}

/// The value [`S3Storage::put`](crate::attachments::AttachmentStorage::put) stores as [`OWNER_METADATA_KEY`](super::OWNER_METADATA_KEY) for an
/// organization id: the id itself when it is non-empty printable ASCII
/// without spaces and does not start with `~`; otherwise `~` followed by
/// the lowercase hex of its UTF-8 bytes. S3 metadata values must be ASCII
/// header values, and the encoding is one-to-one, so two organizations
/// never share a value.
pub fn owner_tag(organization_id: &str) -> String {
    let plain = !organization_id.is_empty()
        && !organization_id.starts_with('~')
        && organization_id.bytes().all(|b| b.is_ascii_graphic());
    if plain {
        return organization_id.to_owned();
    }
    let mut tag = String::with_capacity(1 + organization_id.len() * 2);
    tag.push('~');
    for b in organization_id.bytes() {
        let _ = write!(tag, "{b:02x}");
    }
    tag
}

pub(super) fn is_safe_key_char(c: char) -> bool {
    !(c.is_control() || c.is_whitespace() || matches!(c, '/' | '\\' | '?' | '#' | '%'))
}

fn is_safe_segment(s: &str) -> bool {
    !s.is_empty() && s != "." && s != ".." && s.chars().all(is_safe_key_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_layout_matches_velt_py() {
        let id = "0b7d6c1e-8f5a-4c1f-9a57-3f1f2a9d4e10";
        let k = |api: Option<&str>, name: &str| object_key(api, name, id).unwrap();
        assert_eq!(
            k(Some("KEY"), "photo.png"),
            format!("attachments/KEY/{id}.png")
        );
        assert_eq!(k(None, "photo.png"), format!("attachments/{id}.png"));
        assert_eq!(k(Some(""), "photo.png"), format!("attachments/{id}.png"));
        assert_eq!(
            k(Some("KEY"), "archive.tar.gz"),
            format!("attachments/KEY/{id}.gz")
        );
        assert_eq!(k(Some("KEY"), "README"), format!("attachments/KEY/{id}"));
        assert_eq!(k(Some("KEY"), "trailing."), format!("attachments/KEY/{id}"));
        assert_eq!(
            k(Some("KEY"), ".bashrc"),
            format!("attachments/KEY/{id}.bashrc")
        );
        assert_eq!(k(Some("KEY"), ""), format!("attachments/KEY/{id}"));
        // Unsafe extensions are dropped (velt-py would put them in the key).
        assert_eq!(
            k(Some("KEY"), "../../etc/passwd"),
            format!("attachments/KEY/{id}")
        );
        assert_eq!(k(Some("KEY"), "a.b/c"), format!("attachments/KEY/{id}"));
        assert_eq!(k(Some("KEY"), "a.p g"), format!("attachments/KEY/{id}"));
        assert_eq!(k(Some("KEY"), "a.x?y"), format!("attachments/KEY/{id}"));
        assert_eq!(k(Some("KEY"), "a.x%2F"), format!("attachments/KEY/{id}"));
        assert_eq!(k(Some("KEY"), "a.ünï"), format!("attachments/KEY/{id}.ünï"));
        for bad in ["a/b", "..", ".", "a?b", "a\nb"] {
            let err = object_key(Some(bad), "x.png", id).unwrap_err();
            assert!(matches!(err, StorageError::InvalidKey(_)), "{bad}: {err:?}");
            assert!(!err.to_string().contains(bad) || bad == "." || bad == "..");
        }
    }

    #[test]
    fn owner_tags_are_header_safe_and_distinct() {
        assert_eq!(owner_tag("org-1"), "org-1");
        assert_eq!(owner_tag("Org_1.a@b"), "Org_1.a@b");
        assert_eq!(owner_tag(""), "~");
        assert_eq!(owner_tag("~61"), "~7e3631");
        assert_eq!(owner_tag("a b"), "~612062");
        assert_eq!(owner_tag("é"), "~c3a9");
        assert_eq!(owner_tag("a\nb"), "~610a62");
        let tags = ["a", "~61", "A", "a ", " a", "", "~"].map(owner_tag);
        for (i, t) in tags.iter().enumerate() {
            assert!(t.bytes().all(|b| b.is_ascii_graphic()), "{t:?}");
            for u in tags.iter().skip(i + 1) {
                assert_ne!(t, u);
            }
        }
    }
}
