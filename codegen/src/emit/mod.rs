//! Emitters: each reads the [`crate::ir::Api`] and returns token streams or manifest text. They
//! never see JSON and never touch the filesystem.

pub mod client;
pub mod conformance;
pub mod docs;
pub mod groups;
pub mod models;
pub mod openapi;
pub mod server;
pub mod types;
