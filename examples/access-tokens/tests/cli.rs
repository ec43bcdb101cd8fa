//! The example as the README shows it: the mock server binary on a free loopback port and the
//! command-line tool against it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the mock server and returns it with its URL.
fn start_server() -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mock-server"))
        .args(["127.0.0.1:0", "secret-token"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("mock-server starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("mock-server prints its address");
    let url = line
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .expect("a URL in the first line")
        .to_owned();
    (server, url)
}

fn tool(url: &str, token: &str, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_access-tokens"))
        .args(["--url", url, "--token", token])
        .args(args)
        .output()
        .expect("access-tokens runs");
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("UTF-8 output");
    (
        output.status.success(),
        text(output.stdout),
        text(output.stderr),
    )
}

#[test]
fn the_tool_gets_modifies_and_deletes_tokens_on_the_mock_server() {
    let (_server, url) = start_server();
    let (ok, out, _) = tool(&url, "secret-token", &["list"]);
    assert!(
        ok && out.contains("\"token-1\"") && out.contains("\"token-2\""),
        "{out}"
    );

    let (ok, out, _) = tool(&url, "secret-token", &["disable", "token-1"]);
    assert!(ok && out.contains("\"enabled\": false"), "{out}");
    let (ok, out, _) = tool(
        &url,
        "secret-token",
        &["expire", "token-1", "2030-01-01T00:00:00Z"],
    );
    assert!(
        ok && out.contains("2030-01-01T00:00:00Z") && out.contains("\"enabled\": false"),
        "{out}"
    );

    let (ok, out, _) = tool(&url, "secret-token", &["delete", "token-2"]);
    assert!(ok && out.contains("deleted token-2"), "{out}");
    let (ok, _, err) = tool(&url, "secret-token", &["get", "token-2"]);
    assert!(
        !ok && err.contains("404 Not Found: http_not_found_error"),
        "{err}"
    );

    let (ok, _, err) = tool(&url, "wrong-token", &["get", "token-1"]);
    assert!(!ok && err.contains("401 Unauthorized"), "{err}");
    assert!(
        !err.contains("wrong-token"),
        "the token is not echoed: {err}"
    );
}
