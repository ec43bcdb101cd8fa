//! The generated client against the generated server, over real HTTP on loopback, with the
//! in-memory access-token implementation of the example crate.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use access_tokens_example::InMemoryTokens;
use qumulo_client::models::{
    ApiAccessTokenMetadata, ApiAccessTokenModifyMetadataPatch, ApiIdentity, Domain,
};
use qumulo_client::{Client, Error, ErrorBody, RetryPolicy};

const TOKEN: &str = "right-token";

/// Serves `router` on 127.0.0.1 at a free port; returns the base URL.
async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}")
}

fn metadata(id: &str, domain: Domain) -> ApiAccessTokenMetadata {
    let mut user = ApiIdentity::default();
    user.domain = Some(domain);
    user.name = Some("alice".to_owned());
    user.uid = Some(1000.into());
    let mut metadata = ApiAccessTokenMetadata::default();
    metadata.id = Some(id.to_owned());
    metadata.user = Some(user);
    metadata.creation_time = Some("2026-11-27T00:00:00Z".to_owned());
    metadata.expiration_time = Some("2027-01-01T00:00:00Z".to_owned());
    metadata.enabled = Some(true);
    metadata
}

/// The mock server with some tokens, and a client for it with the right bearer token.
async fn mock(ids: &[&str]) -> (String, Client) {
    let store = InMemoryTokens::new(TOKEN, "admin");
    for id in ids {
        store.insert(metadata(id, Domain::Local));
    }
    let url = serve(access_tokens_example::router(store)).await;
    let client = Client::new(&url).unwrap().with_bearer_token(TOKEN);
    (url, client)
}

#[tokio::test]
async fn get_returns_the_stored_token() {
    let (_, client) = mock(&["token-1"]).await;
    let token = client.access_tokens().get("token-1").await.unwrap();
    assert_eq!(token, metadata("token-1", Domain::Local));
}

#[tokio::test]
async fn patch_changes_only_the_fields_sent() {
    let (_, client) = mock(&["token-1"]).await;
    let mut patch = ApiAccessTokenModifyMetadataPatch::default();
    patch.enabled = Some(false);
    let changed = client
        .access_tokens()
        .modify("token-1", &patch)
        .await
        .unwrap();
    let mut expected = metadata("token-1", Domain::Local);
    expected.enabled = Some(false);
    assert_eq!(changed, expected);
    assert_eq!(
        client.access_tokens().get("token-1").await.unwrap(),
        expected
    );
}

