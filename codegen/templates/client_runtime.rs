//! The client's runtime: construction, authentication, retries, errors and the helpers the
//! operations call. The same in every client this generator makes.

use super::models;

/// How long a request may take, end to end, unless configured otherwise.
pub const DEFAULT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// An async client for the API.
///
// codegen: if bearer
/// Build it from a base URL ([`Client::new`]), optionally with a bearer token
/// ([`Client::with_bearer_token`]); or from your own [`reqwest::Client`]
/// ([`Client::with_http_client`]) to set a CA certificate, proxies or connection limits.
// codegen: end
// codegen: if !bearer
/// Build it from a base URL ([`Client::new`]), or from your own [`reqwest::Client`]
/// ([`Client::with_http_client`]) to set a CA certificate, proxies, connection limits or
/// default headers.
// codegen: end
#[derive(Clone)]
pub struct Client {
    base_url: String,
    http: reqwest::Client,
    // codegen: if bearer
    bearer_token: Option<BearerToken>,
    // codegen: end
    // codegen: if credentials
    credentials: Vec<(&'static str, Credential)>,
    // codegen: end
    timeout: Option<std::time::Duration>,
    retry: Option<RetryPolicy>,
}

// codegen: if bearer
/// A bearer token; its `Debug` output never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct BearerToken(String);

impl BearerToken {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The token itself, for building the `Authorization` header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BearerToken(<redacted>)")
    }
}
// codegen: end

// codegen: if credentials
/// A credential of one of the API's security schemes, as its `with_` method sets it; its
/// `Debug` output never shows the secret.
#[derive(Clone)]
pub(crate) enum Credential {
    // codegen: if basic
    /// HTTP basic authentication: a user name and a password.
    Basic(String, String),
    // codegen: end
    // codegen: if header_keys
    /// An API key in the header of this name.
    Header(&'static str, String),
    // codegen: end
    // codegen: if query_keys
    /// An API key in the query parameter of this name.
    Query(&'static str, String),
    // codegen: end
}

impl Credential {
    /// The request carrying the credential.
    fn apply(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self {
            // codegen: if basic
            Credential::Basic(user, password) => request.basic_auth(user, Some(password)),
            // codegen: end
            // codegen: if header_keys
            Credential::Header(name, key) => request.header(*name, key),
            // codegen: end
            // codegen: if query_keys
            Credential::Query(name, key) => request.query(&[(name, key)]),
            // codegen: end
        }
    }
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // codegen: if basic
            Credential::Basic(user, _) => write!(f, "Basic({user:?}, <redacted>)"),
            // codegen: end
            // codegen: if header_keys
            Credential::Header(name, _) => write!(f, "Header({name:?}, <redacted>)"),
            // codegen: end
            // codegen: if query_keys
            Credential::Query(name, _) => write!(f, "Query({name:?}, <redacted>)"),
            // codegen: end
        }
    }
}

impl Client {
    /// Sends `credential` for security scheme `scheme` with every request, instead of the one
    /// set before for that scheme.
    pub(crate) fn set_credential(mut self, scheme: &'static str, credential: Credential) -> Self {
        self.credentials.retain(|(set, _)| *set != scheme);
        self.credentials.push((scheme, credential));
        self
    }
}

// codegen: end
impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            // codegen: if bearer
            .field("bearer_token", &self.bearer_token)
            // codegen: end
            // codegen: if credentials
            .field("credentials", &self.credentials)
            // codegen: end
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// Makes ring rustls' cryptography for this process, unless a provider is installed already
/// (then that one stays). The `rustls` feature builds reqwest without a provider of its own, so
/// that no C library (aws-lc) is compiled; [`Client::new`] calls this, and so must code that
/// builds its own `reqwest::Client` for [`Client::with_http_client`].
#[cfg(feature = "rustls")]
#[cfg_attr(docsrs, doc(cfg(feature = "rustls")))]
pub fn install_tls_provider() {
    // An error only says that a provider is installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Retries for idempotent requests (GET, PUT, DELETE) that failed to connect or were answered
/// 429 Too Many Requests or 503 Service Unavailable. Off unless set with
/// [`Client::with_retry`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The wait before the first retry; it doubles for each further retry.
    pub initial_backoff: std::time::Duration,
    /// The longest wait between attempts, including one a `Retry-After` header asks for.
    pub max_backoff: std::time::Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_backoff: std::time::Duration::from_millis(200),
            max_backoff: std::time::Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    fn backoff(&self, attempt: u32, retry_after: Option<std::time::Duration>) -> std::time::Duration {
        let exponential = self.initial_backoff.saturating_mul(2u32.saturating_pow(attempt));
        retry_after.unwrap_or(exponential).min(self.max_backoff)
    }
}

