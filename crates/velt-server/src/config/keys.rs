//! The set of configuration keys: every flag of the `Cli` clap definition
//! (walked at run time, so a flag added anywhere, flattened structs included,
//! is a key with no change here) plus [`ENV_ONLY`], the one table of the
//! settings that have no flag (secrets and a few companions).

use clap::{ArgAction, Command};

/// A setting read only from the environment (or the file): no flag, because
/// a flag shows its value in process listings.
#[derive(Debug, Clone, Copy)]
pub struct EnvOnly {
    /// The environment variable.
    pub env: &'static str,
    /// Printed as `<redacted>` by `config show`; a file holding it must not
    /// be readable by group or other.
    pub secret: bool,
    /// One line for `config keys` and docs/configuration.md.
    pub about: &'static str,
}

/// Every environment-only setting the binary reads. The file key is the
/// variable name lowercased without `VELT_` ([`EnvOnly::key`]).
pub const ENV_ONLY: &[EnvOnly] = &[
    EnvOnly {
        env: "VELT_SERVER_TOKENS",
        secret: true,
        about: "static bearer tokens, comma-separated (`token:org-a|org-b`, `token:*`)",
    },
    EnvOnly {
        env: "VELT_JWT_SECRET",
        secret: true,
        about: "HMAC secret of JWT bearer tokens (with jwt_algorithms = \"HS256\")",
    },
    EnvOnly {
        env: "VELT_ADMIN_TOKENS",
        secret: true,
        about: "tokens of POST /v1/admin/permissions/*, same syntax as server_tokens",
    },
    EnvOnly {
        env: "VELT_API_KEY",
        secret: true,
        about: "Velt API key (scopes reads; with auth_token enables POST /v1/auth/token)",
    },
    EnvOnly {
        env: "VELT_AUTH_TOKEN",
        secret: true,
        about: "Velt auth token (with api_key enables POST /v1/auth/token)",
    },
    EnvOnly {
        env: "VELT_API_BASE_URL",
        secret: false,
        about: "base URL of the Velt REST API",
    },
    EnvOnly {
        env: "VELT_WORKSPACE_ID",
        secret: false,
        about: "Velt workspace id (workspace REST calls)",
    },
    EnvOnly {
        env: "VELT_WORKSPACE_AUTH_TOKEN",
        secret: true,
        about: "Velt workspace auth token (workspace REST calls)",
    },
    EnvOnly {
        env: "VELT_MONGODB_URI",
        secret: true,
        about: "MongoDB connection string: store data in MongoDB (password redacted)",
    },
    EnvOnly {
        env: "VELT_WEBHOOK_SECRETS",
        secret: true,
        about: "webhook verification secrets, comma-separated (`whsec_…`, Basic tokens)",
    },
    EnvOnly {
        env: "VELT_WEBHOOK_FORWARD_URLS",
        secret: false,
        about: "where verified webhook events are forwarded, comma-separated",
    },
    EnvOnly {
        env: "VELT_WEBHOOK_FORWARD_SECRET",
        secret: true,
        about: "`whsec_…` secret(s) signing forwarded webhook events",
    },
    EnvOnly {
        env: "AWS_S3_BUCKET_NAME",
        secret: false,
        about: "store attachment files in this S3 bucket",
    },
    EnvOnly {
        env: "AWS_ACCESS_KEY_ID",
        secret: true,
        about: "S3 access key id",
    },
    EnvOnly {
        env: "AWS_SECRET_ACCESS_KEY",
        secret: true,
        about: "S3 secret access key",
    },
    EnvOnly {
        env: "AWS_SESSION_TOKEN",
        secret: true,
        about: "S3 session token",
    },
    EnvOnly {
        env: "AWS_REGION",
        secret: false,
        about: "S3 region (default us-east-1)",
    },
    EnvOnly {
        env: "AWS_S3_ENDPOINT_URL",
        secret: false,
        about: "S3-compatible endpoint (MinIO, R2, …)",
    },
    EnvOnly {
        env: "RUST_LOG",
        secret: false,
        about: "log filter (default info), e.g. `velt_server=debug`",
    },
];

impl EnvOnly {
    /// The file key: the variable lowercased, without a leading `VELT_`.
    pub fn key(&self) -> String {
        self.env
            .strip_prefix("VELT_")
            .unwrap_or(self.env)
            .to_ascii_lowercase()
    }
}

