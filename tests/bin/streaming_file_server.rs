//! A file store on the generated server's `Files` trait that never holds a file in memory:
//! uploads (`PUT` and `PATCH /v1/files/{ref}/data`) are written to disk as their bytes arrive,
//! downloads (`GET /v1/files/{ref}/data`, with `offset` and `length`) are streamed from disk.
//! `tests/tests/binary_bodies.rs` runs it as a separate process, so that the client's and the
//! server's peak memory can be read apart.
//!
//! Usage: `streaming-file-server <DIR>`; prints `listening on http://127.0.0.1:<PORT>` and
//! serves until killed.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use futures_util::StreamExt;
use qumulo_server::files::Files;
use qumulo_server::models::query::{FilesGetFileDataQuery, FilesModifyFileDataQuery};
use qumulo_server::models::{ApiFilesAttributes, Tagged};
use qumulo_server::{RequestContext, ServerError};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

struct DiskFiles {
    dir: PathBuf,
}

fn internal(error: impl std::fmt::Display) -> ServerError {
    ServerError::internal(error.to_string())
}

fn number(name: &str, value: Option<&str>) -> Result<Option<u64>, ServerError> {
    value
        .map(|text| {
            text.parse()
                .map_err(|_| ServerError::bad_request(format!("{name}: not a whole number")))
        })
        .transpose()
}

impl DiskFiles {
    /// The file for `reference`: plain names only, so no request reaches outside the folder.
    fn path(&self, reference: &str) -> Result<PathBuf, ServerError> {
        let plain = !reference.is_empty()
            && reference
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
        if plain {
            Ok(self.dir.join(reference))
        } else {
            Err(ServerError::bad_request(
                "ref: letters, digits, - and _ only",
            ))
        }
    }

    /// Writes `body` into `reference` at `offset` as it arrives (a new file when `offset` is
    /// `None`), and answers the file's attributes.
    async fn write(
        &self,
        reference: &str,
        offset: Option<u64>,
        body: Body,
    ) -> Result<Tagged<ApiFilesAttributes>, ServerError> {
        let path = self.path(reference)?;
        let mut file = match offset {
            None => tokio::fs::File::create(&path).await.map_err(internal)?,
            Some(offset) => {
                let mut file = tokio::fs::OpenOptions::new()
                    .write(true)
                    .open(&path)
                    .await
                    .map_err(|_| ServerError::not_found(format!("no file {reference:?}")))?;
                file.seek(std::io::SeekFrom::Start(offset))
                    .await
                    .map_err(internal)?;
                file
            }
        };
        let mut stream = body.into_data_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|error| ServerError::bad_request(error.to_string()))?;
            file.write_all(&chunk).await.map_err(internal)?;
        }
        file.flush().await.map_err(internal)?;
        let metadata = tokio::fs::metadata(&path).await.map_err(internal)?;
        let modified = metadata
            .modified()
            .ok()
            .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |since| since.as_nanos());
        let mut attributes = ApiFilesAttributes::default();
        attributes.id = Some(reference.to_owned());
        attributes.size = Some(metadata.len().to_string());
        Ok(Tagged {
            value: attributes,
            // The file's version: its size and modification time.
            etag: Some(format!("\"{}-{modified}\"", metadata.len())),
        })
    }
}

impl Files for DiskFiles {
    async fn get_file_data(
        &self,
        _context: RequestContext,
        reference: String,
        query: FilesGetFileDataQuery,
    ) -> Result<Body, ServerError> {
        let path = self.path(&reference)?;
        let mut file = tokio::fs::File::open(&path)
            .await
            .map_err(|_| ServerError::not_found(format!("no file {reference:?}")))?;
        let offset = number("offset", query.offset.as_deref())?.unwrap_or(0);
        let length = number("length", query.length.as_deref())?.unwrap_or(u64::MAX);
        file.seek(std::io::SeekFrom::Start(offset))
            .await
            .map_err(internal)?;
        Ok(Body::from_stream(tokio_util::io::ReaderStream::new(
            file.take(length),
        )))
    }

    async fn set_file_data(
        &self,
        _context: RequestContext,
        reference: String,
        _if_match: Option<String>,
        body: Body,
    ) -> Result<Tagged<ApiFilesAttributes>, ServerError> {
        self.write(&reference, None, body).await
    }

    async fn modify_file_data(
        &self,
        _context: RequestContext,
        reference: String,
        query: FilesModifyFileDataQuery,
        _if_match: Option<String>,
        body: Body,
    ) -> Result<Tagged<ApiFilesAttributes>, ServerError> {
        let offset = number("offset", query.offset.as_deref())?.unwrap_or(0);
        self.write(&reference, Some(offset), body).await
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: streaming-file-server <DIR>");
        std::process::exit(2);
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("listening on http://{}", listener.local_addr()?);
    let router = qumulo_server::Server::new()
        .files(Arc::new(DiskFiles { dir }))
        .into_router();
    axum::serve(listener, router).await
}
