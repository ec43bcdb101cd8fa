//! Manage access tokens with the generated client.
//!
//! ```text
//! access-tokens --url URL --token TOKEN list
//! access-tokens --url URL --token TOKEN get ID
//! access-tokens --url URL --token TOKEN disable ID | enable ID
//! access-tokens --url URL --token TOKEN expire ID TIME
//! access-tokens --url URL --token TOKEN delete ID
//! ```
//!
//! `QUMULO_URL` and `QUMULO_TOKEN` stand in for `--url` and `--token`.

use std::process::ExitCode;

use qumulo_client::models::{query::AccessTokensListQuery, ApiAccessTokenModifyMetadataPatch};
use qumulo_client::Client;

const USAGE: &str = "usage: access-tokens [--url URL] [--token TOKEN] (list | get ID | enable ID | disable ID | expire ID TIME | delete ID)";

#[tokio::main]
async fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()).await {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Vec<String>) -> Result<String, String> {
    let mut url = std::env::var("QUMULO_URL").ok();
    let mut token = std::env::var("QUMULO_TOKEN").ok();
    let mut command = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--url" => url = args.next(),
            "--token" => token = args.next(),
            "-h" | "--help" => return Ok(USAGE.to_owned()),
            _ => command.push(arg),
        }
    }
    let url = url.ok_or_else(|| format!("no server URL\n{USAGE}"))?;
    let mut client = Client::new(&url).map_err(|error| error.to_string())?;
    if let Some(token) = token {
        client = client.with_bearer_token(token);
    }
    let command: Vec<&str> = command.iter().map(String::as_str).collect();
    let pretty = |value: &dyn erased::Json| value.pretty();
    match command.as_slice() {
        ["list"] => {
            let list = client
                .access_tokens()
                .list(&AccessTokensListQuery::default())
                .await
                .map_err(|error| error.to_string())?;
            Ok(pretty(&list))
        }
        ["get", id] => Ok(pretty(
            &client
                .access_tokens()
                .get(id)
                .await
                .map_err(|error| error.to_string())?,
        )),
        ["enable", id] | ["disable", id] => {
            let mut patch = ApiAccessTokenModifyMetadataPatch::default();
            patch.enabled = Some(command[0] == "enable");
            Ok(pretty(
                &client
                    .access_tokens()
                    .modify(id, &patch)
                    .await
                    .map_err(|error| error.to_string())?,
            ))
        }
        ["expire", id, time] => {
            let mut patch = ApiAccessTokenModifyMetadataPatch::default();
            patch.expiration_time = Some((*time).to_owned());
            Ok(pretty(
                &client
                    .access_tokens()
                    .modify(id, &patch)
                    .await
                    .map_err(|error| error.to_string())?,
            ))
        }
        ["delete", id] => {
            client
                .access_tokens()
                .delete(id)
                .await
                .map_err(|error| error.to_string())?;
            Ok(format!("deleted {id}"))
        }
        _ => Err(USAGE.to_owned()),
    }
}

/// Pretty JSON for any model, without making `run` generic.
mod erased {
    pub trait Json {
        fn pretty(&self) -> String;
    }

    impl<T: serde::Serialize> Json for T {
        fn pretty(&self) -> String {
            serde_json::to_string_pretty(self)
                .unwrap_or_else(|error| format!("<cannot print: {error}>"))
        }
    }
}
