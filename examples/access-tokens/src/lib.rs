//! An in-memory implementation of the access-token operations (and `login`) on the generated
//! server traits, as a mock server would use it; [`router`] serves it. Every operation but `login` requires `Authorization: Bearer
//! <token>` with the token given at construction (or one issued by `login`).

use std::collections::BTreeMap;
use std::sync::Mutex;

use qumulo_server::access_tokens::AccessTokens;
use qumulo_server::models::{
    query::AccessTokensListQuery, ApiAccessToken, ApiAccessTokenMetadata,
    ApiAccessTokenMetadataListModel, ApiAccessTokenModifyMetadataPatch,
    ApiCreateAccessTokenRequest, ApiIdentity, Credentials, Domain, Login, Paging,
};
use qumulo_server::session_management::SessionManagement;
use qumulo_server::{RequestContext, ServerError};

/// Access tokens kept in memory.
#[derive(Debug)]
pub struct InMemoryTokens {
    bearer_token: String,
    admin_password: String,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    tokens: BTreeMap<String, ApiAccessTokenMetadata>,
    issued: u64,
}

impl InMemoryTokens {
    /// A store that accepts `bearer_token`, and issues it to `admin` logging in with
    /// `admin_password`.
    pub fn new(bearer_token: &str, admin_password: &str) -> Self {
        Self {
            bearer_token: bearer_token.to_owned(),
            admin_password: admin_password.to_owned(),
            state: Mutex::new(State::default()),
        }
    }

    /// Stores `metadata` under its id, replacing any token with that id.
    pub fn insert(&self, metadata: ApiAccessTokenMetadata) {
        let id = metadata.id.clone().unwrap_or_default();
        self.lock().tokens.insert(id, metadata);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the map half-updated: every update is a
        // single insert or remove. So a poisoned lock is still safe to use.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Who creates tokens here: the administrator the bearer token belongs to.
    pub fn creator() -> ApiIdentity {
        // The models are `#[non_exhaustive]` (a field added to the API must not break this
        // crate): they are built from `Default` (or `new`, with the required fields) and set.
        let mut admin = ApiIdentity::default();
        admin.domain = Some(Domain::Local);
        admin.auth_id = Some("500".to_owned());
        admin.name = Some("admin".to_owned());
        admin
    }

    fn authenticate(&self, context: &RequestContext) -> Result<(), ServerError> {
        match context.bearer_token() {
            Some(token) if token == self.bearer_token => Ok(()),
            Some(_) => Err(ServerError::unauthorized("the bearer token is not valid")),
            None => Err(ServerError::unauthorized(
                "send Authorization: Bearer <token>",
            )),
        }
    }
}

impl AccessTokens for InMemoryTokens {
    async fn list(
        &self,
        context: RequestContext,
        query: AccessTokensListQuery,
    ) -> Result<ApiAccessTokenMetadataListModel, ServerError> {
        self.authenticate(&context)?;
        let limit = match query.limit.as_deref() {
            Some(text) => text
                .parse::<usize>()
                .map_err(|_| ServerError::bad_request("limit: not a whole number"))?,
            None => usize::MAX,
        };
        let state = self.lock();
        let mut entries: Vec<ApiAccessTokenMetadata> = state
            .tokens
            .iter()
            .filter(|(id, _)| {
                query
                    .after
                    .as_deref()
                    .is_none_or(|after| id.as_str() > after)
            })
            .filter(|(_, token)| {
                let user = token.user.as_ref();
                query.user.as_deref().is_none_or(|wanted| {
                    user.is_some_and(|user| {
                        user.name.as_deref() == Some(wanted)
                            || user.auth_id.as_deref() == Some(wanted)
                    })
                })
            })
            .take(limit.saturating_add(1))
            .map(|(_, token)| token.clone())
            .collect();
        // One more than the page holds tells whether there is a next page; its link carries the
        // same filter and page size, after the page's last id.
        let next = if entries.len() > limit {
            entries.truncate(limit);
            let last = entries.last().and_then(|token| token.id.clone());
            let mut link = format!(
                "/v1/auth/access-tokens/?limit={limit}&after={}",
                query_value(&last.unwrap_or_default())
            );
            if let Some(user) = &query.user {
                link.push_str(&format!("&user={}", query_value(user)));
            }
            link
        } else {
            String::new()
        };
        let mut paging = Paging::default();
        paging.next = Some(next);
        let mut page = ApiAccessTokenMetadataListModel::default();
        page.entries = Some(entries);
        page.paging = Some(paging);
        Ok(page)
    }

