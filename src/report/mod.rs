//! report: the findings of a check, built once by [`crate::check`], rendered
//! in each output format, one module per format:
//! - [`plain`]: miette reports with the source lines (the default);
//! - [`oneline`]: `path:line:col: message [rule-id]`, one finding a line;
//! - [`json`]: versioned JSON with 1-based positions and byte offsets;
//! - [`sarif`]: SARIF 2.1.0 for code scanning;
//! - [`github`]: workflow commands (`::error file=...::`) for annotations.
//!
//! [`diff`] renders the unified diff of each drifted file for `--diff`.

pub mod diff;
pub mod github;
pub mod json;
pub mod oneline;
pub mod plain;
pub mod sarif;

use crate::check::Outcome;

/// Output format of `wfgen check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Reports with the source lines (miette).
    Plain,
    /// `path:line:col: message [rule-id]`, one finding a line.
    Oneline,
    /// Versioned JSON.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

/// How to render a report.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub format: Format,
    /// ANSI colours on stdout (plain format, and diffs there).
    pub color: bool,
    /// ANSI colours on stderr (diffs of the machine-readable formats).
    pub color_stderr: bool,
    /// Add the unified diff of each drifted file.
    pub diff: bool,
}

/// The text of a report: what goes to stdout, and what goes to stderr (the
/// diffs, for formats whose stdout must stay machine-readable).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportText {
    pub stdout: String,
    pub stderr: String,
}

/// Renders `outcome` in the chosen format.
pub fn render(outcome: &Outcome, opts: Options) -> ReportText {
    let diffs = || diff::render_all(outcome, opts.color);
    let diffs_stderr = || diff::render_all(outcome, opts.color_stderr);
    match opts.format {
        Format::Plain => {
            let mut out = plain::render(outcome, opts.color);
            if opts.diff {
                out.push_str(&diffs());
            }
            ReportText {
                stdout: out,
                stderr: String::new(),
            }
        }
        Format::Oneline => {
            let mut out = oneline::render(outcome);
            if opts.diff {
                out.push_str(&diffs());
            }
            ReportText {
                stdout: out,
                stderr: String::new(),
            }
        }
        Format::Json => ReportText {
            stdout: json::render(outcome, opts.diff),
            stderr: String::new(),
        },
        Format::Sarif => ReportText {
            stdout: sarif::render(outcome),
            stderr: if opts.diff { diffs_stderr() } else { String::new() },
        },
        Format::Github => ReportText {
            stdout: github::render(outcome),
            stderr: if opts.diff { diffs_stderr() } else { String::new() },
        },
    }
}

/// The help of a finding as people read it (plain, github, the SARIF
/// message): its help, then the page of its rule.
pub fn help_text(f: &crate::check::Finding) -> String {
    format!("{}\nsee {}", f.help, f.rule.help_uri())
}

/// "2 errors, 1 warning" and the like.
pub fn summary(outcome: &Outcome) -> String {
    use crate::check::Severity;
    let n = |c: usize, w: &str| format!("{c} {w}{}", if c == 1 { "" } else { "s" });
    let (f, e, w) = (
        outcome.count(Severity::Fatal),
        outcome.count(Severity::Error),
        outcome.count(Severity::Warning),
    );
    let mut parts = Vec::new();
    if f > 0 {
        parts.push(n(f, "fatal error"));
    }
    parts.push(n(e, "error"));
    parts.push(n(w, "warning"));
    parts.join(", ")
}
