//! `path:line:col: message [rule-id]`, one finding a line, nothing else.

use crate::check::Outcome;

pub fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    for f in &outcome.findings {
        out.push_str(&format!(
            "{}:{}:{}: {} [{}]\n",
            f.file,
            f.span.line,
            f.span.col,
            f.message.replace('\n', " "),
            f.rule.id()
        ));
    }
    out
}
