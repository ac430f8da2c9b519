//! `velt`: call any Velt REST method from the shell.
//!
//! ```text
//! velt api <service> <method> [--data '<json>' | --data @file.json | --data -]
//! velt api list [<service>]
//! ```
//!
//! `<service>` and `<method>` accept velt-py's names (`commentAnnotations
//! addCommentAnnotations`) and the Rust snake_case names
//! (`comment_annotations add_comment_annotations`). Credentials and the base
//! URL come from `VELT_API_KEY`, `VELT_AUTH_TOKEN`, `VELT_WORKSPACE_ID`,
//! `VELT_WORKSPACE_AUTH_TOKEN` and `VELT_API_BASE_URL`.
//!
//! Exit codes: 0 success, 1 API error (error JSON on stderr), 2 usage error
//! (bad arguments or request JSON; nothing sent), 3 network error (connection,
//! timeout, undecodable response), 4 configuration error (missing credential,
//! bad base URL).
//!
//! `velt api token getToken` also takes velt-py's `getToken` arguments
//! (`{"organizationId", "userId", "email", "isAdmin", "name", "permissions"}`)
//! and prints velt-py's result (`{"success": true, "data": {"token": ...}}`
//! on stdout; `{"success": false, "error", "errorCode"}` on stderr). The
//! method is deprecated, as in velt-py 0.3.0; a deprecated method prints a
//! warning on stderr.

mod cli;
mod input;
mod token;
mod webhook;

use std::io::Write;
use std::process::ExitCode;

use serde_json::Value;
use velt_rest::endpoints::Endpoint;

/// Exit code: the API answered with an error.
const EXIT_API: u8 = 1;
/// Exit code: bad command line or request JSON.
const EXIT_USAGE: u8 = 2;
/// Exit code: the API could not be reached or its answer not read.
const EXIT_NETWORK: u8 = 3;
/// Exit code: the client configuration is incomplete or invalid.
const EXIT_CONFIG: u8 = 4;

fn main() -> ExitCode {
    let matches = match cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            // --help / --version print to stdout and succeed; real errors exit 2.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    if let Some(("webhook", m)) = matches.subcommand() {
        return webhook::run(m);
    }
    match cli::Action::from_matches(&matches) {
        Ok(cli::Action::List { service }) => {
            print_stdout(&cli::list_text(service));
            ExitCode::SUCCESS
        }
        Ok(cli::Action::Call {
            endpoint,
            data,
            dry_run,
            filter_unknown_fields,
        }) => call(endpoint, &data, dry_run, filter_unknown_fields),
        Err(message) => usage_error(&message),
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(EXIT_USAGE)
}

fn print_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    if !text.ends_with('\n') {
        let _ = out.write_all(b"\n");
    }
    let _ = out.flush();
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

fn call(
    endpoint: &'static Endpoint,
    data: &input::DataSource,
    dry_run: bool,
    filter_unknown_fields: bool,
) -> ExitCode {
    let what = format!("{}.{}", endpoint.service_py, endpoint.method_py);
    if let Some(note) = endpoint.deprecated {
        eprintln!("warning: {what} is deprecated: {note}");
    }
    let map = match data
        .read()
        .and_then(|text| input::parse_object(&text, data))
    {
        Ok(map) => map,
        Err(message) => return usage_error(&message),
    };
    if token::is_get_token(endpoint) {
        match token::velt_py_request(&map, &what) {
            Ok(Some(request)) => return get_token(endpoint, &request, dry_run),
            Ok(None) => {}
            Err(message) => return usage_error(&message),
        }
    }
    let mut request = match prepare(endpoint, map, &what) {
        Ok(v) => v,
        Err(message) => return usage_error(&message),
    };
    if let (true, Some(filter)) = (filter_unknown_fields, endpoint.field_filter) {
        filter.apply(&mut request);
    }
    if dry_run {
        return print_dry_run(endpoint, &request);
    }
    run(async move {
        let client = match velt_rest::VeltClient::from_env() {
            Ok(c) => c,
            Err(e) => return report_error(&e),
        };
        match client.call_endpoint(endpoint, request).await {
            Ok(response) => {
                print_stdout(&pretty(response.json()));
                ExitCode::SUCCESS
            }
            Err(e) => report_error(&e),
        }
    })
}

fn print_dry_run(endpoint: &Endpoint, data: &Value) -> ExitCode {
    eprintln!("POST /v2{}", endpoint.path);
    print_stdout(&pretty(&serde_json::json!({ "data": data })));
    ExitCode::SUCCESS
}

/// Runs `future` on a single-threaded runtime.
fn run(future: impl std::future::Future<Output = ExitCode>) -> ExitCode {
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt.block_on(future),
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            ExitCode::from(EXIT_NETWORK)
        }
    }
}

/// velt-py's `getToken` from its arguments: velt-py's checks, body and
/// `{"success", ...}` result.
fn get_token(
    endpoint: &Endpoint,
    request: &velt_models::rest::GetTokenRequest,
    dry_run: bool,
) -> ExitCode {
    if dry_run {
        return match serde_json::to_value(request) {
            Ok(data) => print_dry_run(endpoint, &data),
            Err(e) => usage_error(&format!("cannot encode the request: {e}")),
        };
    }
    run(async move {
        let client = match velt_rest::VeltClient::from_env() {
            Ok(c) => c,
            Err(e) => return report_error(&e),
        };
        // This command reproduces velt-py's deprecated `getToken` on purpose;
        // the user was warned above (the table's deprecation note).
        #[allow(deprecated)]
        let result = client.token().get_token_for(request).await;
        match result {
            Ok(result) if result.is_success() => {
                print_stdout(&pretty(&result.to_json()));
                ExitCode::SUCCESS
            }
            Ok(result) => {
                eprintln!("{}", pretty(&result.to_json()));
                ExitCode::from(token::exit_code(result.error_code()))
            }
            Err(e) => report_error(&e),
        }
    })
}

/// Checks the request object and normalises it through the typed request.
fn prepare(
    endpoint: &'static Endpoint,
    map: serde_json::Map<String, Value>,
    what: &str,
) -> Result<Value, String> {
    input::check_fields(&map, endpoint.fields, what)?;
    // velt-rest prefixes its messages with the method name; `what` already says it.
    let prefix = format!("{what}: ");
    input::normalize_with_field(
        map,
        |v| {
            endpoint.normalize(v).map_err(|e| match e {
                velt_rest::Error::InvalidRequest { message } => match message.strip_prefix(&prefix)
                {
                    Some(rest) => rest.to_owned(),
                    None => message,
                },
                other => other.to_string(),
            })
        },
        what,
    )
}

fn report_error(err: &velt_rest::Error) -> ExitCode {
    use velt_rest::Error as E;
    match err {
        E::Api(api) => {
            eprintln!("{api}");
            eprintln!("{}", pretty(&api.body));
            ExitCode::from(EXIT_API)
        }
        E::Timeout { .. } | E::Network { .. } | E::Decode { .. } => {
            eprintln!("error: {err}");
            if let E::Decode { body, .. } = err {
                eprintln!("{body}");
            }
            ExitCode::from(EXIT_NETWORK)
        }
        E::MissingCredential { .. } | E::Config { .. } => {
            eprintln!("error: {err}");
            ExitCode::from(EXIT_CONFIG)
        }
        E::InvalidRequest { .. } => {
            eprintln!("error: {err}");
            ExitCode::from(EXIT_USAGE)
        }
        _ => {
            eprintln!("error: {err}");
            ExitCode::from(EXIT_API)
        }
    }
}
