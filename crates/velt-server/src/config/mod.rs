//! `--config velt-server.toml` (or `VELT_CONFIG`): every setting of the
//! flags and the environment, under the flag's name (`data_dir`, or
//! `data-dir`) or, for the environment-only settings, the variable's name
//! lowercased without `VELT_` (`server_tokens`).
//!
//! Precedence is flag > environment > file > default. A file value becomes
//! the clap default of its flag, so clap itself applies the first three
//! levels, and `ArgMatches::value_source` tells `config show` where a value
//! came from. The keys are derived from the clap definition ([`keys::all`]),
//! never listed by hand.

pub mod keys;
mod show;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use clap::{ArgMatches, Command, CommandFactory, FromArgMatches};

pub use show::{Action, keys_table, show};

use keys::{Key, Kind};

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML (the offending line is not quoted: it may
    /// hold a secret).
    #[error("{path}:{line}:{column}: invalid TOML: {message}")]
    Syntax {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// A key that is no setting.
    #[error("{path}: unknown key `{key}`{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownKey {
        /// The file.
        path: String,
        /// The key as written.
        key: String,
        /// The closest known key.
        suggestion: Option<String>,
    },
    /// The same setting twice (`data_dir` and `data-dir`).
    #[error("{path}: `{key}` is set twice")]
    Duplicate {
        /// The file.
        path: String,
        /// The setting.
        key: String,
    },
    /// A value of the wrong type or that the flag refuses.
    #[error("{path}: `{key}`: {message}")]
    Value {
        /// The file.
        path: String,
        /// The setting.
        key: String,
        /// What is wrong (never the value of a secret).
        message: String,
    },
    /// The file sets secrets but group or other may read it.
    #[error(
        "{path} sets secrets ({keys}) but is readable by group or other (mode {mode:03o}): \
         run `chmod 600 {path}` (or keep the secrets in the environment)"
    )]
    Permissions {
        /// The file.
        path: String,
        /// The secret keys it sets.
        keys: String,
        /// Its permission bits.
        mode: u32,
    },
}

/// The values of a loaded file, by key (each as the strings a flag or
/// variable would receive).
#[derive(Clone)]
pub struct FileConfig {
    path: PathBuf,
    values: BTreeMap<String, Vec<String>>,
}

