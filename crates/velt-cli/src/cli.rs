//! The command tree, generated from the endpoint table.

use clap::{Arg, ArgAction, ArgMatches, Command};
use velt_rest::endpoints::{ENDPOINTS, Endpoint};

use crate::input::{DataSource, top_level_fields};

/// What the command line asks for.
#[derive(Debug)]
pub enum Action {
    /// `velt api list [<service>]`.
    List {
        /// Only this service (its snake_case name).
        service: Option<&'static str>,
    },
    /// `velt api <service> <method>`.
    Call {
        /// The method to call.
        endpoint: &'static Endpoint,
        /// Where the request JSON comes from.
        data: DataSource,
        /// Print the body instead of sending it.
        dry_run: bool,
        /// Apply the method's unknown-field allowlist (velt-py 0.3.0's
        /// `filter_unknown_fields=True`).
        filter_unknown_fields: bool,
    },
}

/// Services in table order, each once: (snake name, velt-py name).
pub fn services() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = Vec::new();
    for ep in ENDPOINTS {
        if !out.iter().any(|(s, _)| *s == ep.service) {
            out.push((ep.service, ep.service_py));
        }
    }
    out
}

fn methods_of(service: &str) -> impl Iterator<Item = &'static Endpoint> + '_ {
    ENDPOINTS.iter().filter(move |ep| ep.service == service)
}

fn names(snake: &str, py: &str) -> String {
    if snake == py {
        snake.to_owned()
    } else {
        format!("{snake} ({py})")
    }
}

fn fields_text(ep: &Endpoint) -> String {
    let fields = top_level_fields(ep.fields);
    if fields.is_empty() {
        "(no fields)".to_owned()
    } else {
        fields.join(", ")
    }
}

/// Extra lines about a method, derived from the table: the velt-py
/// argument form of the token call, a deprecation, an unknown-field filter.
fn notes(ep: &Endpoint) -> Vec<String> {
    let mut out = Vec::new();
    if crate::token::is_get_token(ep) {
        out.push(format!(
            "or velt-py's getToken arguments: {}",
            crate::token::VELT_PY_ARGS.join(", ")
        ));
    }
    if let Some(note) = ep.deprecated {
        out.push(format!("deprecated: {note}"));
    }
    if let Some(filter) = ep.field_filter {
        out.push(format!(
            "--filter-unknown-fields: drop keys the API does not accept (velt-py {})",
            filter.name
        ));
    }
    out
}

/// The list of every service and method (`velt --help`, `velt api list`).
pub fn list_text(only: Option<&str>) -> String {
    let mut out = String::new();
    for (service, service_py) in services() {
        if only.is_some_and(|o| o != service) {
            continue;
        }
        out.push_str(&format!("{}\n", names(service, service_py)));
        for ep in methods_of(service) {
            out.push_str(&format!(
                "  {}\n      POST /v2{}\n      fields: {}\n",
                names(ep.method, ep.method_py),
                ep.path,
                fields_text(ep)
            ));
            for note in notes(ep) {
                out.push_str(&format!("      {note}\n"));
            }
        }
    }
    out
}

fn overview_text() -> String {
    let mut out = String::from("Services and methods (velt-py names in parentheses):\n");
    for (service, service_py) in services() {
        out.push_str(&format!("  {}\n", names(service, service_py)));
        for ep in methods_of(service) {
            out.push_str(&format!("    {}\n", names(ep.method, ep.method_py)));
        }
    }
    out.push_str(
        "\nExamples:\n  velt api organizations getOrganizations --data '{\"pageSize\": 10}'\n  \
         velt api comment_annotations get_comment_annotations --data @request.json\n  \
         echo '{\"organizationIds\": [\"org-1\"]}' | velt api organizations deleteOrganizations --data -\n  \
         velt api list\n\n\
         Environment: VELT_API_KEY, VELT_AUTH_TOKEN, VELT_WORKSPACE_ID, VELT_WORKSPACE_AUTH_TOKEN,\n\
         VELT_API_BASE_URL (default https://api.velt.dev).\n\
         Exit codes: 0 ok, 1 API error, 2 usage error, 3 network error, 4 configuration error.\n",
    );
    out
}

