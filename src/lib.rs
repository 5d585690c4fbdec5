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
// code (Cargo.toml's [lints]); only the command line (src/cli) prints; no
// unwrap outside tests (an `expect` says why it cannot fail); no function
// over 150 lines (clippy.toml). The tests in tests/ keep the first only.
#![warn(
    clippy::unwrap_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::too_many_lines
)]

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

/// Reads, parses and validates the spec at `path` with every check: the
/// spec's own and the plan's (a registry's login, an image's binary legs,
/// ...), in one report. What every command loads.
pub fn load_spec(path: &std::path::Path) -> Result<spec::LoadedSpec, spec::LoadError> {
    spec::load::load_with(path, plan::check)
}

/// Parses and validates spec text with every check ([`load_spec`]); `name`
/// is used in reports.
pub fn parse_spec(name: &str, text: &str) -> Result<(spec::Spec, ypath::Located), diag::SourceProblems> {
    spec::load::parse_with(name, text, plan::check)
}

/// A spec from text in memory with every check ([`load_spec`]), as if read
/// from `path` (named `name` in reports, in the repository at `root`).
pub fn spec_from_text(
    path: &std::path::Path,
    name: &str,
    root: &std::path::Path,
    text: String,
) -> Result<spec::LoadedSpec, diag::SourceProblems> {
    spec::load::from_text_with(path, name, root, text, plan::check)
}

/// The whole pipeline for a loaded spec: plan, then render with the header.
pub fn generate(spec: &spec::LoadedSpec) -> Vec<render::Rendered> {
    let plan = plan::Plan::new(&spec.spec);
    render::render(&plan, &render::header(&spec.name, &spec.sha256()))
}