impl Client {
    /// A client for the API at `base_url` (for example `https://cluster:8000`), with the
    /// default timeout.
    pub fn new(base_url: &str) -> Result<Self, Error> {
        #[cfg(feature = "rustls")]
        install_tls_provider();
        // codegen: if redirects
        // Some operations answer with a redirect, whose target they return: not followed.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(Error::Transport)?;
        // codegen: end
        // codegen: if !redirects
        let http = reqwest::Client::builder().build().map_err(Error::Transport)?;
        // codegen: end
        Self::with_http_client(base_url, http)
    }

    /// A client that sends its requests through `http`, configured as you need (CA
    /// certificates, proxies, connection pool). The default timeout still applies per request
    /// unless changed with [`Client::with_timeout`]. With the `rustls` feature, call
    /// `install_tls_provider()` before building `http`, as [`Client::new`] does (a plain name:
    /// the function exists only with that feature).
    pub fn with_http_client(base_url: &str, http: reqwest::Client) -> Result<Self, Error> {
        let parsed = reqwest::Url::parse(base_url).map_err(|error| Error::InvalidBaseUrl(format!("{base_url}: {error}")))?;
        if parsed.cannot_be_a_base() || parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(Error::InvalidBaseUrl(format!("{base_url}: expected scheme://host[:port][/prefix]")));
        }
        Ok(Self {
            base_url: parsed.as_str().trim_end_matches('/').to_owned(),
            http,
            // codegen: if bearer
            bearer_token: None,
            // codegen: end
            // codegen: if credentials
            credentials: Vec::new(),
            // codegen: end
            timeout: Some(DEFAULT_TIMEOUT),
            retry: None,
        })
    }

    // codegen: if bearer
    /// Sends `Authorization: Bearer <token>` with every request.
    pub fn with_bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(BearerToken::new(token));
        self
    }

    // codegen: end
    /// Sets (or with `None`, removes) the per-request timeout.
    pub fn with_timeout(mut self, timeout: Option<std::time::Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// Retries idempotent requests as `policy` says.
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    fn url(&self, path: &str) -> Result<reqwest::Url, Error> {
        reqwest::Url::parse(&format!("{}{path}", self.base_url)).map_err(|error| Error::InvalidBaseUrl(error.to_string()))
    }

    /// Sends a request to `path` (below the base URL, already encoded) built by `build`, with
    /// the bearer token, timeout and retries of this client, and returns the status, headers
    /// and body (as bytes) of the final answer whatever the status. The generated methods are
    /// built on this; use it for endpoints the API description does not cover.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        build: impl FnMut(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> Result<RawResponse, Error> {
        RawResponse::read(self.send_streaming(method, path, build).await?).await
    }

    /// Like [`Client::send`], but returns the response before its body is read, whatever the
    /// status: read the body as it arrives with [`reqwest::Response::chunk`].
    pub async fn send_streaming(
        &self,
        method: reqwest::Method,
        path: &str,
        build: impl FnMut(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, Error> {
        let idempotent = matches!(method, reqwest::Method::GET | reqwest::Method::PUT | reqwest::Method::DELETE);
        let retry = self.retry.filter(|_| idempotent);
        self.attempt(method, path, build, retry).await
    }

    /// Sends the request, retrying as `retry` says, and returns the final response unread.
    async fn attempt(
        &self,
        method: reqwest::Method,
        path: &str,
        mut build: impl FnMut(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
        retry: Option<RetryPolicy>,
    ) -> Result<reqwest::Response, Error> {
        let url = self.url(path)?;
        let mut attempt = 0;
        loop {
            let mut request = build(self.http.request(method.clone(), url.clone()));
            // codegen: if bearer
            if let Some(token) = &self.bearer_token {
                request = request.bearer_auth(token.expose());
            }
            // codegen: end
            // codegen: if credentials
            for (_, credential) in &self.credentials {
                request = credential.apply(request);
            }
            // codegen: end
            if let Some(timeout) = self.timeout {
                request = request.timeout(timeout);
            }
            let outcome = request.send().await;
            let can_retry = retry.filter(|policy| attempt < policy.max_retries);
            match outcome {
                Err(error) if error.is_connect() => {
                    if let Some(policy) = can_retry {
                        tokio::time::sleep(policy.backoff(attempt, None)).await;
                        attempt += 1;
                        continue;
                    }
                    return Err(Error::Transport(error.without_url()));
                }
                Err(error) => return Err(Error::Transport(error.without_url())),
                Ok(response) => {
                    let status = response.status();
                    let retryable = status == reqwest::StatusCode::TOO_MANY_REQUESTS || status == reqwest::StatusCode::SERVICE_UNAVAILABLE;
                    if let (true, Some(policy)) = (retryable, can_retry) {
                        let wait = policy.backoff(attempt, retry_after(response.headers()));
                        tokio::time::sleep(wait).await;
                        attempt += 1;
                        continue;
                    }
                    return Ok(response);
                }
            }
        }
    }

    /// Like [`Client::send`], then decodes a 2xx body as `T`; other statuses become
    /// [`Error::Status`].
    pub async fn call<T: serde::de::DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        build: impl FnMut(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> Result<T, Error> {
        self.send(method, path, build).await?.decode()
    }

    /// Like [`Client::send`] for answers whose body is not read; other statuses than 2xx
    /// become [`Error::Status`].
    pub async fn call_no_body(
        &self,
        method: reqwest::Method,
        path: &str,
        build: impl FnMut(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> Result<(), Error> {
        self.send(method, path, build).await?.error_for_status().map(drop)
    }
}

/// A response as received, whatever its status.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: reqwest::StatusCode,
    /// The response headers.
    pub headers: reqwest::header::HeaderMap,
    /// The body, as received.
    pub body: bytes::Bytes,
}

impl RawResponse {
    /// Reads the whole body of `response`.
    async fn read(response: reqwest::Response) -> Result<Self, Error> {
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(|error| Error::Transport(error.without_url()))?;
        Ok(RawResponse { status, headers, body })
    }

    /// The body of a 2xx response decoded as `T`; other statuses become [`Error::Status`].
    pub fn decode<T: serde::de::DeserializeOwned>(self) -> Result<T, Error> {
        if !self.status.is_success() {
            return Err(Error::status(self.status, &self.body));
        }
        serde_json::from_slice(&self.body).map_err(|source| Error::Decode {
            status: self.status,
            source,
            body: String::from_utf8_lossy(&self.body).into_owned(),
        })
    }

    /// The response itself when its status is 2xx; other statuses become [`Error::Status`].
    pub fn error_for_status(self) -> Result<Self, Error> {
        if self.status.is_success() {
            Ok(self)
        } else {
            Err(Error::status(self.status, &self.body))
        }
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The value of response header `name`, when present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

/// A download whose body is read as it arrives, so a large file is never held in memory whole.
#[derive(Debug)]
pub struct ByteStream {
    response: reqwest::Response,
}

impl ByteStream {
    /// The response headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        self.response.headers()
    }

    /// The next piece of the body, or `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<bytes::Bytes>, Error> {
        self.response.chunk().await.map_err(|error| Error::Transport(error.without_url()))
    }

    /// The underlying response, for adapters that want it (such as `bytes_stream`).
    pub fn into_response(self) -> reqwest::Response {
        self.response
    }
}

// codegen: needs outgoing
/// An operation's request as its method describes it. A method only gathers its request here
/// (its path, query and body encoded at once) and returns the future of one of the functions
/// below: the operations share those futures instead of each being a state machine of its own,
/// which is most of what a client costs to compile.
pub(crate) struct Outgoing<'a> {
    client: &'a Client,
    method: reqwest::Method,
    /// Below the base URL, encoded.
    path: String,
    /// Form-encoded, without the `?`; empty for none.
    query: String,
    headers: Vec<(&'static str, String)>,
    cookies: Vec<String>,
    /// The content type and the body.
    body: Option<(&'static str, bytes::Bytes)>,
    /// The first parameter that could not be encoded: the call fails with it, unsent.
    error: Option<Error>,
}

// codegen: needs outgoing
impl Client {
    /// The request of an operation: `method` to `path`, the route up to its first parameter
    /// (without the `/` before it).
    pub(crate) fn outgoing(&self, method: reqwest::Method, path: &str) -> Outgoing<'_> {
        Outgoing {
            client: self,
            method,
            path: path.to_owned(),
            query: String::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            error: None,
        }
    }
}

// codegen: needs outgoing
impl Outgoing<'_> {
    /// The path with the query.
    fn target(&self) -> std::borrow::Cow<'_, str> {
        if self.query.is_empty() {
            std::borrow::Cow::Borrowed(&self.path)
        } else {
            std::borrow::Cow::Owned(format!("{}?{}", self.path, self.query))
        }
    }

    /// The headers, cookies and body onto `request` (for each attempt).
    fn apply(&self, mut request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        for (name, value) in &self.headers {
            request = request.header(*name, value);
        }
        if !self.cookies.is_empty() {
            request = request.header(reqwest::header::COOKIE, self.cookies.join("; "));
        }
        if let Some((content_type, body)) = &self.body {
            request = request.header(reqwest::header::CONTENT_TYPE, *content_type).body(body.clone());
        }
        request
    }

    /// Sends the request as [`Client::send_streaming`] does, unless a parameter could not be
    /// encoded.
    async fn send_streaming(mut self) -> Result<reqwest::Response, Error> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let (client, method) = (self.client, self.method.clone());
        client.send_streaming(method, &self.target(), |request| self.apply(request)).await
    }

    /// Sends the request and reads the answer, whatever its status.
    async fn send(self) -> Result<RawResponse, Error> {
        RawResponse::read(self.send_streaming().await?).await
    }
}

// codegen: needs call
impl Outgoing<'_> {
    /// A 2xx answer's body decoded as `T`; other statuses become [`Error::Status`].
    pub(crate) async fn call<T: serde::de::DeserializeOwned>(self) -> Result<T, Error> {
        self.send().await?.decode()
    }
}

