//! Captures the `event` field the server records in each request's span,
//! by request id.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use tracing::field::{Field, Visit};
use tracing::span;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// request id → the `event` recorded in its span.
static EVENTS: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();

fn events() -> &'static Mutex<HashMap<String, String>> {
    EVENTS.get_or_init(|| Mutex::new(HashMap::new()))
}

#[derive(Default)]
struct Fields {
    request_id: Option<String>,
    event: Option<String>,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "request_id" => self.request_id = Some(value.to_owned()),
            "event" => self.event = Some(value.to_owned()),
            _ => {}
        }
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.record_str(field, &format!("{value:?}"));
    }
}

struct RequestId(String);

struct EventCapture;

impl<S> tracing_subscriber::Layer<S> for EventCapture
where
    S: tracing::Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &span::Attributes<'_>, id: &span::Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != "request" {
            return;
        }
        let mut f = Fields::default();
        attrs.record(&mut f);
        if let (Some(rid), Some(span)) = (f.request_id, ctx.span(id)) {
            span.extensions_mut().insert(RequestId(rid));
        }
    }

    fn on_record(&self, id: &span::Id, values: &span::Record<'_>, ctx: Context<'_, S>) {
        let mut f = Fields::default();
        values.record(&mut f);
        if let (Some(event), Some(span)) = (f.event, ctx.span(id))
            && let Some(RequestId(rid)) = span.extensions().get::<RequestId>()
        {
            events()
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(rid.clone(), event);
        }
    }
}

/// The `event` recorded in the span of the request with id `request_id`.
pub fn traced(request_id: &str) -> Option<String> {
    let map = events().lock().unwrap_or_else(|e| e.into_inner());
    map.get(request_id).cloned()
}

pub fn init_tracing() {
    static INIT: OnceLock<()> = OnceLock::new();
    INIT.get_or_init(|| {
        let subscriber = tracing_subscriber::registry().with(EventCapture);
        tracing::subscriber::set_global_default(subscriber).unwrap();
    });
}

pub fn new_request_id() -> String {
    static N: AtomicU64 = AtomicU64::new(1);
    format!(
        "contract-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}