    async fn create(
        &self,
        context: RequestContext,
        body: ApiCreateAccessTokenRequest,
    ) -> Result<ApiAccessToken, ServerError> {
        self.authenticate(&context)?;
        let mut state = self.lock();
        state.issued += 1;
        let id = format!("access-token-{}", state.issued);
        let mut metadata = ApiAccessTokenMetadata::default();
        metadata.id = Some(id.clone());
        metadata.user = body.user;
        metadata.creator = Some(Self::creator());
        metadata.creation_time = Some("2026-11-27T00:00:00Z".to_owned());
        metadata.expiration_time = body.expiration_time;
        metadata.enabled = Some(true);
        state.tokens.insert(id.clone(), metadata);
        let mut token = ApiAccessToken::default();
        token.id = Some(id.clone());
        token.bearer_token = Some(format!("access-v1:{id}"));
        Ok(token)
    }

    async fn get(
        &self,
        context: RequestContext,
        id: String,
    ) -> Result<ApiAccessTokenMetadata, ServerError> {
        self.authenticate(&context)?;
        self.lock()
            .tokens
            .get(&id)
            .cloned()
            .ok_or_else(|| ServerError::not_found(format!("no access token {id:?}")))
    }

    async fn modify(
        &self,
        context: RequestContext,
        id: String,
        body: ApiAccessTokenModifyMetadataPatch,
    ) -> Result<ApiAccessTokenMetadata, ServerError> {
        self.authenticate(&context)?;
        let mut state = self.lock();
        let token = state
            .tokens
            .get_mut(&id)
            .ok_or_else(|| ServerError::not_found(format!("no access token {id:?}")))?;
        if let Some(expiration_time) = body.expiration_time {
            token.expiration_time = Some(expiration_time);
        }
        if let Some(enabled) = body.enabled {
            token.enabled = Some(enabled);
        }
        Ok(token.clone())
    }

    async fn delete(&self, context: RequestContext, id: String) -> Result<(), ServerError> {
        self.authenticate(&context)?;
        match self.lock().tokens.remove(&id) {
            Some(_) => Ok(()),
            None => Err(ServerError::not_found(format!("no access token {id:?}"))),
        }
    }
}

impl SessionManagement for InMemoryTokens {
    async fn login(
        &self,
        _context: RequestContext,
        body: Login,
    ) -> Result<Credentials, ServerError> {
        let valid = body.username.as_deref() == Some("admin")
            && body.password.as_deref() == Some(self.admin_password.as_str());
        if !valid {
            return Err(ServerError::unauthorized("wrong username or password"));
        }
        let mut credentials = Credentials::default();
        credentials.bearer_token = Some(self.bearer_token.clone());
        Ok(credentials)
    }
}

/// `value` percent-encoded for a query string: everything but unreserved characters escaped.
fn query_value(value: &str) -> String {
    value
        .bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
                char::from(byte).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

/// The router serving `store` for the access-token operations and `login`; every other route of
/// the API answers 404.
pub fn router(store: InMemoryTokens) -> axum::Router {
    router_with_config(store, qumulo_server::ServerConfig::default())
}

/// [`router`] with server settings.
pub fn router_with_config(
    store: InMemoryTokens,
    config: qumulo_server::ServerConfig,
) -> axum::Router {
    let store = std::sync::Arc::new(store);
    qumulo_server::Server::new()
        .with_config(config)
        .access_tokens(store.clone())
        .session_management(store)
        .into_router()
}