// codegen: needs call_no_body
impl Outgoing<'_> {
    /// A 2xx answer, its body not read; other statuses become [`Error::Status`].
    pub(crate) async fn call_no_body(self) -> Result<(), Error> {
        self.send().await?.error_for_status().map(drop)
    }
}

// codegen: needs answer
impl Outgoing<'_> {
    /// The answer as `read` takes it apart (an answers enum, by status).
    pub(crate) async fn answer<T>(self, read: impl FnOnce(RawResponse) -> Result<T, Error>) -> Result<T, Error> {
        read(self.send().await?)
    }
}

// codegen: needs call_bytes
impl Outgoing<'_> {
    /// A 2xx answer's body as bytes; other statuses become [`Error::Status`].
    pub(crate) async fn call_bytes(self) -> Result<bytes::Bytes, Error> {
        Ok(self.send().await?.error_for_status()?.body)
    }
}

// codegen: needs call_stream
impl Outgoing<'_> {
    /// A 2xx answer whose body is read as it arrives; other statuses become [`Error::Status`].
    pub(crate) async fn call_stream(self) -> Result<ByteStream, Error> {
        let response = self.send_streaming().await?;
        if !response.status().is_success() {
            let raw = RawResponse::read(response).await?;
            return Err(Error::status(raw.status, &raw.body));
        }
        Ok(ByteStream { response })
    }
}