#[tokio::test]
async fn delete_then_get_is_a_typed_404() {
    let (_, client) = mock(&["token-1"]).await;
    client.access_tokens().delete("token-1").await.unwrap();
    let error = client.access_tokens().get("token-1").await.unwrap_err();
    assert_eq!(error.status_code(), Some(reqwest::StatusCode::NOT_FOUND));
    let Error::Status {
        body: ErrorBody::Api(api_error),
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(api_error.error_class, "http_not_found_error");
    assert_eq!(
        error.to_string(),
        "404 Not Found: http_not_found_error: no access token \"token-1\""
    );
}

#[tokio::test]
async fn ids_with_reserved_characters_round_trip_exactly() {
    let ids = [
        "a/b",
        "../../v1/session/login",
        "x?y=1#z",
        "100%",
        "%2F",
        "a b",
        "..x",
        "ünï",
    ];
    let (_, client) = mock(&ids).await;
    for id in ids {
        let token = client
            .access_tokens()
            .get(id)
            .await
            .unwrap_or_else(|error| panic!("{id}: {error}"));
        assert_eq!(token.id.as_deref(), Some(id));
    }
    // `.` and `..` cannot be one path segment (URL parsing removes them); they are refused
    // before anything is sent, instead of reaching another endpoint.
    for id in [".", "..", ""] {
        let error = client.access_tokens().get(id).await.unwrap_err();
        assert!(
            matches!(error, Error::InvalidParameter { name: "id", .. }),
            "{id}: {error:?}"
        );
    }
}

#[tokio::test]
async fn bad_requests_get_4xx_with_a_useful_json_body() {
    let (url, _) = mock(&["token-1"]).await;
    let http = reqwest::Client::new();
    let send = |method: reqwest::Method, path: &str, body: &'static str| {
        http.request(method, format!("{url}{path}"))
            .bearer_auth(TOKEN)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let cases = [
        (
            reqwest::Method::PATCH,
            "/v1/auth/access-tokens/token-1",
            "{\"enabled\": tru",
            400,
            "body",
        ),
        (
            reqwest::Method::PATCH,
            "/v1/auth/access-tokens/token-1",
            "{\"enabled\": \"yes\"}",
            422,
            "enabled",
        ),
        (
            reqwest::Method::PATCH,
            "/v1/auth/access-tokens/token-1",
            "[1, 2]",
            422,
            "body",
        ),
        (
            reqwest::Method::GET,
            "/v1/no/such/endpoint",
            "",
            404,
            "/v1/no/such/endpoint",
        ),
        (
            reqwest::Method::PUT,
            "/v1/auth/access-tokens/token-1",
            "{}",
            405,
            "PUT",
        ),
    ];
    for (method, path, body, status, mentions) in cases {
        let response = send(method.clone(), path, body).await.unwrap();
        assert_eq!(response.status().as_u16(), status, "{method} {path} {body}");
        let error: serde_json::Value =
            serde_json::from_str(&response.text().await.unwrap()).unwrap();
        let description = error["description"].as_str().unwrap_or_default();
        assert!(description.contains(mentions), "{method} {path}: {error}");
        assert!(
            error["error_class"]
                .as_str()
                .is_some_and(|class| class.starts_with("http_")),
            "{error}"
        );
    }
    let without_type = http
        .patch(format!("{url}/v1/auth/access-tokens/token-1"))
        .bearer_auth(TOKEN)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(without_type.status().as_u16(), 415);
    let client = Client::new(&url).unwrap().with_bearer_token(TOKEN);
    assert_eq!(
        client.access_tokens().get("token-1").await.unwrap().enabled,
        Some(true),
        "nothing changed"
    );
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let store = InMemoryTokens::new(TOKEN, "admin");
    store.insert(metadata("token-1", Domain::Local));
    let url = serve(access_tokens_example::router_with_config(
        store,
        qumulo_server::ServerConfig::default().with_body_limit(1024),
    ))
    .await;
    let client = Client::new(&url).unwrap().with_bearer_token(TOKEN);
    let mut patch = ApiAccessTokenModifyMetadataPatch::default();
    patch.expiration_time = Some("x".repeat(2048));
    let error = client
        .access_tokens()
        .modify("token-1", &patch)
        .await
        .unwrap_err();
    assert_eq!(
        error.status_code(),
        Some(reqwest::StatusCode::PAYLOAD_TOO_LARGE),
        "{error}"
    );
}

#[tokio::test]
async fn an_unknown_enum_value_decodes_into_the_catch_all() {
    let store = InMemoryTokens::new(TOKEN, "admin");
    store.insert(metadata("token-1", Domain::from("API_FUTURE_DOMAIN")));
    let url = serve(access_tokens_example::router(store)).await;
    let client = Client::new(&url).unwrap().with_bearer_token(TOKEN);
    let token = client.access_tokens().get("token-1").await.unwrap();
    assert_eq!(
        token.user.unwrap().domain,
        Some(Domain::from("API_FUTURE_DOMAIN"))
    );
}

#[tokio::test]
async fn missing_or_wrong_bearer_tokens_get_401() {
    let (url, _) = mock(&["token-1"]).await;
    for client in [
        Client::new(&url).unwrap(),
        Client::new(&url).unwrap().with_bearer_token("wrong-token"),
    ] {
        let error = client.access_tokens().get("token-1").await.unwrap_err();
        assert_eq!(
            error.status_code(),
            Some(reqwest::StatusCode::UNAUTHORIZED),
            "{error}"
        );
        assert!(
            error
                .to_string()
                .starts_with("401 Unauthorized: http_unauthorized_error: "),
            "{error}"
        );
    }
}

#[tokio::test]
async fn the_bearer_token_never_shows_in_debug_or_errors() {
    let secret = "very-secret-bearer-value";
    let client = Client::new("http://127.0.0.1:9")
        .unwrap()
        .with_bearer_token(secret)
        .with_timeout(Some(Duration::from_secs(2)));
    let error = client.access_tokens().get("x").await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    for text in [
        format!("{client:?}"),
        format!("{error:?}"),
        error.to_string(),
    ] {
        assert!(!text.contains(secret), "{text}");
    }
}

#[tokio::test]
async fn create_list_and_login() {
    let (url, client) = mock(&["token-1"]).await;
    let created = client
        .access_tokens()
        .create(&Default::default())
        .await
        .unwrap();
    let id = created.id.unwrap();
    let list = client
        .access_tokens()
        .list(&Default::default())
        .await
        .unwrap();
    let ids: Vec<_> = list
        .entries
        .unwrap()
        .into_iter()
        .filter_map(|token| token.id)
        .collect();
    assert_eq!(ids, [id.as_str(), "token-1"]);
    let anonymous = Client::new(&url).unwrap();
    let mut login = qumulo_client::models::Login::default();
    login.username = Some("admin".to_owned());
    login.password = Some("admin".to_owned());
    assert_eq!(
        anonymous
            .session_management()
            .login(&login)
            .await
            .unwrap()
            .bearer_token
            .as_deref(),
        Some(TOKEN)
    );
}

/// A server that answers each request with the next of `answers` (status, Retry-After, body)
/// and counts the requests.
async fn scripted(
    answers: Vec<(u16, Option<&'static str>, &'static str)>,
) -> (String, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    let answers = Arc::new(answers);
    let handler = move || {
        let index = seen.fetch_add(1, Ordering::SeqCst);
        let answers = answers.clone();
        async move {
            let (status, retry_after, body) = answers[index.min(answers.len() - 1)];
            let mut response = axum::response::Response::new(axum::body::Body::from(body));
            *response.status_mut() = axum::http::StatusCode::from_u16(status).unwrap();
            if let Some(seconds) = retry_after {
                response
                    .headers_mut()
                    .insert("retry-after", seconds.parse().unwrap());
            }
            response
        }
    };
    let router = axum::Router::new().fallback(handler);
    (serve(router).await, count)
}

#[tokio::test]
async fn idempotent_requests_retry_on_503_and_429_honouring_retry_after() {
    let ok = r#"{"id": "token-1"}"#;
    let (url, count) = scripted(vec![
        (503, Some("0"), ""),
        (429, Some("0"), ""),
        (200, None, ok),
    ])
    .await;
    let policy = RetryPolicy {
        max_retries: 3,
        initial_backoff: Duration::from_secs(30),
        ..Default::default()
    };
    let client = Client::new(&url).unwrap().with_retry(policy);
    let started = std::time::Instant::now();
    let token = client.access_tokens().get("token-1").await.unwrap();
    assert_eq!(token.id.as_deref(), Some("token-1"));
    assert_eq!(count.load(Ordering::SeqCst), 3);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "Retry-After: 0 overrides the 30 s backoff"
    );

    let (url, count) = scripted(vec![(503, Some("0"), "")]).await;
    let client = Client::new(&url).unwrap().with_retry(RetryPolicy {
        max_retries: 3,
        ..Default::default()
    });
    let error = client
        .access_tokens()
        .create(&Default::default())
        .await
        .unwrap_err();
    assert_eq!(
        error.status_code(),
        Some(reqwest::StatusCode::SERVICE_UNAVAILABLE)
    );
    assert_eq!(count.load(Ordering::SeqCst), 1, "POST is not retried");

    let (url, count) = scripted(vec![(503, None, "")]).await;
    let error = Client::new(&url)
        .unwrap()
        .access_tokens()
        .get("x")
        .await
        .unwrap_err();
    assert_eq!(
        error.status_code(),
        Some(reqwest::StatusCode::SERVICE_UNAVAILABLE)
    );
    assert_eq!(
        count.load(Ordering::SeqCst),
        1,
        "no retries unless asked for"
    );
}

