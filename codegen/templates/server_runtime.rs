//! The server's runtime: settings, the request context, the error type, and the rejections
//! and fallbacks the routes share. The same in every server this generator makes.

use super::models;

/// The largest request body accepted unless configured otherwise: 1 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

/// Options for [`Server::with_config`](super::Server::with_config).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerConfig {
    /// Request bodies larger than this many bytes are answered 413 Payload Too Large.
    pub body_limit: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self { body_limit: DEFAULT_BODY_LIMIT }
    }
}

impl ServerConfig {
    /// Sets the request body limit in bytes.
    pub fn with_body_limit(mut self, body_limit: usize) -> Self {
        self.body_limit = body_limit;
        self
    }
}

/// What an implementation learns about a request besides its parameters and body.
#[derive(Debug, Clone)]
pub struct RequestContext {
    headers: axum::http::HeaderMap,
}

impl RequestContext {
    /// A context with these request headers.
    pub fn new(headers: axum::http::HeaderMap) -> Self {
        Self { headers }
    }

    /// The request headers.
    pub fn headers(&self) -> &axum::http::HeaderMap {
        &self.headers
    }

    // codegen: if bearer
    /// The token of an `Authorization: Bearer <token>` header, if the request has one.
    pub fn bearer_token(&self) -> Option<&str> {
        let value = self.headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?;
        let (scheme, token) = value.split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|token| !token.is_empty())
    }
    // codegen: end
}

/// An error answer: a status and the API's error object, as the real server sends them.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerError {
    /// The HTTP status.
    pub status: axum::http::StatusCode,
    /// The JSON body.
    pub error: models::ApiError,
    // codegen: if declared_errors
    /// A body of the type the API declares for this status, sent instead of `error` (see
    /// [`ServerError::declared`]).
    pub declared: Option<models::errors::Declared>,
    // codegen: end
}

impl ServerError {
    /// An error with `status`, an error class derived from it (`http_not_found_error`) and
    /// `description`.
    pub fn new(status: axum::http::StatusCode, description: impl Into<String>) -> Self {
        let reason = status.canonical_reason().unwrap_or("error").to_ascii_lowercase().replace([' ', '-'], "_");
        // codegen: if !declared_errors
        Self { status, error: models::ApiError::new("server", format!("http_{reason}_error"), description) }
        // codegen: end
        // codegen: if declared_errors
        let error = models::ApiError::new("server", format!("http_{reason}_error"), description);
        Self { status, error, declared: None }
        // codegen: end
    }

    // codegen: if declared_errors
    /// An error answer with `status` and a body of a type the API declares for it.
    pub fn declared(status: axum::http::StatusCode, body: models::errors::Declared) -> Self {
        let description = models::serde_json::to_string(&body).unwrap_or_default();
        Self { declared: Some(body), ..Self::new(status, description) }
    }
    // codegen: end

    /// 400 Bad Request.
    pub fn bad_request(description: impl Into<String>) -> Self {
        Self::new(axum::http::StatusCode::BAD_REQUEST, description)
    }

    /// 401 Unauthorized.
    pub fn unauthorized(description: impl Into<String>) -> Self {
        Self::new(axum::http::StatusCode::UNAUTHORIZED, description)
    }

    /// 403 Forbidden.
    pub fn forbidden(description: impl Into<String>) -> Self {
        Self::new(axum::http::StatusCode::FORBIDDEN, description)
    }

    /// 404 Not Found.
    pub fn not_found(description: impl Into<String>) -> Self {
        Self::new(axum::http::StatusCode::NOT_FOUND, description)
    }

    /// 409 Conflict.
    pub fn conflict(description: impl Into<String>) -> Self {
        Self::new(axum::http::StatusCode::CONFLICT, description)
    }

    /// 500 Internal Server Error.
    pub fn internal(description: impl Into<String>) -> Self {
        Self::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, description)
    }
}

impl std::fmt::Display for ServerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.status, self.error.class(), self.error.message())
    }
}

impl std::error::Error for ServerError {}

impl axum::response::IntoResponse for ServerError {
    fn into_response(self) -> axum::response::Response {
        // codegen: if declared_errors
        if let Some(declared) = self.declared {
            return (self.status, axum::Json(declared)).into_response();
        }
        // codegen: end
        (self.status, axum::Json(self.error)).into_response()
    }
}

// codegen: needs rejection
/// A rejected request: the extractor's status and explanation, in the API's error shape.
pub(crate) fn rejection(status: axum::http::StatusCode, place: &str, detail: String) -> axum::response::Response {
    use axum::response::IntoResponse;
    ServerError::new(status, format!("{place}: {detail}")).into_response()
}

// codegen: needs path_rejection
pub(crate) fn path_rejection(error: axum::extract::rejection::PathRejection) -> axum::response::Response {
    let status = if error.status() == axum::http::StatusCode::INTERNAL_SERVER_ERROR {
        axum::http::StatusCode::BAD_REQUEST
    } else {
        error.status()
    };
    rejection(status, "path", error.body_text())
}

// codegen: needs query_rejection
pub(crate) fn query_rejection(error: axum::extract::rejection::QueryRejection) -> axum::response::Response {
    rejection(axum::http::StatusCode::BAD_REQUEST, "query", error.body_text())
}

// codegen: needs list_query
/// A query string whose lists are the parameter repeated (`?tag=a&tag=b`), read into `T`.
pub(crate) fn list_query<T: serde::de::DeserializeOwned>(query: Option<&str>) -> Result<T, serde_html_form::de::Error> {
    serde_html_form::from_str(query.unwrap_or_default())
}