// codegen: needs send_once
impl Outgoing<'_> {
    /// Sends `body`, which can be sent only once (a stream), so never retried, and gives the
    /// answer to `finish`.
    pub(crate) async fn send_once<T>(
        mut self,
        body: reqwest::Body,
        finish: impl FnOnce(RawResponse) -> Result<T, Error>,
    ) -> Result<T, Error> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let mut body = Some(body);
        let target = self.target().into_owned();
        let build = |request: reqwest::RequestBuilder| {
            let request = self.apply(request).header(reqwest::header::CONTENT_TYPE, "application/octet-stream");
            match body.take() {
                Some(body) => request.body(body),
                None => request,
            }
        };
        let response = self.client.attempt(self.method.clone(), &target, build, None).await?;
        finish(RawResponse::read(response).await?)
    }
}

// codegen: needs call_redirect
impl Outgoing<'_> {
    /// The target of an operation that answers with a redirect (see [`redirect_target`]).
    pub(crate) async fn call_redirect(self) -> Result<String, Error> {
        redirect_target(self.send().await?)
    }
}

// codegen: needs redirect_target
/// Where a redirect sends the caller: its `Location` header. Any other answer is an
/// [`Error::Status`]: an error, a redirect without a `Location`, or a 2xx (from an HTTP client
/// that follows redirects; [`Client::new`]'s does not).
pub(crate) fn redirect_target(response: RawResponse) -> Result<String, Error> {
    match response.header("location") {
        Some(location) if response.status.is_redirection() => Ok(location.to_owned()),
        _ => Err(Error::status(response.status, &response.body)),
    }
}

