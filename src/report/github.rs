//! GitHub Actions workflow commands: one `::error` / `::warning` annotation
//! per finding, with the file, the 1-based start and end, and a title.

use crate::check::{Outcome, Severity};

/// Escapes the message of a workflow command.
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    for f in &outcome.findings {
        let cmd = match f.severity {
            Severity::Warning => "warning",
            Severity::Error | Severity::Fatal => "error",
        };
        let mut text = f.message.clone();
        if let Some(l) = &f.spec_label {
            text.push_str(&format!("\n{}:{}:{}: {}", l.file, l.span.line, l.span.col, l.text));
        }
        text.push_str(&format!("\nhelp: {}", super::help_text(f)));
        out.push_str(&format!(
            "::{cmd} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            property(&f.file),
            f.span.line,
            f.span.col,
            f.span.end_line,
            f.span.end_col,
            property(&format!("wfgen {}", f.rule.id())),
            data(&text)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
