//! `velt-server config show|check|keys`.

use clap::parser::ValueSource;

use super::Settings;
use super::keys::{self, Kind};

/// `velt-server config …`: inspect the effective configuration.
#[derive(Debug, Clone, Copy, clap::Subcommand)]
pub enum Action {
    /// Print every setting, its value (secrets redacted) and where it came
    /// from: flag, env, file, default or unset.
    Show,
    /// Validate the configuration (file, flags, environment, key files)
    /// without starting the server: exit status 0 when it is usable, 1 when not.
    Check,
    /// Print the table of every key (Markdown, as in docs/configuration.md).
    Keys,
}

/// Where a value came from.
fn source(settings: &Settings, key: &keys::Key) -> (&'static str, Option<String>) {
    match &key.kind {
        Kind::Flag { id, delimiter, .. } => {
            let raw = settings.matches.get_raw(id).map(|vals| {
                vals.map(|v| v.to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join(&delimiter.unwrap_or(',').to_string())
            });
            let from_file = settings.file.as_ref().is_some_and(|f| f.has(&key.name));
            let src = match settings.matches.value_source(id) {
                Some(ValueSource::CommandLine) => "flag",
                Some(ValueSource::EnvVariable) => "env",
                Some(ValueSource::DefaultValue) if from_file => "file",
                Some(ValueSource::DefaultValue) => "default",
                _ => "unset",
            };
            (src, raw)
        }
        Kind::EnvOnly(e) => match settings.var_with_source(e.env) {
            Some((src, v)) => (src, Some(v)),
            None => ("unset", None),
        },
    }
}

/// A secret as `config show` prints it: `<redacted>`, or for a database URL
/// the URL with its password redacted (as the store's log line shows it).
pub(crate) fn redact(value: &str) -> String {
    let scheme = value.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        #[cfg(feature = "postgres")]
        Some("postgres" | "postgresql") => velt_selfhost::backends::postgres::redact_url(value),
        #[cfg(feature = "mongodb")]
        Some("mongodb" | "mongodb+srv") => velt_selfhost::backends::mongodb::redact_uri(value),
        _ => "<redacted>".to_owned(),
    }
}

/// `scheme://user:password@host…` with the password as `<redacted>`
/// (`scheme://token@host…`: the token); any other text as it is.
fn redact_password(value: &str) -> String {
    let Some((scheme, rest)) = value.split_once("://") else {
        return value.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) if userinfo.contains(':') => {
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            format!("{scheme}://{user}:<redacted>@{host}{tail}")
        }
        Some((_, host)) => format!("{scheme}://<redacted>@{host}{tail}"),
        None => value.to_owned(),
    }
}

/// The `config show` text: a header naming the file, then one line per key:
/// `key  source  value`.
pub fn show(settings: &Settings) -> String {
    let mut out = match &settings.file {
        Some(f) => format!("# configuration file: {}\n", f.path().display()),
        None => "# configuration file: none (--config / VELT_CONFIG)\n".to_owned(),
    };
    let width = settings
        .keys
        .iter()
        .map(|k| k.name.len())
        .max()
        .unwrap_or(0);
    for key in &settings.keys {
        let (src, value) = source(settings, key);
        let value = match value {
            Some(v) if key.secret && !v.is_empty() => redact(&v),
            // A URL of a non-secret setting may still carry a password.
            Some(v) => v
                .split(',')
                .map(redact_password)
                .collect::<Vec<_>>()
                .join(","),
            None => String::new(),
        };
        let line = format!("{:width$}  {src:7}  {value}", key.name);
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The `config keys` text.
pub fn keys_table(settings: &Settings) -> String {
    keys::markdown(&settings.keys)
}

#[cfg(test)]
mod tests {
    use super::redact_password;

    #[test]
    fn passwords_in_urls_are_redacted() {
        assert_eq!(
            redact_password("https://u:p4ss@h.example/x?y=1"),
            "https://u:<redacted>@h.example/x?y=1"
        );
        assert_eq!(
            redact_password("https://h.example/a@b"),
            "https://h.example/a@b"
        );
        assert_eq!(
            redact_password("https://token@h.example"),
            "https://<redacted>@h.example"
        );
        assert_eq!(redact_password("plain"), "plain");
    }
}
