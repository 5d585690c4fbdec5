//! SARIF 2.1.0 (validated against the OASIS schema in tests/data): one run,
//! the rules as `wfgen/<rule-id>` with the page of each (`helpUri`), each
//! finding a result with its region in the workflow and, where the spec is
//! the cause, a related location in wfgen.yaml. Columns count Unicode code points (`columnKind`).

use serde_json::{Value, json};

use crate::check::{Finding, Outcome, Rule, Severity, Span};

fn region(s: &Span) -> Value {
    json!({
        "startLine": s.line,
        "startColumn": s.col,
        "endLine": s.end_line,
        "endColumn": s.end_col,
        "charOffset": s.start,
        "charLength": s.end - s.start,
    })
}

fn physical(file: &str, s: &Span) -> Value {
    json!({
        "artifactLocation": { "uri": uri(file), "uriBaseId": "%SRCROOT%" },
        "region": region(s),
    })
}

/// A relative path as a URI reference (percent-encoding what needs it).
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Warning => "warning",
        Severity::Error | Severity::Fatal => "error",
    }
}

fn rule_index(r: Rule) -> usize {
    Rule::ALL.iter().position(|x| *x == r).expect("every rule is listed")
}

fn result(f: &Finding) -> Value {
    let fingerprint = crate::spec::load::sha256_hex(
        format!(
            "{}\0{}\0{}",
            f.rule.id(),
            f.file,
            f.ypath.as_ref().map(|p| p.to_string()).unwrap_or_default()
        )
        .as_bytes(),
    );
    let mut r = json!({
        "ruleId": format!("wfgen/{}", f.rule.id()),
        "ruleIndex": rule_index(f.rule),
        "level": level(f.severity),
        "message": { "text": format!("{}\nhelp: {}", f.message, super::help_text(f)) },
        "locations": [ { "physicalLocation": physical(&f.file, &f.span) } ],
        "partialFingerprints": { "wfgenFinding/v1": fingerprint },
        "properties": {
            "ypath": f.ypath.as_ref().map(|p| p.to_string()),
            "expected": f.expected,
            "found": f.found,
            "severity": f.severity.word(),
        },
    });
    if let Some(l) = &f.spec_label {
        r["relatedLocations"] = json!([{
            "id": 1,
            "physicalLocation": physical(&l.file, &l.span),
            "message": { "text": l.text },
        }]);
    }
    r
}

pub fn render(outcome: &Outcome) -> String {
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|r| {
            json!({
                "id": format!("wfgen/{}", r.id()),
                "name": r.id(),
                "shortDescription": { "text": r.summary() },
                "fullDescription": { "text": r.summary() },
                "help": { "text": r.guidance() },
                "helpUri": r.help_uri(),
                "defaultConfiguration": { "level": level(r.default_severity()) },
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "wfgen",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": outcome.findings.iter().map(result).collect::<Vec<_>>(),
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("report serializes");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris() {
        assert_eq!(super::uri(".github/workflows/a b.yml"), ".github/workflows/a%20b.yml");
    }
}
