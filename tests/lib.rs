//! Shared helpers for the integration tests: fixture loading and the one `check` each snapshot
//! test calls.
