//! The walk of one workflow file: what the comparisons of [`super::drift`],
//! [`super::script`] and [`super::pindrift`] share. The text on disk (for
//! positions, indexed on first use), the spec index (for the second label)
//! and the findings so far, at most [`MAX_FINDINGS`] of them.

use std::cell::OnceCell;

use super::speclabel::SpecIndex;
use super::{Finding, FindingBuilder, Rule, Span};
use crate::ypath::{Located, Part, YPath};

/// The help of a finding in a file that wfgen wrote (it has the header).
const EDIT_HELP: &str = "the workflows are generated: change the spec and run `wfgen generate`, \
                         or run `wfgen generate` to undo this edit";

/// The help of a finding in a file at a generated workflow's path that wfgen
/// did not write: `wfgen generate` replaces it only with `--force`.
const FORCE_HELP: &str = "this file has no wfgen header, so wfgen did not write it: `wfgen generate --force` \
                          replaces it with the workflow of the spec (or remove that workflow from the spec)";

/// The most findings listed for one file; the rest are counted in one more.
pub const MAX_FINDINGS: usize = 100;

/// The state of the walk of one file.
pub struct FileWalk<'a> {
    pub file: &'a str,
    /// The text on disk.
    pub text: &'a str,
    located: OnceCell<Located>,
    pub labels: &'a SpecIndex<'a>,
    out: &'a mut Vec<Finding>,
    /// Findings added, and differences found past [`MAX_FINDINGS`] (not
    /// located: locating each one is linear in the file, so thousands of
    /// them would take quadratic time).
    pushed: usize,
    suppressed: usize,
}

impl<'a> FileWalk<'a> {
    pub fn new(file: &'a str, text: &'a str, labels: &'a SpecIndex<'a>, out: &'a mut Vec<Finding>) -> Self {
        FileWalk {
            file,
            text,
            located: OnceCell::new(),
            labels,
            out,
            pushed: 0,
            suppressed: 0,
        }
    }

    /// The help of an edit: how to undo it (`--force` where wfgen did not
    /// write the file).
    pub fn edit_help(&self) -> &'static str {
        if crate::render::parse_header(self.text).is_some() {
            EDIT_HELP
        } else {
            FORCE_HELP
        }
    }

    /// Whether the file has all the findings it lists.
    fn full(&self) -> bool {
        self.pushed >= MAX_FINDINGS
    }

    /// The disk text's node index, built on first use (only drifted files
    /// pay for it).
    pub fn located(&self) -> &Located {
        self.located.get_or_init(|| Located::new(self.text))
    }

    /// Byte span of `path` on disk, or of its nearest existing ancestor.
    pub fn raw_span(&self, path: &YPath, part: Part) -> Option<(usize, usize)> {
        if self.full() {
            return None;
        }
        self.located().span(path, part)
    }

    /// [`Span`] of `path` on disk (the start of the file when even the
    /// document cannot be located).
    pub fn span(&self, path: &YPath, part: Part) -> Span {
        match self.raw_span(path, part) {
            Some((s, e)) => Span::new(self.text, s, e),
            None => Span::file_start(),
        }
    }

    /// A finding of `rule` about the node `path` of this file, to fill in
    /// and [`add`](Self::add).
    pub fn finding(&self, rule: Rule, path: &YPath) -> FindingBuilder {
        Finding::build(rule, self.file).at(path)
    }

    /// Adds a finding, or counts it past [`MAX_FINDINGS`].
    pub fn add(&mut self, finding: FindingBuilder) {
        if self.full() {
            self.suppressed += 1;
            return;
        }
        self.pushed += 1;
        self.out.push(finding.finish());
    }

    /// Ends the walk: the differences past [`MAX_FINDINGS`] become one
    /// finding that counts them.
    pub fn finish(self) {
        if self.suppressed == 0 {
            return;
        }
        let (file, n) = (self.file, self.suppressed);
        self.out.push(
            Finding::build(Rule::ContentDrift, file)
                .message(format!(
                    "`{file}`: {n} more difference{} not listed (at most {MAX_FINDINGS} are)",
                    if n == 1 { "" } else { "s" }
                ))
                .span(Span::file_start(), "more differences")
                .help(
                    "the file is far from what the spec produces: run `wfgen generate` to rewrite it, or `wfgen check \
                     --diff` to see every difference",
                )
                .finish(),
        );
    }
}
