//! check: the drift check. Renders the spec in memory, compares each rendered
//! workflow with the file on disk as YAML trees, and yields [`Finding`]s that
//! the report module renders in every output format.
//!
//! One module per rule family:
//! - [`files`]: missing-workflow, stale-workflow, spec-changed, and the fatal
//!   invalid-workflow / unreadable-workflow;
//! - [`drift`]: content-drift, walking both YAML trees in parallel;
//! - [`script`]: content-drift inside multi-line strings (`run: |`), line by line;
//! - [`pindrift`]: pin-drift (the Dependabot case), and the pin scan that
//!   `wfgen pins sync` uses;
//! - [`format`]: format-drift (same tree, different text).
//!
//! The three comparisons of one file share a [`walk::FileWalk`]; findings
//! are built with [`FindingBuilder`] ([`finding`]); [`text`] holds spans and
//! the shortening of values for messages. The modules form a tree: `drift`
//! calls `script` and `pindrift`, all three use `walk`, which uses
//! `speclabel`, which uses `text`.
//!
//! Positions always come from the text on disk ([`crate::ypath::Located`]);
//! [`speclabel`] points a second label into wfgen.yaml where the spec is the
//! cause of an expected value.

pub mod drift;
pub mod files;
mod finding;
pub mod format;
pub mod pindrift;
pub mod script;
pub mod speclabel;
pub mod sync;
mod text;
pub mod walk;

pub use finding::{Finding, FindingBuilder, RULES_DOCS, Rule, Severity, SpecLabel};
pub use text::{Span, block_line_span, compact, contrast, line_bounds, short};

use std::collections::BTreeMap;

use crate::fsio::{self, OnDisk};
use crate::render::Rendered;
use crate::spec::LoadedSpec;

/// One file compared, for `--diff`.
#[derive(Debug, Clone)]
pub struct FileResult {
    pub path: String,
    /// The rendered text (None: the spec does not produce the file).
    pub expected: Option<String>,
    /// The text on disk (None: not there or unreadable).
    pub found: Option<String>,
    /// Whether any finding is about this file.
    pub drifted: bool,
}

/// Options of a check.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// format-drift is an error, not a warning.
    pub strict: bool,
}

/// What a check found.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The spec's name (relative to the repository root) and text.
    pub spec_name: String,
    pub spec_text: String,
    /// Sorted by file, then position.
    pub findings: Vec<Finding>,
    /// Every file compared: the produced ones and stale ones.
    pub files: Vec<FileResult>,
}

impl Outcome {
    /// Text of a file a finding points into (a workflow on disk or the spec).
    pub fn source(&self, path: &str) -> Option<&str> {
        if path == self.spec_name {
            return Some(&self.spec_text);
        }
        self.files
            .iter()
            .find(|f| f.path == path)
            .and_then(|f| f.found.as_deref())
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }

    /// 0 clean (warnings allowed), 1 drift, 3 fatal.
    pub fn exit_code(&self) -> i32 {
        use crate::exit;
        if self.count(Severity::Fatal) > 0 {
            exit::FATAL
        } else if self.count(Severity::Error) > 0 {
            exit::DRIFT
        } else {
            exit::OK
        }
    }

    /// Findings by rule id, for summaries.
    pub fn by_rule(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for f in &self.findings {
            *m.entry(f.rule.id()).or_insert(0) += 1;
        }
        m
    }
}

/// Renders the spec in memory and compares it with `.github/workflows` on
/// disk. Errs only when the workflow directory cannot be listed.
pub fn check(spec: &LoadedSpec, opts: Options) -> Result<Outcome, String> {
    let rendered = crate::generate(spec);
    let on_disk = fsio::workflow_files(&spec.root)?;
    Ok(compare(spec, &rendered, &on_disk, opts))
}

