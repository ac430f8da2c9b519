//! `velt webhook`: verify a received webhook, or sign and send one
//! (`verify`, `send`, `events`).
//!
//! Secrets come from `VELT_WEBHOOK_SECRETS` (comma-separated: `whsec_…` for
//! advanced webhooks, anything else a Basic token), never from a flag.
//!
//! Exit codes: 0 ok, 1 refused (verification failed, or the endpoint did not
//! answer 2xx), 2 usage error, 3 network error, 4 configuration error.

use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::{Value, json};
use velt_webhooks::events::{EventKind, EventSource};
use velt_webhooks::{
    PrivateKey, PublicKey, SigningSecret, Verified, Verifier, WebhookSecret, parse_secret_list,
};

use crate::input::DataSource;

const EXIT_REFUSED: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_NETWORK: u8 = 3;
const EXIT_CONFIG: u8 = 4;

/// The environment variable holding the secrets.
const SECRETS_ENV: &str = "VELT_WEBHOOK_SECRETS";

/// The `webhook` command group.
pub fn command() -> Command {
    Command::new("webhook")
        .about("Verify a Velt webhook, or sign and send one to a local endpoint")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .after_help(
            "Secrets: VELT_WEBHOOK_SECRETS, comma-separated (whsec_… for advanced webhooks, \
             anything else a Basic token).\n\
             Exit codes: 0 ok, 1 refused, 2 usage error, 3 network error, 4 configuration error.",
        )
        .subcommand(
            Command::new("verify")
                .about("Verify headers + body and print the event JSON (decoded / decrypted)")
                .arg(
                    Arg::new("body")
                        .long("body")
                        .required(true)
                        .value_name("FILE|-")
                        .help("The raw body as received (a file, or - for stdin)"),
                )
                .arg(
                    Arg::new("header")
                        .long("header")
                        .short('H')
                        .action(ArgAction::Append)
                        .value_name("NAME: VALUE")
                        .help("A request header (repeatable)"),
                )
                .arg(
                    Arg::new("headers")
                        .long("headers")
                        .value_name("FILE")
                        .help("A file of `Name: value` lines (e.g. from curl -D)"),
                )
                .arg(
                    Arg::new("private-key")
                        .long("private-key")
                        .env("VELT_WEBHOOK_PRIVATE_KEY_FILE")
                        .value_name("FILE")
                        .help("RSA private key (PEM or Base64 DER) for encrypted payloads"),
                )
                .arg(tolerance_arg())
                .arg(
                    Arg::new("now")
                        .long("now")
                        .value_name("UNIX_SECONDS")
                        .value_parser(clap::value_parser!(u64))
                        .help("Check the timestamp against this time instead of the clock"),
                ),
        )
        .subcommand(
            Command::new("send")
                .about("Sign a sample (or given) event and POST it, like `stripe trigger`")
                .arg(
                    Arg::new("url")
                        .long("url")
                        .required(true)
                        .value_name("URL")
                        .help("The endpoint, e.g. http://127.0.0.1:8080/v1/webhooks/velt"),
                )
                .arg(
                    Arg::new("event")
                        .long("event")
                        .short('e')
                        .value_name("TYPE")
                        .default_value("comment.add")
                        .help("Event type of the sample (see `velt webhook events`)"),
                )
                .arg(
                    Arg::new("data")
                        .long("data")
                        .short('d')
                        .value_name("JSON|@FILE|-")
                        .allow_hyphen_values(true)
                        .help("Send this body instead of a sample"),
                )
                .arg(
                    Arg::new("id")
                        .long("id")
                        .value_name("ID")
                        .help("webhook-id [default: a new msg_… id]"),
                )
                .arg(
                    Arg::new("timestamp")
                        .long("timestamp")
                        .value_name("UNIX_SECONDS")
                        .value_parser(clap::value_parser!(i64))
                        .help("webhook-timestamp [default: now]"),
                )
                .arg(
                    Arg::new("basic")
                        .long("basic")
                        .action(ArgAction::SetTrue)
                        .help("Send as a basic webhook (Authorization: Basic <token>) instead"),
                )
                .arg(
                    Arg::new("encode")
                        .long("encode")
                        .action(ArgAction::SetTrue)
                        .help("Base64-encode the body ({\"encodedPayload\": …})"),
                )
                .arg(
                    Arg::new("encrypt-to")
                        .long("encrypt-to")
                        .value_name("FILE")
                        .help("Encrypt the body to this RSA public key (PEM or Base64 DER)"),
                )
                .arg(
                    Arg::new("dry-run")
                        .long("dry-run")
                        .action(ArgAction::SetTrue)
                        .help("Print the headers and body instead of sending"),
                ),
        )
        .subcommand(Command::new("events").about("List every known event type"))
}

fn tolerance_arg() -> Arg {
    Arg::new("tolerance")
        .long("tolerance")
        .value_name("SECONDS")
        .value_parser(clap::value_parser!(u64))
        .default_value("300")
        .help("Accepted timestamp age, both ways")
}