// codegen: needs list_rejection
pub(crate) fn list_rejection(error: serde_html_form::de::Error) -> axum::response::Response {
    rejection(axum::http::StatusCode::BAD_REQUEST, "query", format!("Failed to deserialize query string: {error}"))
}

// codegen: needs body_rejection
pub(crate) fn body_rejection(error: axum::extract::rejection::JsonRejection) -> axum::response::Response {
    rejection(error.status(), "body", error.body_text())
}

// codegen: needs optional_body
/// A request body that may be left out: `None` without a `Content-Type`, else `T` read from it.
pub(crate) async fn optional_body<T: axum::extract::FromRequest<()>>(
    request: axum::extract::Request,
) -> Result<Option<T>, T::Rejection> {
    if request.headers().contains_key(axum::http::header::CONTENT_TYPE) {
        T::from_request(request, &()).await.map(Some)
    } else {
        Ok(None)
    }
}

// codegen: needs form_rejection
pub(crate) fn form_rejection(error: axum::extract::rejection::FormRejection) -> axum::response::Response {
    rejection(error.status(), "body", error.body_text())
}

// codegen: needs text_rejection
pub(crate) fn text_rejection(error: axum::extract::rejection::StringRejection) -> axum::response::Response {
    rejection(error.status(), "body", error.body_text())
}

// codegen: needs header_value
/// The value of header `name`, when present and valid text.
pub(crate) fn header_value(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|value| value.to_str().ok()).map(str::to_owned)
}

// codegen: needs missing_header
/// A required header that is not there.
pub(crate) fn missing_header(name: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    ServerError::bad_request(format!("required header `{name}` is missing")).into_response()
}

// codegen: needs cookie_value
/// The value of cookie `name` in the request's `Cookie` headers, when present and valid text.
pub(crate) fn cookie_value(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"').to_owned())
}

// codegen: needs missing_cookie
/// A required cookie that is not there.
pub(crate) fn missing_cookie(name: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    ServerError::bad_request(format!("required cookie `{name}` is missing")).into_response()
}

// codegen: needs respond
/// The answer of an implementation: `status` and the JSON value, or the error.
pub(crate) fn respond<T: serde::Serialize>(status: axum::http::StatusCode, answer: Result<T, ServerError>) -> axum::response::Response {
    use axum::response::IntoResponse;
    match answer {
        Ok(value) => (status, axum::Json(value)).into_response(),
        Err(error) => error.into_response(),
    }
}

// codegen: needs respond_tagged
/// The answer of an implementation of a read that carries an entity tag: `status`, the tag in
/// header `etag_header` (when the implementation gave one) and the JSON value, or the error.
pub(crate) fn respond_tagged<T: serde::Serialize>(
    status: axum::http::StatusCode,
    answer: Result<models::Tagged<T>, ServerError>,
    etag_header: &'static str,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match answer {
        Ok(tagged) => {
            let mut response = (status, axum::Json(tagged.value)).into_response();
            if let Some(value) = tagged.etag.and_then(|etag| axum::http::HeaderValue::try_from(etag).ok()) {
                response.headers_mut().insert(etag_header, value);
            }
            response
        }
        Err(error) => error.into_response(),
    }
}

// codegen: needs respond_bytes
/// The answer of an implementation that sends bytes: `status` and the body (whole or a stream)
/// as `application/octet-stream`, or the error.
pub(crate) fn respond_bytes(status: axum::http::StatusCode, answer: Result<axum::body::Body, ServerError>) -> axum::response::Response {
    use axum::response::IntoResponse;
    match answer {
        Ok(body) => (status, [(axum::http::header::CONTENT_TYPE, "application/octet-stream")], body).into_response(),
        Err(error) => error.into_response(),
    }
}

// codegen: needs respond_redirect
/// The answer of an implementation of an operation that redirects: `status` with the URL it
/// gave as `Location`, or the error.
pub(crate) fn respond_redirect(status: axum::http::StatusCode, answer: Result<String, ServerError>) -> axum::response::Response {
    use axum::response::IntoResponse;
    match answer.and_then(|location| {
        axum::http::HeaderValue::try_from(location).map_err(|_| {
            ServerError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, "the redirect's location is not a valid header value")
        })
    }) {
        Ok(location) => (status, [(axum::http::header::LOCATION, location)]).into_response(),
        Err(error) => error.into_response(),
    }
}

// codegen: needs respond_empty
/// The answer of an implementation without a body.
pub(crate) fn respond_empty(status: axum::http::StatusCode, answer: Result<(), ServerError>) -> axum::response::Response {
    use axum::response::IntoResponse;
    match answer {
        Ok(()) => status.into_response(),
        Err(error) => error.into_response(),
    }
}

// codegen: needs not_implemented
/// What a method nobody implemented answers.
pub(crate) fn not_implemented(route: &str) -> ServerError {
    ServerError::new(axum::http::StatusCode::NOT_IMPLEMENTED, format!("{route} is not implemented by this server"))
}

pub(crate) async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    ServerError::not_found(format!("no endpoint at {}", uri.path())).into_response()
}

pub(crate) async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    ServerError::new(axum::http::StatusCode::METHOD_NOT_ALLOWED, format!("{method} is not allowed on {}", uri.path())).into_response()
}

/// The OpenAPI document of the whole API, as this crate's `openapi.json` holds it.
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

pub(crate) async fn openapi() -> axum::response::Response {
    use axum::response::IntoResponse;
    ([(axum::http::header::CONTENT_TYPE, "application/json")], OPENAPI_JSON).into_response()
}
