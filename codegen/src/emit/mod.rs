//! Emitters: each reads the [`crate::ir::Api`] and returns token streams or manifest text. They
//! never see JSON and never touch the filesystem.

pub mod docs;
pub mod models;
pub mod types;
