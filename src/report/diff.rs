//! `--diff`: a unified diff per drifted file, from the file on disk to what
//! `wfgen generate` would write (so `+` lines are the generated text).

use similar::TextDiff;

use crate::check::{FileResult, Outcome};

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// The unified diff of one file; `None` when there is nothing to show.
pub fn unified(f: &FileResult, color: bool) -> Option<String> {
    let a = if f.found.is_some() {
        format!("{} (on disk)", f.path)
    } else {
        "/dev/null".to_string()
    };
    let b = if f.expected.is_some() {
        format!("{} (generated)", f.path)
    } else {
        "/dev/null".to_string()
    };
    labeled(
        f.found.as_deref().unwrap_or(""),
        f.expected.as_deref().unwrap_or(""),
        &a,
        &b,
        color,
    )
}

/// The unified diff from `old` (named `a`) to `new` (named `b`).
pub fn labeled(old: &str, new: &str, a: &str, b: &str, color: bool) -> Option<String> {
    if old == new {
        return None;
    }
    let text = TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(a, b)
        .to_string();
    if !color {
        return Some(text);
    }
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        let c = if line.starts_with("---") || line.starts_with("+++") {
            BOLD
        } else if line.starts_with('-') {
            RED
        } else if line.starts_with('+') {
            GREEN
        } else if line.starts_with("@@") {
            CYAN
        } else {
            ""
        };
        if c.is_empty() {
            out.push_str(line);
        } else {
            let body = line.trim_end_matches('\n');
            out.push_str(&format!("{c}{body}{RESET}\n"));
        }
    }
    Some(out)
}

/// The diffs of every drifted file, one after the other.
pub fn render_all(outcome: &Outcome, color: bool) -> String {
    let mut out = String::new();
    for f in outcome.files.iter().filter(|f| f.drifted) {
        if let Some(d) = unified(f, color) {
            if !out.is_empty() || !d.is_empty() {
                out.push('\n');
            }
            out.push_str(&d);
        }
    }
    out
}