#[tokio::test]
async fn odd_responses_become_typed_errors_not_panics() {
    let (url, _) = scripted(vec![(200, None, "{\"enabled\": \"not a bool\"}")]).await;
    let error = Client::new(&url)
        .unwrap()
        .access_tokens()
        .get("x")
        .await
        .unwrap_err();
    let Error::Decode { body, .. } = &error else {
        panic!("{error:?}")
    };
    assert!(body.contains("not a bool"));

    let (url, _) = scripted(vec![(502, None, "<html>bad gateway</html>")]).await;
    let error = Client::new(&url)
        .unwrap()
        .access_tokens()
        .get("x")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Status { body: ErrorBody::Raw(raw), .. } if raw.contains("bad gateway")),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "502 Bad Gateway: <html>bad gateway</html>"
    );

    let (url, _) = scripted(vec![(200, None, "")]).await;
    assert!(Client::new(&url)
        .unwrap()
        .access_tokens()
        .delete("x")
        .await
        .is_ok());
    let (url, _) = scripted(vec![(200, None, "not json at all")]).await;
    assert!(matches!(
        Client::new(&url).unwrap().access_tokens().get("x").await,
        Err(Error::Decode { .. })
    ));
}

#[tokio::test]
async fn a_slow_server_hits_the_timeout() {
    let router = axum::Router::new().fallback(|| async {
        tokio::time::sleep(Duration::from_secs(5)).await;
        "{}"
    });
    let url = serve(router).await;
    let client = Client::new(&url)
        .unwrap()
        .with_timeout(Some(Duration::from_millis(200)));
    let error = client.access_tokens().get("x").await.unwrap_err();
    assert!(
        matches!(&error, Error::Transport(inner) if inner.is_timeout()),
        "{error:?}"
    );
}