/// Runs `velt webhook …`.
pub fn run(matches: &ArgMatches) -> ExitCode {
    let result = match matches.subcommand() {
        Some(("verify", m)) => verify(m),
        Some(("send", m)) => send(m),
        Some(("events", _)) => {
            print_events();
            Ok(())
        }
        _ => Err(Failure(
            EXIT_USAGE,
            "expected verify, send or events".into(),
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(code, message)) => {
            eprintln!("error: {message}");
            ExitCode::from(code)
        }
    }
}

struct Failure(u8, String);

fn usage(message: impl Into<String>) -> Failure {
    Failure(EXIT_USAGE, message.into())
}

fn config(message: impl Into<String>) -> Failure {
    Failure(EXIT_CONFIG, message.into())
}

fn refused(message: impl std::fmt::Display) -> Failure {
    Failure(EXIT_REFUSED, message.to_string())
}

fn secrets() -> Result<Vec<WebhookSecret>, Failure> {
    let list = std::env::var(SECRETS_ENV).unwrap_or_default();
    let secrets = parse_secret_list(&list).map_err(|e| config(format!("{SECRETS_ENV}: {e}")))?;
    if secrets.is_empty() {
        return Err(config(format!("{SECRETS_ENV} is not set")));
    }
    Ok(secrets)
}

fn read_file(path: &str, what: &str) -> Result<Vec<u8>, Failure> {
    if path == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)
            .map_err(|e| usage(format!("cannot read {what} from stdin: {e}")))?;
        return Ok(buf);
    }
    std::fs::read(path).map_err(|e| usage(format!("cannot read {what} {path}: {e}")))
}

fn parse_header_line(line: &str) -> Option<(String, String)> {
    let (name, value) = line.split_once(':')?;
    let name = name.trim();
    if name.is_empty() || name.contains(' ') {
        return None;
    }
    Some((name.to_ascii_lowercase(), value.trim().to_owned()))
}

fn verify(m: &ArgMatches) -> Result<(), Failure> {
    let mut headers: Vec<(String, String)> = Vec::new();
    if let Some(path) = m.get_one::<String>("headers") {
        let text = String::from_utf8(read_file(path, "headers file")?)
            .map_err(|_| usage("the headers file is not UTF-8"))?;
        headers.extend(text.lines().filter_map(parse_header_line));
    }
    for h in m.get_many::<String>("header").into_iter().flatten() {
        headers.push(
            parse_header_line(h)
                .ok_or_else(|| usage(format!("bad --header {h:?}: NAME: VALUE")))?,
        );
    }
    let body = read_file(
        m.get_one::<String>("body").map_or("-", String::as_str),
        "body",
    )?;
    let key = match m.get_one::<String>("private-key") {
        None => None,
        Some(path) => {
            let text = String::from_utf8(read_file(path, "private key")?)
                .map_err(|_| config("the private key file is not UTF-8"))?;
            Some(PrivateKey::parse(&text).map_err(|e| config(format!("{path}: {e}")))?)
        }
    };
    let tolerance = m.get_one::<u64>("tolerance").copied().unwrap_or(300);
    let verifier = Verifier::from_secrets(secrets()?).tolerance(Duration::from_secs(tolerance));
    let now = m
        .get_one::<u64>("now")
        .map_or_else(SystemTime::now, |s| UNIX_EPOCH + Duration::from_secs(*s));
    let verified = verifier
        .verify_at(&headers, &body, now)
        .map_err(|e| refused(format!("refused: {e}")))?;
    let event = velt_webhooks::open(&body, key.as_ref())
        .map_err(|e| refused(format!("verified, but the body is not an event: {e}")))?;
    match &verified {
        Verified::Signed { id, .. } => {
            eprintln!("verified: advanced webhook {id} ({})", event.kind);
        }
        _ => eprintln!("verified: basic webhook ({})", event.kind),
    }
    println!("{}", pretty(&event.raw));
    Ok(())
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

fn print_events() {
    for kind in EventKind::ALL {
        let basic = kind
            .basic_action_type()
            .map(|a| format!(" (basic: {}/{a})", kind.source().as_str()))
            .unwrap_or_default();
        println!("{:<40} {}{basic}", kind.as_str(), kind.description());
    }
}

/// A minimal sample of an event, in the documented shape.
pub fn sample_event(kind: EventKind, webhook_id: &str) -> Value {
    let user = json!({"userId": "user-1", "name": "Ada Lovelace", "email": "ada@example.com",
                      "organizationId": "org-1"});
    let metadata = json!({"document": {"documentId": "doc-1", "documentName": "Sample document"},
                          "organization": {"organizationId": "org-1"},
                          "pageInfo": {"url": "http://localhost:3000/", "title": "Sample"}});
    let data = match kind.source() {
        EventSource::Comment => json!({
            "actionUser": user,
            "commentAnnotation": {"annotationId": "annotation-1", "annotationIndex": 1,
                                  "status": {"id": "OPEN", "name": "Open"}},
            "targetComment": {"commentId": 1, "from": user},
            "metadata": metadata,
        }),
        EventSource::Crdt => json!({
            "actionUser": user,
            "crdtData": {"id": "editor-1", "data": "Hello", "lastUpdatedBy": "user-1",
                         "lastUpdate": "2026-01-01T00:00:00.000Z"},
            "metadata": metadata,
        }),
        EventSource::Recorder => json!({
            "actionUser": user, "recorderId": "recorder-1", "from": user, "metadata": metadata,
            "assets": [{"url": "https://example.com/recording.mp4", "fileFormat": "mp4"}],
        }),
        EventSource::Workflow => json!({"executionId": "execution-1"}),
        _ => json!({"actionUser": user, "metadata": metadata}),
    };
    let action = kind.as_str().rsplit('.').next().unwrap_or_default();
    json!({
        "event": kind.as_str(),
        "actionType": action,
        "source": kind.source().as_str(),
        "webhookId": webhook_id,
        "platform": "sdk",
        "data": data,
    })
}

fn new_id() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("msg_{nanos:x}{:04x}", std::process::id() & 0xffff)
}