// codegen: needs call_tagged
impl Outgoing<'_> {
    /// Like [`Outgoing::call`], keeping the entity tag the answer carries in header `etag_header`.
    pub(crate) async fn call_tagged<T: serde::de::DeserializeOwned>(
        self,
        etag_header: &'static str,
    ) -> Result<models::Tagged<T>, Error> {
        let response = self.send().await?;
        let etag = response.header(etag_header).map(str::to_owned);
        Ok(models::Tagged { value: response.decode()?, etag })
    }
}

// codegen: needs collect_pages
impl Outgoing<'_> {
    /// Gets the request's page and every page after it, and returns the items of all pages in
    /// order. `split` takes a page apart into its items and the link to the next page. A link
    /// seen twice is an error, not an endless loop.
    pub(crate) async fn collect_pages<P: serde::de::DeserializeOwned, T>(
        self,
        split: impl Fn(P) -> (Vec<T>, Option<String>),
    ) -> Result<Vec<T>, Error> {
        let client = self.client;
        let mut res = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        let mut page: P = self.send().await?.decode()?;
        loop {
            let (items, next) = split(page);
            res.extend(items);
            let Some(next) = next.filter(|next| !next.is_empty()) else {
                return Ok(res);
            };
            if !seen.insert(next.clone()) {
                return Err(Error::Paging { next });
            }
            let next_path = next.strip_prefix(client.base_url.as_str()).unwrap_or(&next).to_owned();
            page = client.send(reqwest::Method::GET, &next_path, |request| request).await?.decode()?;
        }
    }
}

/// The wait a `Retry-After` header asks for, when given in seconds.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<std::time::Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(std::time::Duration::from_secs)
}

// codegen: needs path
impl Outgoing<'_> {
    /// Appends `literal`, the route's literal segments after a parameter (with their `/`).
    pub(crate) fn path(mut self, literal: &str) -> Self {
        self.path.push_str(literal);
        self
    }
}

// codegen: needs path_segment
impl Outgoing<'_> {
    /// Appends `/` and `value`, parameter `name`, as one path segment ([`path_segment`]).
    pub(crate) fn segment(mut self, name: &'static str, value: &str) -> Self {
        match path_segment(name, value) {
            Ok(segment) => {
                self.path.push('/');
                self.path.push_str(&segment);
            }
            Err(error) => {
                self.error.get_or_insert(error);
            }
        }
        self
    }
}

// codegen: needs query
impl Outgoing<'_> {
    /// The query parameters of the query struct `query` (an absent value left out), or of a
    /// list of name and value pairs.
    pub(crate) fn query<T: serde::Serialize>(mut self, query: &T) -> Self {
        match serde_urlencoded::to_string(query) {
            Ok(query) => self.query = query,
            Err(_) => {
                self.error.get_or_insert(Error::InvalidParameter { name: "query", reason: "cannot be encoded as a query string" });
            }
        }
        self
    }
}

// codegen: needs query_list
impl Outgoing<'_> {
    /// The query parameters of the query struct `query`, a list as its name repeated
    /// (`?tag=a&tag=b`, OpenAPI's form style), an absent value left out.
    pub(crate) fn query_list<T: serde::Serialize>(mut self, query: &T) -> Self {
        let text = |value: &serde_json::Value| match value {
            serde_json::Value::String(text) => Some(text.clone()),
            serde_json::Value::Null => None,
            other => Some(other.to_string()),
        };
        let fields = match serde_json::to_value(query) {
            Ok(serde_json::Value::Object(fields)) => fields,
            Ok(_) => return self,
            Err(error) => {
                self.error.get_or_insert(Error::Encode(error));
                return self;
            }
        };
        let mut pairs = Vec::new();
        for (name, value) in fields {
            match &value {
                serde_json::Value::Array(items) => {
                    pairs.extend(items.iter().filter_map(text).map(|item| (name.clone(), item)));
                }
                value => pairs.extend(text(value).map(|item| (name.clone(), item))),
            }
        }
        self.query(&pairs)
    }
}

