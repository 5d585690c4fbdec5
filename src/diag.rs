//! Located problems in a source file (wfgen.yaml), rendered with miette.

use std::fmt;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceSpan};

/// One problem at a byte span of a file, with a help text.
#[derive(Debug, Clone)]
pub struct Problem {
    pub message: String,
    pub span: Option<(usize, usize)>,
    pub label: String,
    pub help: Option<String>,
}

impl Problem {
    pub fn new(message: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            span: None,
            label: "here".into(),
            help: None,
        }
    }
    pub fn at(mut self, span: Option<(usize, usize)>) -> Self {
        self.span = span;
        self
    }
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// All problems found in one source file. Renders as one miette report per
/// problem; `Display` gives `file:line:col: message` lines.
#[derive(Debug)]
pub struct SourceProblems {
    pub name: String,
    pub text: String,
    pub problems: Vec<Problem>,
}

impl SourceProblems {
    /// `file:line:col: message` (1-based) for each problem.
    pub fn oneline(&self) -> Vec<String> {
        self.problems
            .iter()
            .map(|p| match p.span {
                Some((s, _)) => {
                    let (l, c) = crate::ypath::line_col(&self.text, s);
                    format!("{}:{l}:{c}: {}", self.name, p.message)
                }
                None => format!("{}: {}", self.name, p.message),
            })
            .collect()
    }

    /// miette diagnostics, one per problem, sharing the named source.
    pub fn diagnostics(&self) -> Vec<OneProblem> {
        self.problems
            .iter()
            .map(|p| OneProblem {
                problem: p.clone(),
                src: NamedSource::new(&self.name, self.text.clone()),
                location: p.span.map(|(s, _)| crate::ypath::line_col(&self.text, s)),
                file: self.name.clone(),
            })
            .collect()
    }

    /// Renders every problem as miette reports to a string.
    pub fn render(&self, color: bool) -> String {
        let handler = if color {
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode())
        } else {
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        }
        .with_width(100)
        .with_break_words(false)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
        let mut out = String::new();
        for d in self.diagnostics() {
            let _ = handler.render_report(&mut out, &d);
        }
        let n = self.problems.len();
        out.push_str(&format!(
            "{n} problem{} in {}\n",
            if n == 1 { "" } else { "s" },
            self.name
        ));
        out
    }
}

impl fmt::Display for SourceProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.oneline().join("\n"))
    }
}

impl std::error::Error for SourceProblems {}

/// A single problem as a miette diagnostic.
#[derive(Debug)]
pub struct OneProblem {
    problem: Problem,
    src: NamedSource<String>,
    location: Option<(usize, usize)>,
    file: String,
}

impl fmt::Display for OneProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location {
            Some((l, c)) => write!(f, "{}:{l}:{c}: {}", self.file, self.problem.message),
            None => write!(f, "{}: {}", self.file, self.problem.message),
        }
    }
}

impl std::error::Error for OneProblem {}

impl OneProblem {
    /// miette cannot draw a label past column 65,535 (it panics); far before
    /// that the snippet is useless: such a problem is shown without one (its
    /// line:col is in the first line). So is one whose snippet, with the
    /// lines around it, holds a line that wide.
    fn too_wide(&self) -> bool {
        const MAX_SNIPPET_COLUMN: usize = 10_000;
        const CONTEXT: usize = 2;
        let Some((s, e)) = self.problem.span else { return false };
        let text = self.src.inner();
        let (first, _) = crate::ypath::line_col(text, s);
        let (last, _) = crate::ypath::line_col(text, e);
        text.lines()
            .enumerate()
            .skip(first.saturating_sub(CONTEXT + 1))
            .take(last + CONTEXT + 1 - first.saturating_sub(CONTEXT + 1))
            .any(|(_, l)| l.len() > MAX_SNIPPET_COLUMN && l.chars().count() > MAX_SNIPPET_COLUMN)
    }
}

impl Diagnostic for OneProblem {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.problem
            .help
            .as_ref()
            .map(|h| Box::new(h.clone()) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        if self.too_wide() {
            return None;
        }
        self.problem.span.map(|_| &self.src as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.too_wide() {
            return None;
        }
        let (s, e) = self.problem.span?;
        let span = SourceSpan::new(s.into(), e.saturating_sub(s));
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.problem.label.clone()),
            span,
        ))))
    }
}
