//! Following `nextPageToken` across pages.

use std::collections::HashSet;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream::{self, BoxStream, Stream, StreamExt};
use serde::Serialize;
use serde_json::Value;

use crate::client::{VeltClient, encode_body};
use crate::endpoints::Endpoint;
use crate::error::Error;
use crate::response::ApiResponse;

/// A stream of pages: one [`ApiResponse`] per call.
///
/// The first call uses the request as given; every next call is the same
/// request with `pageToken` set to the previous response's
/// [`next_page_token`](ApiResponse::next_page_token). The stream ends after
/// a response without a token, after a response whose token was already
/// used (the token does not advance), or after the first error (which it
/// yields). Pages are fetched lazily, one at a time.
///
/// ```no_run
/// # async fn run(client: velt_rest::VeltClient) -> Result<(), velt_rest::Error> {
/// use futures_util::TryStreamExt;
/// use velt_models::rest::GetOrganizationsRequest;
///
/// let mut pages = client
///     .organizations()
///     .get_organizations_pages(&GetOrganizationsRequest::default());
/// while let Some(page) = pages.try_next().await? {
///     println!("{:?}", page.data());
/// }
/// # Ok(()) }
/// ```
pub struct Pages {
    inner: BoxStream<'static, Result<ApiResponse, Error>>,
}

impl fmt::Debug for Pages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

impl Stream for Pages {
    type Item = Result<ApiResponse, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

struct State {
    client: VeltClient,
    endpoint: Endpoint,
    request: serde_json::Map<String, Value>,
    seen: HashSet<String>,
}

impl Pages {
    fn failed(error: Error) -> Self {
        Self {
            inner: stream::once(async move { Err(error) }).boxed(),
        }
    }

    fn follow(client: VeltClient, endpoint: Endpoint, request: Value) -> Self {
        let Value::Object(request) = request else {
            return Self::failed(Error::invalid("the request must be a JSON object"));
        };
        let mut seen = HashSet::new();
        if let Some(Value::String(t)) = request.get("pageToken") {
            seen.insert(t.clone());
        }
        let state = State {
            client,
            endpoint,
            request,
            seen,
        };
        let inner = stream::unfold(Some(state), |state| async move {
            let mut st = state?;
            let page = async {
                st.client.check_credentials(st.endpoint.auth)?;
                let body = encode_body(&st.request)?;
                st.client.send(&st.endpoint, body).await
            }
            .await;
            match page {
                Ok(resp) => {
                    let next = match resp.next_page_token() {
                        Some(t) if st.seen.insert(t.to_owned()) => {
                            st.request
                                .insert("pageToken".to_owned(), Value::String(t.to_owned()));
                            Some(st)
                        }
                        _ => None,
                    };
                    Some((Ok(resp), next))
                }
                Err(e) => Some((Err(e), None)),
            }
        });
        Self {
            inner: inner.boxed(),
        }
    }
}

impl VeltClient {
    /// Follows the pages of any paginated endpoint (see [`Pages`]), starting
    /// from a JSON request object checked and normalised like
    /// [`call_endpoint`](Self::call_endpoint). For a typed request use the
    /// service's `*_pages` method, e.g.
    /// [`get_organizations_pages`](crate::services::OrganizationsService::get_organizations_pages).
    ///
    /// An endpoint without `pageToken` yields one [`Error::InvalidRequest`].
    pub fn paginate(&self, endpoint: &Endpoint, request: Value) -> Pages {
        if !endpoint.paginated {
            return Pages::failed(Error::invalid(format!(
                "{}.{} does not take a pageToken",
                endpoint.service_py, endpoint.method_py
            )));
        }
        match endpoint.normalize(request) {
            Ok(v) => Pages::follow(self.clone(), *endpoint, v),
            Err(e) => Pages::failed(e),
        }
    }

    pub(crate) fn paginate_typed<R: Serialize>(&self, endpoint: &Endpoint, request: &R) -> Pages {
        match serde_json::to_value(request) {
            Ok(v) => Pages::follow(self.clone(), *endpoint, v),
            Err(e) => Pages::failed(Error::invalid(format!("cannot encode the request: {e}"))),
        }
    }
}
