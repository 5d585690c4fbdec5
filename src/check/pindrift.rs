//! pin-drift: an action `uses:` that differs from the rendered one only in
//! its commit SHA (and `# vX.Y.Z` comment) is what Dependabot does; it is one
//! pin-drift finding, not content drift. Also the scan of the pins in the
//! workflows on disk that `wfgen pins sync` adopts.

use yaml_serde::Value;

use super::walk::FileWalk;
use super::{Rule, short};
use crate::ypath::{Located, Part, YPath};

/// `owner/repo[/path]@ref` split into action and ref; `None` for local
/// (`./x`) and `docker://` references.
pub fn split_uses(uses: &str) -> Option<(&str, &str)> {
    if uses.starts_with("./") || uses.starts_with("docker://") {
        return None;
    }
    let (action, r) = uses.rsplit_once('@')?;
    (!action.is_empty() && !r.is_empty()).then_some((action, r))
}

/// A full lowercase 40-hex commit SHA.
pub fn is_full_sha(r: &str) -> bool {
    r.len() == 40 && r.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The version comment (`# v1.2.3`) on the line of a `uses:` value that
/// ends at byte `end`.
pub fn version_comment(text: &str, end: usize) -> Option<String> {
    let rest = &text[end.min(text.len())..];
    let rest = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let i = rest.find('#')?;
    if i > 0 && !rest[..i].ends_with([' ', '\t']) {
        return None;
    }
    rest[i + 1..].split_whitespace().next().map(str::to_string)
}

/// Compares two `uses:` values.
pub fn compare_uses(ctx: &mut FileWalk, path: &YPath, exp: &str, got: &str) {
    let (Some((ea, er)), Some((ga, gr))) = (split_uses(exp), split_uses(got)) else {
        return uses_content(ctx, path, exp, got, None);
    };
    if ea != ga || !is_full_sha(er) {
        return uses_content(ctx, path, exp, got, None);
    }
    if !is_full_sha(gr) {
        return uses_content(
            ctx,
            path,
            exp,
            got,
            Some(format!(
                "`{gr}` is not a full commit SHA: a tag or branch can move under the workflow. \
                 Pin {ga} to a 40-hex commit (`wfgen pins sync` adopts a pinned commit into the spec), \
                 or run `wfgen generate` to restore the spec's pin"
            )),
        );
    }
    let raw = ctx.raw_span(path, Part::Value);
    let span = ctx.span(path, Part::Value);
    let found_version = raw.and_then(|(_, e)| version_comment(ctx.text, e));
    let pin = ctx.labels.pins().0.get(ea);
    let exp_version = pin.filter(|p| p.sha == er).map(|p| p.version.clone());
    let v = |v: &Option<String>| v.as_ref().map(|v| format!(" ({v})")).unwrap_or_default();
    let spec_name = ctx.labels.spec_name().to_string();
    let from = match pin.map(|p| p.source) {
        Some(crate::plan::pins::PinSource::Spec) => format!("{spec_name} pins"),
        _ => "wfgen's built-in pin is".to_string(),
    };
    let message = format!(
        "`{path}`: {ea} is pinned to {}{} on disk; {from} {}{}",
        &gr[..12],
        v(&found_version),
        &er[..12],
        v(&exp_version)
    );
    let label = format!("pinned to {}{}", &gr[..7], v(&found_version));
    let spec_label = ctx.labels.for_pin(ea);
    ctx.add(
        ctx.finding(Rule::PinDrift, path)
            .message(message)
            .expected(exp.to_string())
            .found(got.to_string())
            .span(span, label)
            .spec_label(spec_label)
            .help(format!(
                "if the new pin is intended (a Dependabot bump), run `wfgen pins sync` to write it into the `pins:` of \
             {spec_name}; otherwise `wfgen generate` restores the pinned commit"
            )),
    );
}

fn uses_content(ctx: &mut FileWalk, path: &YPath, exp: &str, got: &str, help: Option<String>) {
    let span = ctx.span(path, Part::Value);
    let (es, gs) = super::contrast(exp, got);
    ctx.add(
        ctx.finding(Rule::ContentDrift, path)
            .message(format!("`{path}`: expected `{es}`, found `{gs}`"))
            .expected(exp.to_string())
            .found(got.to_string())
            .span(span, format!("expected `{}`", short(exp)))
            .help(help.unwrap_or_else(|| ctx.edit_help().into())),
    );
}

/// One `uses:` of a workflow on disk, pinned to a full SHA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsesPin {
    pub file: String,
    pub ypath: YPath,
    pub action: String,
    pub sha: String,
    /// From the `# vX.Y.Z` comment on the line, if there is one.
    pub version: Option<String>,
    /// 1-based line.
    pub line: usize,
}