#[tokio::test]
async fn list_all_follows_paging_next_across_pages() {
    let router = axum::Router::new().fallback(|uri: axum::http::Uri| async move {
        match uri.query().unwrap_or_default() {
            "limit=2" => r#"{"entries": [{"id": "a"}, {"id": "b"}], "paging": {"next": "/v1/auth/access-tokens/?after=b&limit=2"}}"#,
            "after=b&limit=2" => r#"{"entries": [{"id": "c"}], "paging": {"next": null}}"#,
            "after=loop&limit=2" => r#"{"entries": [], "paging": {"next": "/v1/auth/access-tokens/?after=loop&limit=2"}}"#,
            _ => r#"{"entries": [{"id": "x"}], "paging": {"next": "/v1/auth/access-tokens/?after=loop&limit=2"}}"#,
        }
    });
    let url = serve(router).await;
    let client = Client::new(&url).unwrap();
    let mut query = qumulo_client::models::query::AccessTokensListQuery::default();
    query.limit = Some("2".to_owned());
    let all = client.access_tokens().list_all(&query).await.unwrap();
    let ids: Vec<_> = all.iter().filter_map(|token| token.id.as_deref()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    let error = client
        .access_tokens()
        .list_all(&Default::default())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Paging { next } if next.contains("after=loop")),
        "{error:?}"
    );
}

