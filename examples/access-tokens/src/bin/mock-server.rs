//! A mock of the access-token API on the generated server crate.
//!
//! `mock-server [ADDRESS] [BEARER_TOKEN]` serves on ADDRESS (default `127.0.0.1:8000`; port 0
//! picks a free port, and the first line printed names it) and accepts BEARER_TOKEN (default
//! `secret-token`). Two tokens are there from the start; `admin`/`admin` logs in.

use access_tokens_example::InMemoryTokens;
use qumulo_server::models::{ApiAccessTokenMetadata, ApiIdentity, Domain};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let address = args.next().unwrap_or_else(|| "127.0.0.1:8000".to_owned());
    let bearer_token = args.next().unwrap_or_else(|| "secret-token".to_owned());
    let store = InMemoryTokens::new(&bearer_token, "admin");
    for (id, name) in [("token-1", "alice"), ("token-2", "bob")] {
        let mut user = ApiIdentity::default();
        user.domain = Some(Domain::Local);
        user.name = Some(name.to_owned());
        let mut token = ApiAccessTokenMetadata::default();
        token.id = Some(id.to_owned());
        token.user = Some(user);
        token.creator = Some(InMemoryTokens::creator());
        token.creation_time = Some("2026-11-27T00:00:00Z".to_owned());
        token.enabled = Some(true);
        store.insert(token);
    }
    let listener = match tokio::net::TcpListener::bind(&address).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("error: cannot listen on {address}: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let bound = listener
        .local_addr()
        .map_or(address, |bound| bound.to_string());
    println!("mock server listening on http://{bound} (bearer token {bearer_token:?})");
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match axum::serve(listener, access_tokens_example::router(store))
        .with_graceful_shutdown(shutdown)
        .await
    {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