/// Every `uses: owner/repo@<40-hex>` of a workflow text, with its version
/// comment. Texts that are not YAML have none.
pub fn scan(file: &str, text: &str) -> Vec<UsesPin> {
    if crate::limits::prescan(text).is_err() {
        return Vec::new();
    }
    let Ok(v) = yaml_serde::from_str::<Value>(crate::render::strip_bom(text)) else {
        return Vec::new();
    };
    let mut paths = Vec::new();
    collect_uses(&v, &YPath::root(), &mut paths);
    if paths.is_empty() {
        return Vec::new();
    }
    let located = Located::new(text);
    let mut out = Vec::new();
    for (path, uses) in paths {
        let Some((action, sha)) = split_uses(&uses) else {
            continue;
        };
        if !is_full_sha(sha) {
            continue;
        }
        let Some((s, e)) = located.exact_span(&path, Part::Value) else {
            continue;
        };
        out.push(UsesPin {
            file: file.to_string(),
            ypath: path,
            action: action.to_string(),
            sha: sha.to_string(),
            version: version_comment(text, e),
            line: located.line_col(s).0,
        });
    }
    out
}

fn collect_uses(v: &Value, path: &YPath, out: &mut Vec<(YPath, String)>) {
    match v {
        Value::Mapping(m) => {
            for (k, item) in m {
                let Value::String(k) = k else { continue };
                let child = path.key(k.as_str());
                match (k.as_str(), item) {
                    ("uses", Value::String(s)) => out.push((child, s.clone())),
                    _ => collect_uses(item, &child, out),
                }
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_uses(item, &path.index(i), out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uses_parts() {
        assert_eq!(split_uses("a/b@v1"), Some(("a/b", "v1")));
        assert_eq!(split_uses("a/b/c@x"), Some(("a/b/c", "x")));
        assert_eq!(split_uses("./.github/workflows/x.yml"), None);
        assert!(is_full_sha("3d3c42e5aac5ba805825da76410c181273ba90b1"));
        assert!(!is_full_sha("3D3C42E5AAC5BA805825DA76410C181273BA90B1"));
        let t = "    uses: a/b@x # v1.2.3\n";
        assert_eq!(version_comment(t, t.find(" #").unwrap()).as_deref(), Some("v1.2.3"));
        assert_eq!(version_comment(t, t.len() - 1), None);
    }

    #[test]
    fn scan_finds_pinned_uses_with_versions() {
        let sha = "3d3c42e5aac5ba805825da76410c181273ba90b1";
        let t = format!(
            "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@{sha} # v7.0.1\n      - uses: x/y@v1\n      - {{ uses: \"a/b@{sha}\" }}\n"
        );
        let pins = scan("w.yml", &t);
        assert_eq!(pins.len(), 2);
        assert_eq!(pins[0].action, "actions/checkout");
        assert_eq!(pins[0].version.as_deref(), Some("v7.0.1"));
        assert_eq!(pins[0].line, 4);
        assert_eq!(pins[1].version, None);
    }
}