// codegen: needs header
impl Outgoing<'_> {
    /// Header `name`.
    pub(crate) fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }
}

// codegen: needs header_opt
impl Outgoing<'_> {
    /// Header `name` when `value` is given.
    pub(crate) fn header_opt(self, name: &'static str, value: Option<&str>) -> Self {
        match value {
            Some(value) => self.header(name, value),
            None => self,
        }
    }
}

// codegen: needs cookie
impl Outgoing<'_> {
    /// Cookie `name` when `value` is given, sent as it is: it cannot hold spaces, quotes,
    /// commas, semicolons, backslashes or control characters (RFC 6265's cookie octets). The
    /// cookies go in one `Cookie` header.
    pub(crate) fn cookie(mut self, name: &'static str, value: Option<&str>) -> Self {
        let Some(value) = value else { return self };
        let octet = |byte: u8| (0x21..=0x7e).contains(&byte) && !matches!(byte, b'"' | b',' | b';' | b'\\');
        if value.bytes().all(octet) {
            self.cookies.push(format!("{name}={value}"));
        } else {
            self.error.get_or_insert(Error::InvalidParameter {
                name,
                reason: "a cookie value cannot hold spaces, quotes, commas, semicolons, backslashes or control characters",
            });
        }
        self
    }
}

// codegen: needs json
impl Outgoing<'_> {
    /// A JSON body.
    pub(crate) fn json<T: serde::Serialize>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(body) => self.body = Some(("application/json", body.into())),
            Err(error) => {
                self.error.get_or_insert(Error::Encode(error));
            }
        }
        self
    }
}

// codegen: needs json_opt
impl Outgoing<'_> {
    /// A JSON body, or none (and no content type).
    pub(crate) fn json_opt<T: serde::Serialize>(self, body: Option<&T>) -> Self {
        match body {
            Some(body) => self.json(body),
            None => self,
        }
    }
}

// codegen: needs form
impl Outgoing<'_> {
    /// A form body (`application/x-www-form-urlencoded`).
    pub(crate) fn form<T: serde::Serialize>(mut self, body: &T) -> Self {
        match serde_urlencoded::to_string(body) {
            Ok(body) => self.body = Some(("application/x-www-form-urlencoded", body.into())),
            Err(_) => {
                self.error.get_or_insert(Error::InvalidParameter { name: "body", reason: "cannot be encoded as a form" });
            }
        }
        self
    }
}

// codegen: needs form_opt
impl Outgoing<'_> {
    /// A form body, or none (and no content type).
    pub(crate) fn form_opt<T: serde::Serialize>(self, body: Option<&T>) -> Self {
        match body {
            Some(body) => self.form(body),
            None => self,
        }
    }
}

// codegen: needs text
impl Outgoing<'_> {
    /// A text body.
    pub(crate) fn text(mut self, body: String) -> Self {
        self.body = Some(("text/plain; charset=utf-8", body.into()));
        self
    }
}

// codegen: needs text_opt
impl Outgoing<'_> {
    /// A text body, or none (and no content type).
    pub(crate) fn text_opt(self, body: Option<&str>) -> Self {
        match body {
            Some(body) => self.text(body.to_owned()),
            None => self,
        }
    }
}

// codegen: needs bytes
impl Outgoing<'_> {
    /// A body of bytes (`application/octet-stream`).
    pub(crate) fn bytes(mut self, body: bytes::Bytes) -> Self {
        self.body = Some(("application/octet-stream", body));
        self
    }
}

// codegen: needs path_segment
/// Percent-encodes `value` as exactly one path segment: everything but unreserved characters
/// is escaped, so `/`, `?`, `#` and `%` cannot change the route. The dot segments `.` and `..`
/// (and the empty segment) cannot be sent as a path segment at all: URL parsing removes them,
/// so they are refused rather than allowed to address another endpoint.
pub(crate) fn path_segment(name: &'static str, value: &str) -> Result<String, Error> {
    if value.is_empty() || value == "." || value == ".." {
        return Err(Error::InvalidParameter { name, reason: "cannot be empty, `.` or `..`" });
    }
    let mut res = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            res.push(char::from(byte));
        } else {
            res.push_str(&format!("%{byte:02X}"));
        }
    }
    Ok(res)
}

