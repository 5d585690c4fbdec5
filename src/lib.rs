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

// The rules the code keeps, where the compiler enforces them: no unsafe
// code, and only the command line (src/cli) prints.
#![forbid(unsafe_code)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod check;
pub mod cli;
pub mod cut;
pub mod diag;
pub mod exit;
pub mod fsio;
#[doc(hidden)]
pub mod fuzzing;
pub mod init;
pub mod jobids;
pub mod limits;
pub mod plan;
pub mod render;
pub mod report;
pub mod spec;
pub mod ypath;

/// The whole pipeline for a loaded spec: plan, then render with the header.
pub fn generate(spec: &spec::LoadedSpec) -> Vec<render::Rendered> {
    let plan = plan::Plan::new(&spec.spec);
    render::render(&plan, &render::header(&spec.name, &spec.sha256()))
}
