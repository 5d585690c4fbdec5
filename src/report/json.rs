//! Versioned JSON: every finding with its rule, severity, file, YAML path,
//! message, expected and found values, help, the page of its rule
//! (`help_uri`), and its location (1-based line and column, and byte offset,
//! of the start and the exclusive end), plus the second label in the spec.
//!
//! Format version 1. Fields are only ever added within a version.

use serde_json::{Value, json};

use crate::check::{Finding, Outcome, Span};

/// Version of the JSON format.
pub const FORMAT_VERSION: u32 = 1;

pub fn location(s: &Span) -> Value {
    json!({
        "start": { "line": s.line, "column": s.col, "offset": s.start },
        "end": { "line": s.end_line, "column": s.end_col, "offset": s.end },
    })
}

fn finding(f: &Finding) -> Value {
    json!({
        "rule": f.rule.id(),
        "severity": f.severity.word(),
        "file": f.file,
        "ypath": f.ypath.as_ref().map(|p| p.to_string()),
        "message": f.message,
        "expected": f.expected,
        "found": f.found,
        "label": f.label,
        "location": location(&f.span),
        "spec_label": f.spec_label.as_ref().map(|l| json!({
            "file": l.file,
            "ypath": l.ypath.to_string(),
            "message": l.text,
            "location": location(&l.span),
        })),
        "help": f.help,
        "help_uri": f.rule.help_uri(),
    })
}

pub fn render(outcome: &Outcome, with_diffs: bool) -> String {
    use crate::check::Severity;
    let mut doc = json!({
        "version": FORMAT_VERSION,
        "tool": { "name": "wfgen", "version": env!("CARGO_PKG_VERSION") },
        "spec": outcome.spec_name,
        "summary": {
            "files": outcome.files.len(),
            "drifted_files": outcome.files.iter().filter(|f| f.drifted).count(),
            "fatal": outcome.count(Severity::Fatal),
            "errors": outcome.count(Severity::Error),
            "warnings": outcome.count(Severity::Warning),
            "by_rule": outcome.by_rule(),
            "exit_code": outcome.exit_code(),
        },
        "findings": outcome.findings.iter().map(finding).collect::<Vec<_>>(),
    });
    if with_diffs {
        doc["diffs"] = outcome
            .files
            .iter()
            .filter(|f| f.drifted)
            .filter_map(|f| {
                let d = super::diff::unified(f, false)?;
                Some(json!({ "file": f.path, "diff": d }))
            })
            .collect();
    }
    let mut s = serde_json::to_string_pretty(&doc).expect("report serializes");
    s.push('\n');
    s
}