/// Where a key's value is read from, besides the file.
#[derive(Debug, Clone)]
pub enum Kind {
    /// A clap argument (flag, maybe with an environment variable).
    Flag {
        /// The clap argument id.
        id: String,
        /// `--long`.
        long: String,
        /// Takes several values (a list in the file).
        multiple: bool,
        /// The delimiter splitting one string into several values.
        delimiter: Option<char>,
    },
    /// An [`ENV_ONLY`] setting.
    EnvOnly(EnvOnly),
}

/// One configuration key.
#[derive(Debug, Clone)]
pub struct Key {
    /// The file key (`data_dir`).
    pub name: String,
    /// The environment variable, if any.
    pub env: Option<String>,
    /// Printed redacted; the file must be private when it sets this key.
    pub secret: bool,
    /// The default, as clap prints it.
    pub default: Option<String>,
    /// One-line description.
    pub about: String,
    /// Flag or environment-only.
    pub kind: Kind,
}

/// Arguments that are not settings.
const NOT_SETTINGS: &[&str] = &["help", "version", "config"];

/// The file key of a flag: its long name with `-` as `_`.
pub fn normalize(key: &str) -> String {
    key.replace('-', "_")
}

/// Every key: the flags of `cmd` (top level, flattened structs included) in
/// declaration order, then [`ENV_ONLY`].
pub fn all(cmd: &Command) -> Vec<Key> {
    // Built, so that clap's implicit defaults (`false` of a switch) show.
    let mut cmd = cmd.clone();
    cmd.build();
    let mut keys = Vec::new();
    for arg in cmd.get_arguments() {
        let id = arg.get_id().as_str();
        let Some(long) = arg.get_long() else { continue };
        if NOT_SETTINGS.contains(&id) || arg.is_positional() {
            continue;
        }
        let defaults: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        let about = arg
            .get_help()
            .map(|h| h.to_string())
            .unwrap_or_default()
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned();
        let delimiter = arg.get_value_delimiter();
        keys.push(Key {
            name: normalize(long),
            env: arg.get_env().map(|e| e.to_string_lossy().into_owned()),
            // The clap definition marks a secret flag with hide_env_values.
            secret: arg.is_hide_env_values_set(),
            default: (!defaults.is_empty())
                .then(|| defaults.join(&delimiter.unwrap_or(',').to_string())),
            about,
            kind: Kind::Flag {
                id: id.to_owned(),
                long: long.to_owned(),
                multiple: matches!(arg.get_action(), ArgAction::Append),
                delimiter,
            },
        });
    }
    for e in ENV_ONLY {
        keys.push(Key {
            name: e.key(),
            env: Some(e.env.to_owned()),
            secret: e.secret,
            default: None,
            about: e.about.to_owned(),
            kind: Kind::EnvOnly(*e),
        });
    }
    keys
}

/// The key closest to `unknown` (edit distance at most a third of its
/// length, at least 2), for "did you mean".
pub fn closest<'a>(unknown: &str, keys: &'a [Key]) -> Option<&'a str> {
    let limit = (unknown.len() / 3).max(2);
    keys.iter()
        .map(|k| (distance(unknown, &k.name), k.name.as_str()))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, name)| name)
}

/// Levenshtein distance over chars.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

/// The keys as the Markdown table of docs/configuration.md.
pub fn markdown(keys: &[Key]) -> String {
    let mut out = String::from(
        "| key | environment | flag | default | secret | description |\n\
         |---|---|---|---|---|---|\n",
    );
    for k in keys {
        let flag = match &k.kind {
            Kind::Flag { long, .. } => format!("`--{long}`"),
            Kind::EnvOnly(_) => "—".to_owned(),
        };
        let cell = |v: &Option<String>| match v {
            Some(v) if !v.is_empty() => format!("`{v}`"),
            Some(_) => "`\"\"`".to_owned(),
            None => "—".to_owned(),
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            k.name,
            cell(&k.env),
            flag,
            cell(&k.default),
            if k.secret { "yes" } else { "" },
            k.about.replace('|', "\\|"),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("bind", "bind"), 0);
        assert_eq!(distance("bnid", "bind"), 2);
        assert_eq!(distance("data_dri", "data_dir"), 2);
        assert_eq!(distance("", "abc"), 3);
    }

    #[test]
    fn env_only_keys_drop_the_prefix() {
        let keys: Vec<String> = ENV_ONLY.iter().map(EnvOnly::key).collect();
        assert!(keys.contains(&"server_tokens".to_owned()));
        assert!(keys.contains(&"aws_secret_access_key".to_owned()));
        assert!(keys.contains(&"rust_log".to_owned()));
    }
}