impl std::fmt::Debug for FileConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Values may be secrets: only the keys.
        f.debug_struct("FileConfig")
            .field("path", &self.path)
            .field("keys", &self.values.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl FileConfig {
    /// Reads and validates `path` against `keys` (the flags of `cmd` and the
    /// environment-only settings).
    pub fn load(path: &Path, cmd: &Command, keys: &[Key]) -> Result<Self, ConfigError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: shown.clone(),
            source,
        })?;
        let config = Self::parse(&shown, &text, cmd, keys)?;
        config.check_permissions(path, keys)?;
        Ok(config)
    }

    /// Validates `text` (the contents of the file `shown`).
    pub fn parse(
        shown: &str,
        text: &str,
        cmd: &Command,
        keys: &[Key],
    ) -> Result<Self, ConfigError> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let (line, column) = e
                .span()
                .map(|s| line_column(text, s.start))
                .unwrap_or((1, 1));
            ConfigError::Syntax {
                path: shown.to_owned(),
                line,
                column,
                message: e.message().trim().to_owned(),
            }
        })?;
        let mut values = BTreeMap::new();
        for (written, value) in &table {
            let name = keys::normalize(written);
            let Some(key) = keys.iter().find(|k| k.name == name) else {
                return Err(ConfigError::UnknownKey {
                    path: shown.to_owned(),
                    key: written.clone(),
                    suggestion: keys::closest(&name, keys).map(str::to_owned),
                });
            };
            let bad = |message: String| ConfigError::Value {
                path: shown.to_owned(),
                key: written.clone(),
                message,
            };
            let strings = strings(key, value).map_err(bad)?;
            if let Kind::Flag { id, .. } = &key.kind {
                validate(cmd, id, key.secret, &strings).map_err(bad)?;
            }
            if values.insert(name.clone(), strings).is_some() {
                return Err(ConfigError::Duplicate {
                    path: shown.to_owned(),
                    key: name,
                });
            }
        }
        Ok(Self {
            path: PathBuf::from(shown),
            values,
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file sets `key`.
    pub fn has(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    /// The value of an environment-only key, list items joined with `,`.
    fn joined(&self, key: &str) -> Option<String> {
        self.values.get(key).map(|v| v.join(","))
    }

    /// The number of settings the file sets.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Refuses a file setting secrets that group or other may read: such a
    /// file is as exposed as the secrets on a command line. (A warning in a
    /// log nobody reads would leave them exposed.)
    #[cfg(unix)]
    fn check_permissions(&self, path: &Path, keys: &[Key]) -> Result<(), ConfigError> {
        use std::os::unix::fs::PermissionsExt;
        let secrets: Vec<&str> = keys
            .iter()
            .filter(|k| k.secret && self.has(&k.name))
            .map(|k| k.name.as_str())
            .collect();
        if secrets.is_empty() {
            return Ok(());
        }
        let mode = std::fs::metadata(path)
            .map_err(|source| ConfigError::Read {
                path: path.display().to_string(),
                source,
            })?
            .permissions()
            .mode()
            & 0o777;
        if mode & 0o044 != 0 {
            return Err(ConfigError::Permissions {
                path: path.display().to_string(),
                keys: secrets.join(", "),
                mode,
            });
        }
        Ok(())
    }

    #[cfg(not(unix))]
    fn check_permissions(&self, _path: &Path, _keys: &[Key]) -> Result<(), ConfigError> {
        Ok(())
    }

    /// `cmd` with the file's values as the defaults of their flags.
    fn apply(&self, mut cmd: Command, keys: &[Key]) -> Command {
        for key in keys {
            let (Kind::Flag { id, .. }, Some(values)) = (&key.kind, self.values.get(&key.name))
            else {
                continue;
            };
            let values = values.clone();
            let secret = key.secret;
            cmd = cmd.mut_arg(id.as_str(), move |a| {
                a.default_values(values).hide_default_value(secret)
            });
        }
        cmd
    }
}

/// 1-based line and column of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The strings a flag (or variable) would receive for `value`.
fn strings(key: &Key, value: &toml::Value) -> Result<Vec<String>, String> {
    let scalar = |v: &toml::Value| -> Result<String, String> {
        match v {
            toml::Value::String(s) => Ok(s.clone()),
            toml::Value::Integer(i) => Ok(i.to_string()),
            toml::Value::Float(f) => Ok(f.to_string()),
            toml::Value::Boolean(b) => Ok(b.to_string()),
            toml::Value::Datetime(d) => Ok(d.to_string()),
            toml::Value::Array(_) => Err("expected a value, found a nested list".to_owned()),
            toml::Value::Table(_) => {
                Err("expected a value, found a table (every setting is a top-level key)".to_owned())
            }
        }
    };
    match (value, &key.kind) {
        (toml::Value::Array(items), Kind::Flag { multiple: true, .. } | Kind::EnvOnly(_)) => {
            items.iter().map(scalar).collect()
        }
        (toml::Value::Array(_), Kind::Flag { .. }) => {
            Err("expected one value, found a list".to_owned())
        }
        (
            v,
            Kind::Flag {
                multiple: true,
                delimiter: Some(d),
                ..
            },
        ) => Ok(scalar(v)?
            .split(*d)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()),
        (v, _) => Ok(vec![scalar(v)?]),
    }
}

/// Runs the flag's own value parser on the values (as its defaults, in a
/// command holding that flag alone), so that a file value is refused exactly
/// as the flag would refuse it, and before it reaches the real parse.
fn validate(cmd: &Command, id: &str, secret: bool, values: &[String]) -> Result<(), String> {
    let Some(arg) = cmd.get_arguments().find(|a| a.get_id() == id) else {
        return Ok(());
    };
    let alone = Command::new("velt-server").no_binary_name(true).arg(
        arg.clone()
            .env(None)
            .required(false)
            .default_values(values.to_vec()),
    );
    match alone.try_get_matches_from(std::iter::empty::<&OsStr>()) {
        Ok(_) => Ok(()),
        Err(_) if secret => Err("invalid value (not shown: secret)".to_owned()),
        Err(e) => {
            let text = e.to_string();
            let first = text.lines().next().unwrap_or_default();
            Err(first.trim_start_matches("error: ").to_owned())
        }
    }
}

/// The parsed command line with the file applied, and where each value
/// came from.
pub struct Settings {
    keys: Vec<Key>,
    matches: ArgMatches,
    file: Option<FileConfig>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not the matches: they hold the raw values, secrets included.
        f.debug_struct("Settings")
            .field("keys", &self.keys.len())
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// An environment-only setting (or any variable): the environment when
    /// set and non-empty, else the file's key for it ([`keys::ENV_ONLY`]).
    pub fn var(&self, name: &str) -> Option<String> {
        self.var_with_source(name).map(|(_, v)| v)
    }

    /// [`Settings::var`] and where the value came from (`env` or `file`).
    fn var_with_source(&self, name: &str) -> Option<(&'static str, String)> {
        if let Some(v) = std::env::var(name).ok().filter(|v| !v.is_empty()) {
            return Some(("env", v));
        }
        let file = self.file.as_ref()?;
        let key = self.keys.iter().find(|k| match &k.kind {
            Kind::EnvOnly(e) => e.env == name,
            Kind::Flag { .. } => false,
        })?;
        file.joined(&key.name).map(|v| ("file", v))
    }

    /// The loaded file, if any.
    pub fn file(&self) -> Option<&FileConfig> {
        self.file.as_ref()
    }
}

/// The version line: the crate version and the compiled-in backends.
pub fn version() -> String {
    let on = |enabled: bool, name: &'static str| enabled.then_some(name);
    let backends: Vec<&str> = [
        on(cfg!(feature = "sqlite"), "sqlite"),
        on(cfg!(feature = "mongodb"), "mongodb"),
        on(cfg!(feature = "postgres"), "postgres"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let files: Vec<&str> = [Some("local"), on(cfg!(feature = "s3"), "s3")]
        .into_iter()
        .flatten()
        .collect();
    format!(
        "{} (backends: {}; files: {}; allocator: {})",
        env!("CARGO_PKG_VERSION"),
        if backends.is_empty() {
            "none".to_owned()
        } else {
            backends.join(" ")
        },
        files.join(" "),
        if cfg!(feature = "mimalloc") {
            "mimalloc"
        } else {
            "system"
        },
    )
}

/// Parses the command line of `T`, applying the file named by `--config` /
/// `VELT_CONFIG`. Help, version and command-line errors exit as clap does.
pub fn parse<T: CommandFactory + FromArgMatches>() -> Result<(T, Settings), ConfigError> {
    parse_from::<T>(std::env::args_os().collect())
}

fn parse_from<T: CommandFactory + FromArgMatches>(
    args: Vec<std::ffi::OsString>,
) -> Result<(T, Settings), ConfigError> {
    let cmd = T::command().version(version());
    let keys = keys::all(&cmd);
    // First pass: only to find the file (and to answer --help / --version).
    let first = cmd.clone().get_matches_from(args.clone());
    let file = match first.get_one::<PathBuf>("config") {
        Some(path) => Some(FileConfig::load(path, &cmd, &keys)?),
        None => None,
    };
    let cmd = match &file {
        Some(f) => f.apply(cmd, &keys),
        None => cmd,
    };
    let matches = cmd.get_matches_from(args);
    let cli = T::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    Ok((
        cli,
        Settings {
            keys,
            matches,
            file,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(multiple: bool, delimiter: Option<char>) -> Key {
        Key {
            name: "k".into(),
            env: None,
            secret: false,
            default: None,
            about: String::new(),
            kind: Kind::Flag {
                id: "k".into(),
                long: "k".into(),
                multiple,
                delimiter,
            },
        }
    }

    fn value(text: &str) -> toml::Value {
        let t: toml::Table = format!("v = {text}").parse().unwrap_or_default();
        t.get("v").cloned().unwrap_or(toml::Value::Boolean(false))
    }

    #[test]
    fn values_become_the_strings_a_flag_receives() {
        let list = flag(true, Some(','));
        assert_eq!(
            strings(&list, &value(r#"["a", "b"]"#)),
            Ok(vec!["a".into(), "b".into()])
        );
        assert_eq!(
            strings(&list, &value(r#""a, b,""#)),
            Ok(vec!["a".into(), "b".into()])
        );
        let one = flag(false, None);
        assert_eq!(strings(&one, &value("42")), Ok(vec!["42".into()]));
        assert_eq!(strings(&one, &value("true")), Ok(vec!["true".into()]));
        assert_eq!(
            strings(&one, &value("[1]")),
            Err("expected one value, found a list".into())
        );
        assert!(strings(&one, &value("{ a = 1 }")).is_err_and(|e| e.contains("table")));
        let env = Key {
            kind: Kind::EnvOnly(keys::ENV_ONLY[0]),
            ..flag(false, None)
        };
        assert_eq!(
            strings(&env, &value(r#"["t1:org-a", "t2:*"]"#)),
            Ok(vec!["t1:org-a".into(), "t2:*".into()])
        );
    }

    #[test]
    fn positions_are_one_based() {
        assert_eq!(line_column("a = 1\nb = \"x", 10), (2, 5));
        assert_eq!(line_column("", 0), (1, 1));
        assert_eq!(line_column("ab", 99), (1, 3));
    }
}