fn method_command(ep: &'static Endpoint) -> Command {
    let mut cmd = Command::new(ep.method)
        .about(format!("POST /v2{}  fields: {}", ep.path, fields_text(ep)))
        .long_about(
            std::iter::once(format!(
                "velt-py: {}.{}\nPOST /v2{}\nRequest fields (the JSON object given to --data): {}",
                ep.service_py,
                ep.method_py,
                ep.path,
                fields_text(ep)
            ))
            .chain(notes(ep))
            .collect::<Vec<_>>()
            .join("\n"),
        )
        .arg(
            Arg::new("data")
                .long("data")
                .short('d')
                .value_name("JSON|@FILE|-")
                .allow_hyphen_values(true)
                .help("Request fields as a JSON object; @FILE reads a file, - reads stdin [default: {}]"),
        )
        .arg(
            Arg::new("dry-run")
                .long("dry-run")
                .action(ArgAction::SetTrue)
                .help("Check the request and print the body that would be sent, without sending it"),
        );
    if ep.field_filter.is_some() {
        cmd = cmd.arg(
            Arg::new("filter-unknown-fields")
                .long("filter-unknown-fields")
                .action(ArgAction::SetTrue)
                .help("Drop the keys the API does not accept from the request's items (velt-py's filter_unknown_fields=True)"),
        );
    }
    if ep.method_py != ep.method {
        cmd = cmd.visible_alias(ep.method_py);
    }
    cmd
}

fn service_command(service: &'static str, service_py: &'static str) -> Command {
    let mut cmd = Command::new(service)
        .about(format!(
            "velt-py sdk.api.{service_py} ({} methods)",
            methods_of(service).count()
        ))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand_value_name("METHOD")
        .subcommand_help_heading("Methods");
    if service_py != service {
        cmd = cmd.visible_alias(service_py);
    }
    for ep in methods_of(service) {
        cmd = cmd.subcommand(method_command(ep));
    }
    cmd
}

/// The whole command tree.
pub fn command() -> Command {
    let mut api = Command::new("api")
        .about("Call a Velt REST method: velt api <service> <method> --data '<json>'")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand_value_name("SERVICE")
        .subcommand_help_heading("Services")
        .after_help("Run `velt api list` to see every method with its fields.")
        .subcommand(
            Command::new("list")
                .about("List every service and method with its request fields")
                .arg(
                    Arg::new("service")
                        .value_name("SERVICE")
                        .help("Only this service"),
                ),
        );
    for (service, service_py) in services() {
        api = api.subcommand(service_command(service, service_py));
    }
    Command::new("velt")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Call the Velt REST API from the shell.")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .after_help(overview_text())
        .subcommand(api)
        .subcommand(crate::webhook::command())
}

fn find_service(name: &str) -> Option<&'static str> {
    services()
        .into_iter()
        .find(|(s, py)| *s == name || *py == name)
        .map(|(s, _)| s)
}

impl Action {
    /// Reads the action from parsed arguments.
    pub fn from_matches(matches: &ArgMatches) -> Result<Self, String> {
        let Some(("api", api)) = matches.subcommand() else {
            return Err("expected `velt api ...`".to_owned());
        };
        match api.subcommand() {
            Some(("list", list)) => {
                let service = match list.get_one::<String>("service") {
                    None => None,
                    Some(name) => Some(find_service(name).ok_or_else(|| {
                        format!(
                            "unknown service `{name}`; services: {}",
                            services()
                                .iter()
                                .map(|(s, _)| *s)
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    })?),
                };
                Ok(Action::List { service })
            }
            Some((service, sub)) => {
                let Some((method, args)) = sub.subcommand() else {
                    return Err(format!("missing method for service `{service}`"));
                };
                let endpoint = ENDPOINTS
                    .iter()
                    .find(|ep| ep.service == service && ep.method == method)
                    .ok_or_else(|| format!("unknown method `{service} {method}`"))?;
                Ok(Action::Call {
                    endpoint,
                    data: DataSource::parse(args.get_one::<String>("data").map(String::as_str)),
                    dry_run: args.get_flag("dry-run"),
                    filter_unknown_fields: endpoint.field_filter.is_some()
                        && args.get_flag("filter-unknown-fields"),
                })
            }
            None => Err("missing service".to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_tree_is_valid() {
        command().debug_assert();
    }
}
