//! wfgen: one release spec (`wfgen.yaml`) in, the GitHub Actions release
//! workflows of a repository out, and a drift check that keeps them true.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! wfgen.yaml --spec--> Spec --plan--> Plan --render(templates/)--> files
//!                                                       |
//!   .github/workflows/*.yml on disk --check-------------+--> findings --report--> output
//! ```

pub mod diag;
pub mod spec;
pub mod ypath;
