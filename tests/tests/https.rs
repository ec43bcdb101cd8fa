//! HTTPS with the client's default features (rustls on ring's cryptography, no C library): a
//! TLS server with a certificate from a test CA answers a call, and a certificate the client does
//! not trust is a transport error whose message says why.

use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A test CA and a certificate for `localhost` it signed: the CA's DER, the server's TLS
/// configuration.
fn certificates() -> (Vec<u8>, rustls::ServerConfig) {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf = rcgen::CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &ca, &ca_key)
        .unwrap();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![leaf.der().clone()], key)
    .unwrap();
    (ca.der().to_vec(), config)
}

/// Serves HTTPS on a free port: every request is answered with an empty access-token list.
async fn serve(config: rustls::ServerConfig) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake: nothing to answer.
                let Ok(mut stream) = acceptor.accept(stream).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut buffer = [0u8; 1024];
                while !request.windows(4).any(|window| window == b"\r\n\r\n") {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(read) => request.extend_from_slice(&buffer[..read]),
                    }
                }
                let body = r#"{"entries": []}"#;
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    port
}

#[tokio::test]
async fn https_works_with_the_default_features() {
    let (ca, config) = certificates();
    let port = serve(config).await;
    let url = format!("https://localhost:{port}");

    // The platform's roots do not know the test CA: the error says so, through its causes.
    let untrusted = qumulo_client::Client::new(&url).unwrap();
    let error = untrusted
        .access_tokens()
        .list(&Default::default())
        .await
        .expect_err("an untrusted certificate");
    let message = error.to_string();
    assert!(message.contains("UnknownIssuer"), "{message}");

    // Trusting the test CA, the call goes through.
    qumulo_client::install_tls_provider();
    let http = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_der(&ca).unwrap())
        .build()
        .unwrap();
    let client = qumulo_client::Client::with_http_client(&url, http).unwrap();
    let answer = client
        .access_tokens()
        .list(&Default::default())
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(answer.entries, Some(Vec::new()));
}