fn send(m: &ArgMatches) -> Result<(), Failure> {
    let url = m.get_one::<String>("url").cloned().unwrap_or_default();
    let id = m.get_one::<String>("id").cloned().unwrap_or_else(new_id);
    let timestamp = m.get_one::<i64>("timestamp").copied().unwrap_or_else(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or_default()
    });
    let mut body: Vec<u8> = match m.get_one::<String>("data") {
        Some(arg) => DataSource::parse(Some(arg)).read()?.into_bytes(),
        None => {
            let name = m
                .get_one::<String>("event")
                .map_or("comment.add", String::as_str);
            let kind = EventKind::from_name(name).ok_or_else(|| {
                usage(format!(
                    "unknown event type `{name}` (see `velt webhook events`)"
                ))
            })?;
            serde_json::to_vec(&sample_event(kind, &id)).map_err(|e| usage(e.to_string()))?
        }
    };
    if m.get_flag("encode") {
        body =
            serde_json::to_vec(&velt_webhooks::encode(&body)).map_err(|e| usage(e.to_string()))?;
    }
    if let Some(path) = m.get_one::<String>("encrypt-to") {
        let text = String::from_utf8(read_file(path, "public key")?)
            .map_err(|_| config("the public key file is not UTF-8"))?;
        let key = PublicKey::parse(&text).map_err(|e| config(format!("{path}: {e}")))?;
        let envelope = velt_webhooks::encrypt(&body, &key).map_err(|e| config(e.to_string()))?;
        body = serde_json::to_vec(&envelope).map_err(|e| usage(e.to_string()))?;
    }
    let secrets = secrets()?;
    let mut headers: Vec<(String, String)> =
        vec![("content-type".into(), "application/json".into())];
    if m.get_flag("basic") {
        let token = secrets
            .iter()
            .find_map(|s| match s {
                WebhookSecret::Basic(t) => Some(t.expose().to_owned()),
                _ => None,
            })
            .ok_or_else(|| config(format!("--basic needs a Basic token in {SECRETS_ENV}")))?;
        headers.push(("authorization".into(), format!("Basic {token}")));
    } else {
        let signing: Vec<SigningSecret> = secrets
            .into_iter()
            .filter_map(|s| match s {
                WebhookSecret::Signing(s) => Some(s),
                _ => None,
            })
            .collect();
        if signing.is_empty() {
            return Err(config(format!(
                "{SECRETS_ENV} has no whsec_ secret to sign with (or pass --basic)"
            )));
        }
        headers.extend(
            velt_webhooks::signed_headers(&signing, &id, timestamp, &body)
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v)),
        );
    }
    if m.get_flag("dry-run") {
        eprintln!("POST {url}");
        for (k, v) in &headers {
            if k == "authorization" {
                eprintln!("{k}: Basic <redacted>");
            } else {
                eprintln!("{k}: {v}");
            }
        }
        println!("{}", String::from_utf8_lossy(&body));
        return Ok(());
    }
    post(&url, &headers, body)
}

fn post(url: &str, headers: &[(String, String)], body: Vec<u8>) -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure(EXIT_NETWORK, format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| config(format!("cannot build the HTTP client: {e}")))?;
        let mut request = client.post(url).body(body);
        for (k, v) in headers {
            request = request.header(k, v);
        }
        let response = request
            .send()
            .await
            .map_err(|e| Failure(EXIT_NETWORK, format!("POST {url} failed: {e}")))?;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        eprintln!(
            "{} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        );
        if !text.is_empty() {
            println!("{text}");
        }
        if status.is_success() {
            Ok(())
        } else {
            Err(refused(format!("the endpoint answered {status}")))
        }
    })
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        usage(message)
    }
}