#[tokio::test]
async fn reads_keep_the_etag_that_writes_send_back() {
    let router = axum::Router::new().fallback(
        |method: axum::http::Method, headers: axum::http::HeaderMap| async move {
            let mut response =
                axum::response::Response::new(axum::body::Body::from(r#"{"cluster_name": "qfs"}"#));
            if method == axum::http::Method::GET {
                response
                    .headers_mut()
                    .insert("etag", "\"v7\"".parse().unwrap());
            } else if headers
                .get("if-match")
                .and_then(|value| value.to_str().ok())
                != Some("\"v7\"")
            {
                *response.status_mut() = axum::http::StatusCode::PRECONDITION_FAILED;
            }
            response
        },
    );
    let url = serve(router).await;
    let client = Client::new(&url).unwrap();
    let tagged = client
        .cluster_settings()
        .get_settings_with_etag()
        .await
        .unwrap();
    assert_eq!(tagged.etag.as_deref(), Some("\"v7\""));
    assert_eq!(tagged.value.cluster_name.as_deref(), Some("qfs"));
    client
        .cluster_settings()
        .set_settings(tagged.etag.as_deref(), &tagged.value)
        .await
        .unwrap();
    let stale = client
        .cluster_settings()
        .set_settings(Some("\"v6\""), &tagged.value)
        .await
        .unwrap_err();
    assert_eq!(
        stale.status_code(),
        Some(reqwest::StatusCode::PRECONDITION_FAILED)
    );
}

#[tokio::test]
async fn the_server_serves_its_openapi_document() {
    let (url, _) = mock(&[]).await;
    let response = reqwest::Client::new()
        .get(format!("{url}/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let text = response.text().await.unwrap();
    assert_eq!(
        text,
        std::fs::read_to_string(
            integration_tests::repo_root().join("generated/qumulo-server/openapi.json")
        )
        .unwrap()
    );
}

/// The example's list pages through the generated server's model (`paging.next`), and the
/// client's `list_all` follows it to the end; created tokens name their creator.
#[tokio::test]
async fn the_example_pages_its_list_and_list_all_reads_every_page() {
    let ids = ["t1", "t2", "t3", "t4", "t5"];
    let (_, client) = mock(&ids).await;
    let mut query = qumulo_client::models::query::AccessTokensListQuery::default();
    query.limit = Some("2".to_owned());
    let first = client.access_tokens().list(&query).await.unwrap();
    let next = first.paging.and_then(|paging| paging.next);
    assert_eq!(
        next.as_deref(),
        Some("/v1/auth/access-tokens/?limit=2&after=t2")
    );
    let all = client.access_tokens().list_all(&query).await.unwrap();
    let listed: Vec<_> = all.iter().filter_map(|token| token.id.as_deref()).collect();
    assert_eq!(listed, ids);
    let created = client
        .access_tokens()
        .create(&Default::default())
        .await
        .unwrap();
    let read = client
        .access_tokens()
        .get(&created.id.unwrap())
        .await
        .unwrap();
    assert_eq!(
        read.creator.and_then(|creator| creator.name).as_deref(),
        Some("admin")
    );
}

/// A read that the API pairs with conditional writes carries its entity tag from the generated
/// server's implementation to the generated client's `_with_etag`, and the write gets it back.
#[tokio::test]
async fn the_generated_server_sends_the_etag_that_the_client_reads() {
    use qumulo_client::models::{ApiClusterNameSettings, Tagged};
    use qumulo_server::cluster_settings::ClusterSettings;
    use qumulo_server::{RequestContext, ServerError};

    struct Settings;
    impl ClusterSettings for Settings {
        async fn get_settings(
            &self,
            _context: RequestContext,
        ) -> Result<Tagged<ApiClusterNameSettings>, ServerError> {
            let mut settings = ApiClusterNameSettings::default();
            settings.cluster_name = Some("qfs".to_owned());
            Ok(Tagged {
                value: settings,
                etag: Some("\"v7\"".to_owned()),
            })
        }

        async fn set_settings(
            &self,
            _context: RequestContext,
            if_match: Option<String>,
            body: ApiClusterNameSettings,
        ) -> Result<Tagged<ApiClusterNameSettings>, ServerError> {
            if if_match.as_deref() != Some("\"v7\"") {
                return Err(ServerError::new(
                    reqwest::StatusCode::PRECONDITION_FAILED,
                    "the settings changed since they were read",
                ));
            }
            Ok(Tagged {
                value: body,
                etag: Some("\"v8\"".to_owned()),
            })
        }
    }

    let router = qumulo_server::Server::new()
        .cluster_settings(Arc::new(Settings))
        .into_router();
    let client = Client::new(&serve(router).await).unwrap();
    let tagged = client
        .cluster_settings()
        .get_settings_with_etag()
        .await
        .unwrap();
    assert_eq!(tagged.etag.as_deref(), Some("\"v7\""));
    assert_eq!(tagged.value.cluster_name.as_deref(), Some("qfs"));
    // The write answers with the new value's tag.
    let written = client
        .cluster_settings()
        .set_settings_with_etag(tagged.etag.as_deref(), &tagged.value)
        .await
        .unwrap();
    assert_eq!(written.etag.as_deref(), Some("\"v8\""));
    let stale = client
        .cluster_settings()
        .set_settings(Some("\"v6\""), &tagged.value)
        .await
        .unwrap_err();
    assert_eq!(
        stale.status_code(),
        Some(reqwest::StatusCode::PRECONDITION_FAILED)
    );
}

/// A GET whose page publishes no response schema returns the JSON the server sent, not `()`.
#[tokio::test]
async fn reads_without_a_published_schema_return_the_json() {
    let router = axum::Router::new().fallback(|| async {
        (
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            r#"{"entries": [{"name": "Administrators"}]}"#,
        )
    });
    let client = Client::new(&serve(router).await).unwrap();
    let roles = client.roles().list_roles().await.unwrap();
    assert_eq!(roles["entries"][0]["name"], "Administrators");
}

/// A transport error says its cause: reqwest's own message is only "error sending request".
#[tokio::test]
async fn a_refused_connection_says_so() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::new(&format!("http://{address}")).unwrap();
    let error = client.access_tokens().get("token-1").await.unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(text.to_ascii_lowercase().contains("refused"), "{text}");
}