/// The check proper, without I/O: rendered files against files on disk.
pub fn compare(spec: &LoadedSpec, rendered: &[Rendered], on_disk: &[OnDisk], opts: Options) -> Outcome {
    let labels = speclabel::SpecIndex::new(spec);
    let mut findings = Vec::new();
    let mut files = Vec::new();

    for r in rendered {
        let disk = on_disk.iter().find(|d| d.path == r.path);
        let before = findings.len();
        let found = match disk {
            None => {
                findings.push(files::missing(spec, r, &labels));
                None
            }
            Some(d) => match &d.text {
                Err(e) => {
                    findings.push(files::unreadable(&d.path, e));
                    None
                }
                Ok(text) => {
                    compare_file(spec, r, text, &labels, &mut findings);
                    Some(text.clone())
                }
            },
        };
        files.push(FileResult {
            path: r.path.clone(),
            expected: Some(r.text.clone()),
            found,
            drifted: findings.len() > before,
        });
    }

    for d in on_disk {
        if rendered.iter().any(|r| r.path == d.path) {
            continue;
        }
        // A FIFO, socket or device among the workflows is reported: it is
        // no workflow, and no file wfgen will read.
        if let Err(e) = &d.text
            && e.contains("not a regular file")
        {
            findings.push(files::unreadable(&d.path, e));
            files.push(FileResult {
                path: d.path.clone(),
                expected: None,
                found: None,
                drifted: true,
            });
            continue;
        }
        // Only files with wfgen's header are wfgen's, and only those of this
        // spec (or of a spec that is gone); the rest are never reported.
        if let Ok(text) = &d.text
            && let Some(header) = crate::render::parse_header(text)
            && files::owns_leftover(spec, &header)
        {
            findings.push(files::stale(spec, &d.path, text, &header));
            files.push(FileResult {
                path: d.path.clone(),
                expected: None,
                found: Some(text.clone()),
                drifted: true,
            });
        }
    }

    if opts.strict {
        for f in &mut findings {
            if f.severity == Severity::Warning {
                f.severity = Severity::Error;
            }
        }
    }
    findings.sort_by(|a, b| {
        (&a.file, a.span.start, a.span.end, a.rule, &a.message).cmp(&(
            &b.file,
            b.span.start,
            b.span.end,
            b.rule,
            &b.message,
        ))
    });
    Outcome {
        spec_name: spec.name.clone(),
        spec_text: spec.text.clone(),
        findings,
        files,
    }
}

/// Compares one produced file with its text on disk.
fn compare_file(spec: &LoadedSpec, r: &Rendered, text: &str, labels: &speclabel::SpecIndex, out: &mut Vec<Finding>) {
    if let Some(f) = files::header_finding(spec, &r.path, text) {
        out.push(f);
    }
    if let Err(refusal) = crate::limits::prescan(text) {
        out.push(files::refused(&r.path, text, &refusal));
        return;
    }
    // A leading byte order mark is no content (yaml_serde would read a
    // second document); positions still count it (Located does).
    let found: yaml_serde::Value = match yaml_serde::from_str(crate::render::strip_bom(text)) {
        Ok(v) => v,
        Err(e) => {
            out.push(files::invalid(&r.path, text, &e));
            return;
        }
    };
    let expected: yaml_serde::Value =
        yaml_serde::from_str(&r.text).unwrap_or_else(|e| panic!("wfgen rendered invalid YAML in {}: {e}", r.path));
    let mut drift = Vec::new();
    drift::compare(&r.path, &expected, &found, text, labels, &mut drift);
    if drift.is_empty()
        && let Some(f) = format::compare(&r.path, &r.text, text)
    {
        drift.push(f);
    }
    // Written by another wfgen version from this very spec: the differences
    // are that version's, so one finding says so instead of a pile of
    // content drift. A pin bumped on disk (the Dependabot case) stays
    // pin-drift: `wfgen generate` would undo it.
    match files::generator_changed(spec, &r.path, text) {
        Some(mut f) => {
            let (pins, rest): (Vec<Finding>, Vec<Finding>) = drift.into_iter().partition(|f| f.rule == Rule::PinDrift);
            let content = rest.iter().filter(|f| f.rule == Rule::ContentDrift).count();
            files::count_generator_changes(&mut f, content, rest.len());
            out.push(f);
            out.extend(pins);
        }
        None => out.extend(drift),
    }
}