/// Everything that can go wrong with a call.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be sent or the response not received (connection, TLS, timeout).
    Transport(reqwest::Error),
    /// The server answered with a status other than 2xx.
    Status {
        /// The status.
        status: reqwest::StatusCode,
        /// What the server said: the API's error object, or the body as text.
        body: ErrorBody,
    },
    /// A 2xx response whose body is not what the API describes.
    Decode {
        /// The status.
        status: reqwest::StatusCode,
        /// Why the body does not decode.
        source: serde_json::Error,
        /// The body as text.
        body: String,
    },
    /// The request body could not be encoded.
    Encode(serde_json::Error),
    /// A parameter value that cannot be sent as given.
    InvalidParameter {
        /// The parameter.
        name: &'static str,
        /// What is wrong with its value.
        reason: &'static str,
    },
    /// The base URL is not usable.
    InvalidBaseUrl(String),
    /// A paged list's link to the next page led back to a page already read.
    Paging {
        /// The link, as the page gave it.
        next: String,
    },
}

/// The body of an error response.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorBody {
    /// The API's JSON error object.
    Api(models::ApiError),
    // codegen: if declared_errors
    /// A body of the type the API declares for this status (beside its error object).
    Declared(models::errors::Declared),
    // codegen: end
    /// Anything else, as text.
    Raw(String),
}

impl Error {
    pub(crate) fn status(status: reqwest::StatusCode, body: &[u8]) -> Self {
        // codegen: if declared_errors
        if let Some(declared) = models::errors::Declared::read(status.as_u16(), body) {
            return Error::Status { status, body: ErrorBody::Declared(declared) };
        }
        // codegen: end
        let body = match serde_json::from_slice::<models::ApiError>(body) {
            Ok(error) if !error.class().is_empty() || !error.message().is_empty() => ErrorBody::Api(error),
            _ => ErrorBody::Raw(String::from_utf8_lossy(body).into_owned()),
        };
        Error::Status { status, body }
    }

    /// The HTTP status, for errors that have one.
    pub fn status_code(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::Status { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::Transport(error) => error.status(),
            _ => None,
        }
    }

    /// The API's error object, when the server sent one.
    pub fn api_error(&self) -> Option<&models::ApiError> {
        match self {
            Error::Status { body: ErrorBody::Api(error), .. } => Some(error),
            _ => None,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // reqwest's own message ("error sending request") hides the cause: connection
            // refused, DNS, TLS. The chain of sources says it.
            Error::Transport(error) => {
                write!(f, "request failed: {error}")?;
                let mut source = std::error::Error::source(error);
                while let Some(cause) = source {
                    write!(f, ": {cause}")?;
                    source = cause.source();
                }
                Ok(())
            }
            Error::Status { status, body: ErrorBody::Api(error) } => {
                write!(f, "{status}: {}: {}", error.class(), error.message())
            }
            // codegen: if declared_errors
            Error::Status { status, body: ErrorBody::Declared(declared) } => {
                let shown: String = serde_json::to_string(declared).unwrap_or_default().chars().take(200).collect();
                write!(f, "{status}: {shown}")
            }
            // codegen: end
            Error::Status { status, body: ErrorBody::Raw(body) } if body.trim().is_empty() => write!(f, "{status}"),
            Error::Status { status, body: ErrorBody::Raw(body) } => {
                let shown: String = body.chars().take(200).collect();
                write!(f, "{status}: {shown}")
            }
            Error::Decode { status, source, .. } => write!(f, "{status}: the response body does not match the API description: {source}"),
            Error::Encode(error) => write!(f, "the request body could not be encoded: {error}"),
            Error::InvalidParameter { name, reason } => write!(f, "parameter `{name}` {reason}"),
            Error::InvalidBaseUrl(reason) => write!(f, "invalid base URL {reason}"),
            Error::Paging { next } => write!(f, "paging went in a circle at {next}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(error) => Some(error),
            Error::Decode { source, .. } | Error::Encode(source) => Some(source),
            _ => None,
        }
    }
}
