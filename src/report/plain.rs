//! The default format: one miette report per finding, with the lines of the
//! workflow on disk, the rule id as the code, a second report pointing into
//! wfgen.yaml where the spec is the cause, and the help; then a summary.

use std::fmt;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use crate::check::{Finding, Outcome, Severity, Span};

struct SpecNote {
    text: String,
    src: NamedSource<String>,
    span: Span,
}

impl fmt::Debug for SpecNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Display for SpecNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for SpecNote {}

impl Diagnostic for SpecNote {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some("here".into()),
            source_span(&self.span),
        ))))
    }
}

struct Report<'a> {
    f: &'a Finding,
    src: Option<NamedSource<String>>,
    related: Vec<SpecNote>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.f.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.f.message)?;
        if self.src.is_none() && too_wide(&self.f.span) {
            // No snippet: the position is said in words.
            write!(
                f,
                " ({}, line {}, column {})",
                self.f.file, self.f.span.line, self.f.span.col
            )?;
        }
        Ok(())
    }
}

/// miette cannot draw a label past column 65,535 (it panics); far before
/// that the snippet is useless. Such a finding is shown without one.
pub const MAX_SNIPPET_COLUMN: usize = 10_000;

fn too_wide(s: &Span) -> bool {
    s.col > MAX_SNIPPET_COLUMN || s.end_col > MAX_SNIPPET_COLUMN
}

impl std::error::Error for Report<'_> {}

impl Diagnostic for Report<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!("wfgen::{}", self.f.rule.id())))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.f.severity {
            Severity::Warning => miette::Severity::Warning,
            Severity::Error | Severity::Fatal => miette::Severity::Error,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(super::help_text(self.f)))
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.src.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.src.as_ref()?;
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(
            Some(self.f.label.clone()),
            source_span(&self.f.span),
        ))))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

fn source_span(s: &Span) -> SourceSpan {
    SourceSpan::new(s.start.into(), s.end.saturating_sub(s.start))
}

pub fn render(outcome: &Outcome, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let mut out = String::new();
    for f in &outcome.findings {
        let src = outcome
            .source(&f.file)
            .filter(|t| !t.is_empty())
            .filter(|_| !too_wide(&f.span))
            .map(|t| NamedSource::new(&f.file, t.to_string()).with_language("yaml"));
        let related = f
            .spec_label
            .iter()
            .filter(|l| !too_wide(&l.span))
            .map(|l| SpecNote {
                text: l.text.clone(),
                src: NamedSource::new(&l.file, outcome.spec_text.clone()).with_language("yaml"),
                span: l.span,
            })
            .collect();
        let report = Report { f, src, related };
        let mut one = String::new();
        let _ = handler.render_report(&mut one, &report);
        // miette leaves trailing spaces (e.g. after "Advice:").
        for line in one.lines() {
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    let drifted = outcome.files.iter().filter(|f| f.drifted).count();
    if outcome.findings.is_empty() {
        out.push_str(&format!(
            "wfgen check: {} workflow{} match {}\n",
            outcome.files.len(),
            if outcome.files.len() == 1 { "" } else { "s" },
            outcome.spec_name
        ));
    } else {
        out.push_str(&format!(
            "wfgen check: {} in {drifted} of {} workflow{} ({})\n",
            super::summary(outcome),
            outcome.files.len(),
            if outcome.files.len() == 1 { "" } else { "s" },
            outcome.spec_name
        ));
    }
    out
}
