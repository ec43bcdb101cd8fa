//! Binary bodies through the generated client and server: whole bodies in memory, `offset` and
//! `length` reads, writes at an offset, and a 64 MiB file written and read back as streams by a
//! client in this process against the server in another (`streaming-file-server`), with both
//! processes' peak memory read from `/proc` (Linux): neither holds the file.

use std::io::BufRead;
use std::process::{Child, Command, Stdio};

use qumulo_client::models::query::{FilesGetFileDataQuery, FilesModifyFileDataQuery};
use qumulo_client::Client;

const MIB: usize = 1024 * 1024;
const LARGE: usize = 64 * MIB;
const CHUNK: usize = 64 * 1024;

/// The server process, killed when dropped.
struct FileServer {
    child: Child,
    url: String,
    _dir: integration_tests::TempDir,
}

impl FileServer {
    fn start() -> Self {
        let dir = integration_tests::TempDir::new("file-server");
        let mut child = Command::new(env!("CARGO_BIN_EXE_streaming-file-server"))
            .arg(dir.path())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the file server starts");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("piped"))
            .read_line(&mut line)
            .expect("the file server says where it listens");
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Self {
            child,
            url,
            _dir: dir,
        }
    }
}

impl Drop for FileServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The peak resident memory of a process (`VmHWM` in `/proc/<pid>/status`), in bytes.
fn peak_memory(pid: &str) -> usize {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("Linux /proc");
    let line = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .expect("VmHWM is listed");
    let kib: usize = line
        .split_whitespace()
        .nth(1)
        .and_then(|number| number.parse().ok())
        .expect("VmHWM is a number of kB");
    kib * 1024
}

/// Byte `index` of the test file: a pattern that a misplaced chunk would break.
fn pattern(index: usize) -> u8 {
    (index % 251) as u8 ^ (index / CHUNK) as u8
}

#[tokio::test]
async fn binary_bodies_round_trip_whole_in_ranges_and_streamed() {
    let server = FileServer::start();
    let client = Client::new(&server.url).unwrap();
    let files = client.files();

    // Whole bodies: written from memory, read back into memory; every byte value survives.
    let small: Vec<u8> = (0..3 * MIB).map(pattern).collect();
    let attributes = files
        .set_file_data("small", None, small.clone())
        .await
        .unwrap();
    assert_eq!(attributes.size.as_deref(), Some("3145728"));
    let read = files
        .get_file_data("small", &FilesGetFileDataQuery::default())
        .await
        .unwrap();
    assert!(read == small, "the bytes read back differ");

    // `offset` and `length` select a range; a write at an offset changes only those bytes.
    let mut range = FilesGetFileDataQuery::default();
    range.offset = Some("1000".to_owned());
    range.length = Some("10".to_owned());
    assert_eq!(
        files.get_file_data("small", &range).await.unwrap(),
        small[1000..1010]
    );
    let mut at = FilesModifyFileDataQuery::default();
    at.offset = Some("1003".to_owned());
    files
        .modify_file_data("small", &at, None, &b"XYZ"[..])
        .await
        .unwrap();
    let mut expected = small[1000..1010].to_vec();
    expected[3..6].copy_from_slice(b"XYZ");
    assert_eq!(
        files.get_file_data("small", &range).await.unwrap(),
        expected
    );

    // A missing file is the API's 404, not bytes.
    let error = files
        .get_file_data("absent", &FilesGetFileDataQuery::default())
        .await
        .unwrap_err();
    assert_eq!(error.status_code(), Some(reqwest::StatusCode::NOT_FOUND));
    assert!(error.api_error().is_some(), "{error:?}");

    // 64 MiB, produced and checked a chunk at a time on this side, stored on disk on the other.
    let before = peak_memory("self");
    let chunks = futures_util::stream::iter((0..LARGE / CHUNK).map(|number| {
        let chunk: Vec<u8> = (number * CHUNK..(number + 1) * CHUNK)
            .map(pattern)
            .collect();
        Ok::<_, std::io::Error>(chunk)
    }));
    let attributes = files
        .set_file_data_from_stream("large", None, reqwest::Body::wrap_stream(chunks))
        .await
        .unwrap();
    assert_eq!(attributes.size, Some(LARGE.to_string()));
    let mut download = files
        .get_file_data_stream("large", &FilesGetFileDataQuery::default())
        .await
        .unwrap();
    let mut received = 0;
    while let Some(chunk) = download.chunk().await.unwrap() {
        for (offset, byte) in chunk.iter().enumerate() {
            assert_eq!(
                *byte,
                pattern(received + offset),
                "byte {}",
                received + offset
            );
        }
        received += chunk.len();
    }
    assert_eq!(received, LARGE);

    let client_peak = peak_memory("self");
    let server_peak = peak_memory(&server.child.id().to_string());
    eprintln!(
        "64 MiB written and read back as streams: peak memory client process {:.1} MiB \
         (before the large file {:.1} MiB), server process {:.1} MiB",
        client_peak as f64 / MIB as f64,
        before as f64 / MIB as f64,
        server_peak as f64 / MIB as f64
    );
    // Holding the file would take 64 MiB on either side; streaming takes a few buffers.
    assert!(
        client_peak < before + 16 * MIB,
        "the client's peak grew from {before} to {client_peak} bytes"
    );
    assert!(
        server_peak < 32 * MIB,
        "the server's peak memory is {server_peak} bytes"
    );
}
