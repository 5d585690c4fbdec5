//! `wfgen pins sync`: adopt the pins found in the workflows on disk (the
//! pin-drift findings: what Dependabot bumped) into the spec's `pins:` block.
//!
//! The spec is edited surgically, so its comments and layout stay as they
//! were: an existing pin's `version` and `sha` values are replaced in place;
//! a new pin is one line added to the `pins:` mapping (block or flow), or a
//! `pins:` block appended to the file. The result is re-parsed and must
//! resolve to the adopted pins before anything is written.

use std::collections::BTreeMap;

use super::{Options, Rule};
use crate::fsio::OnDisk;
use crate::render::{self, Rendered};
use crate::spec::{self, LoadedSpec};
use crate::ypath::{Part, YPath};

/// A pin to write into the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adopt {
    pub action: String,
    pub version: String,
    pub sha: String,
    /// The pin in force before (version, sha).
    pub old: Option<(String, String)>,
    /// Where it was found: `file:line`.
    pub seen_at: Vec<String>,
}

/// What `pins sync` would do.
#[derive(Debug, Clone, Default)]
pub struct SyncPlan {
    pub adopt: Vec<Adopt>,
    /// Pins on disk that are not adopted, with the reason.
    pub skipped: Vec<String>,
}

/// The pins to adopt: from the pin-drift findings of a check, with the
/// version from each `uses:` line's `# vX.Y.Z` comment. Only full 40-hex
/// SHAs are pin-drift; an action pinned to two different commits in the
/// workflows, or without a version comment, is skipped with a reason.
pub fn plan(spec: &LoadedSpec, rendered: &[Rendered], on_disk: &[OnDisk]) -> SyncPlan {
    let outcome = super::compare(spec, rendered, on_disk, Options::default());
    let pins = crate::plan::pins::resolve(&spec.spec);
    let mut found: BTreeMap<String, Vec<(String, Option<String>, String)>> = BTreeMap::new();
    let mut skipped = Vec::new();
    for f in outcome.findings.iter().filter(|f| f.rule == Rule::PinDrift) {
        let Some(uses) = &f.found else { continue };
        let Some((action, sha)) = super::pins::split_uses(uses) else {
            continue;
        };
        let text = outcome.source(&f.file).unwrap_or("");
        let version = super::pins::version_comment(text, f.span.end);
        found.entry(action.to_string()).or_default().push((
            sha.to_string(),
            version,
            format!("{}:{}", f.file, f.span.line),
        ));
    }
    // Content drift on a `uses:` whose ref is not a full SHA: say why it is not adopted.
    for f in outcome.findings.iter().filter(|f| f.rule == Rule::ContentDrift) {
        if f.ypath.as_ref().and_then(YPath::last_key) != Some("uses") {
            continue;
        }
        if let (Some(e), Some(g)) = (&f.expected, &f.found)
            && let (Some((ea, _)), Some((ga, gr))) = (super::pins::split_uses(e), super::pins::split_uses(g))
            && ea == ga
        {
            skipped.push(format!(
                "{ga}@{gr} at {}:{}: not a full 40-hex commit SHA, not adopted",
                f.file, f.span.line
            ));
        }
    }

    let mut adopt = Vec::new();
    for (action, seen) in found {
        let mut shas: Vec<&str> = seen.iter().map(|(s, _, _)| s.as_str()).collect();
        shas.sort_unstable();
        shas.dedup();
        let at: Vec<String> = seen.iter().map(|(_, _, a)| a.clone()).collect();
        if shas.len() > 1 {
            skipped.push(format!(
                "{action}: pinned to {} different commits ({}); pin it once by hand in `pins:`",
                shas.len(),
                at.join(", ")
            ));
            continue;
        }
        let mut versions: Vec<&str> = seen.iter().filter_map(|(_, v, _)| v.as_deref()).collect();
        versions.sort_unstable();
        versions.dedup();
        let version = match versions.as_slice() {
            [v] => v.to_string(),
            [] => {
                skipped.push(format!(
                    "{action}@{} at {}: no `# vX.Y.Z` comment on the line, so the version is unknown; \
                     add the comment or write the pin by hand",
                    shas[0],
                    at.join(", ")
                ));
                continue;
            }
            _ => {
                skipped.push(format!(
                    "{action}@{}: the version comments disagree ({}) at {}",
                    shas[0],
                    versions.join(", "),
                    at.join(", ")
                ));
                continue;
            }
        };
        let old = pins.0.get(&action).map(|p| (p.version.clone(), p.sha.clone()));
        adopt.push(Adopt {
            action,
            version,
            sha: shas[0].to_string(),
            old,
            seen_at: at,
        });
    }
    SyncPlan { adopt, skipped }
}

/// The spec text with `adopt` written into its `pins:`, keeping everything
/// else byte for byte.
pub fn edit(spec: &LoadedSpec, adopt: &[Adopt]) -> Result<String, String> {
    let text = &spec.text;
    let loc = &spec.located;
    let pins_path = YPath::root().key("pins");
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut new_entries = Vec::new();
    for a in adopt {
        let entry = YPath::root().key("pins").key(a.action.as_str());
        let vspan = loc.exact_span(&entry.key("version"), Part::Value);
        let sspan = loc.exact_span(&entry.key("sha"), Part::Value);
        match (spec.spec.pins.contains_key(&a.action), vspan, sspan) {
            (true, Some(v), Some(s)) => {
                edits.push((v.0, v.1, render::yaml_scalar(a.version.clone())));
                edits.push((s.0, s.1, render::yaml_scalar(a.sha.clone())));
            }
            (true, _, _) => {
                let (s, e) = loc
                    .exact_span(&entry, Part::Value)
                    .ok_or_else(|| format!("cannot find `pins.{}` in {}", a.action, spec.name))?;
                edits.push((s, e, flow_pin(a)));
            }
            (false, _, _) => new_entries.push(format!("{}: {}", render::yaml_scalar(a.action.clone()), flow_pin(a))),
        }
    }

    if !new_entries.is_empty() {
        let value = loc.exact_span(&pins_path, Part::Value);
        let key = loc.exact_span(&pins_path, Part::Key);
        match (key, value) {
            (Some(_), Some((s, e))) if text[s..].starts_with('{') => {
                // A flow mapping: add the entries before its closing brace.
                let inner_end = text[..e]
                    .rfind('}')
                    .filter(|&i| i > s)
                    .ok_or("malformed `pins:` mapping")?;
                let before = text[s + 1..inner_end].trim_end();
                let at = s + 1 + before.len();
                let sep = if before.trim().is_empty() { " " } else { ", " };
                let end = if before.trim().is_empty() { " " } else { "" };
                edits.push((at, at, format!("{sep}{}{end}", new_entries.join(", "))));
            }
            (Some(_), Some((s, e))) => {
                // A block mapping: one line per entry after its last line, at
                // the indentation of its keys.
                let indent = " ".repeat(crate::ypath::line_col(text, s).1 - 1);
                // The end of the last entry (the node's span can take in
                // comments that follow it).
                let last_key = yaml_serde::from_str::<yaml_serde::Value>(text)
                    .ok()
                    .and_then(|v| v.get("pins")?.as_mapping()?.keys().last()?.as_str().map(str::to_string));
                let last = last_key
                    .and_then(|k| loc.exact_span(&pins_path.key(k), Part::Entry))
                    .map(|(_, le)| le)
                    .unwrap_or_else(|| text[..e].trim_end().len());
                let at = text[last..].find('\n').map(|i| last + i + 1).unwrap_or(text.len());
                let nl = if at == text.len() && !text.ends_with('\n') {
                    "\n"
                } else {
                    ""
                };
                let lines: String = new_entries.iter().map(|l| format!("{indent}{l}\n")).collect();
                edits.push((at, at, format!("{nl}{lines}")));
            }
            (Some((ks, _)), None) => {
                // `pins:` with no value: the entries go under it.
                let indent = " ".repeat(crate::ypath::line_col(text, ks).1 + 1);
                let at = text[ks..].find('\n').map(|i| ks + i + 1).unwrap_or(text.len());
                let nl = if at == text.len() && !text.ends_with('\n') {
                    "\n"
                } else {
                    ""
                };
                let lines: String = new_entries.iter().map(|l| format!("{indent}{l}\n")).collect();
                edits.push((at, at, format!("{nl}{lines}")));
            }
            (None, _) => {
                let nl = if text.is_empty() || text.ends_with('\n') {
                    ""
                } else {
                    "\n"
                };
                let lines: String = new_entries.iter().map(|l| format!("  {l}\n")).collect();
                edits.push((
                    text.len(),
                    text.len(),
                    format!("{nl}# Action pins adopted by `wfgen pins sync`.\npins:\n{lines}"),
                ));
            }
        }
    }

    edits.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    let mut out = text.clone();
    for (s, e, with) in edits {
        out.replace_range(s..e, &with);
    }
    Ok(out)
}

fn flow_pin(a: &Adopt) -> String {
    // A SHA of digits only (or digits around one `e`) would read as a number.
    format!(
        "{{ version: {}, sha: {} }}",
        render::yaml_scalar(a.version.clone()),
        render::yaml_scalar(a.sha.clone())
    )
}

/// The spec as it would be with `text`: re-parsed and validated, and its
/// resolved pins checked against `adopt`.
pub fn reload(spec: &LoadedSpec, text: String, adopt: &[Adopt]) -> Result<LoadedSpec, String> {
    let reloaded = spec::from_text(&spec.path, &spec.name, &spec.root, text).map_err(|p| {
        format!(
            "the edited spec does not load, so nothing was written:\n{}",
            p.oneline().join("\n")
        )
    })?;
    let pins = crate::plan::pins::resolve(&reloaded.spec);
    for a in adopt {
        match pins.0.get(&a.action) {
            Some(p) if p.sha == a.sha && p.version == a.version => {}
            _ => {
                return Err(format!(
                    "the edited spec does not pin {} to {} ({}); nothing was written",
                    a.action, a.sha, a.version
                ));
            }
        }
    }
    Ok(reloaded)
}

/// Workflow files whose header should name the new spec digest after the
/// spec was rewritten: those generated from the old spec text whose only
/// errors against the new spec are that header. Returns (path, new text).
/// `rendered` is what `new` renders.
pub fn headers_to_update(
    old: &LoadedSpec,
    new: &LoadedSpec,
    rendered: &[Rendered],
    on_disk: &[OnDisk],
) -> Vec<(String, String)> {
    let outcome = super::compare(new, rendered, on_disk, Options::default());
    let old_digest = old.sha256();
    let new_header = render::header(&new.name, &new.sha256());
    let new_line1 = new_header.split_inclusive('\n').next().unwrap_or("");
    let mut out = Vec::new();
    for f in &outcome.files {
        let Some(text) = &f.found else { continue };
        if f.expected.is_none() {
            continue;
        }
        let ok = render::parse_header(text).is_some_and(|h| h.spec == old.name && h.sha256 == old_digest);
        let only_header = outcome
            .findings
            .iter()
            .filter(|x| x.file == f.path && x.severity != super::Severity::Warning)
            .all(|x| x.rule == Rule::SpecChanged);
        if ok && only_header && old_digest != new.sha256() {
            let rest = &text[text.split_inclusive('\n').next().unwrap_or("").len()..];
            out.push((f.path.clone(), format!("{new_line1}{rest}")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "0123456789abcdef0123456789abcdef01234567";

    fn loaded(text: &str) -> LoadedSpec {
        let p = std::path::Path::new;
        spec::from_text(p("wfgen.yaml"), "wfgen.yaml", p("."), text.into()).unwrap()
    }

    fn adopt(action: &str) -> Adopt {
        Adopt {
            action: action.into(),
            version: "v9.9.9".into(),
            sha: SHA.into(),
            old: None,
            seen_at: vec![],
        }
    }

    fn edited(text: &str, a: &[Adopt]) -> String {
        let s = loaded(text);
        let out = edit(&s, a).unwrap();
        reload(&s, out.clone(), a).unwrap();
        out
    }

    #[test]
    fn appends_a_pins_block_keeping_the_rest() {
        let text = "# my spec\nwfgen: 1  # format\nproject: { name: demo }\n";
        let out = edited(text, &[adopt("actions/checkout")]);
        assert!(out.starts_with(text), "{out}");
        assert!(out.ends_with(&format!(
            "pins:\n  actions/checkout: {{ version: v9.9.9, sha: {SHA} }}\n"
        )));
        // No final newline in the original.
        let out = edited(text.trim_end(), &[adopt("actions/checkout")]);
        assert!(out.contains("{ name: demo }\n# Action pins"), "{out}");
    }

    #[test]
    fn a_sha_that_reads_as_a_number_is_quoted() {
        let mut a = adopt("actions/checkout");
        a.sha = "1234567890123456789012345678901234567890".into();
        let out = edited("wfgen: 1\nproject: { name: demo }\n", &[a]);
        assert!(
            out.contains("sha: \"1234567890123456789012345678901234567890\""),
            "{out}"
        );
    }

    #[test]
    fn replaces_existing_pin_values_in_place() {
        let text = "wfgen: 1\nproject: { name: demo }\npins:\n  # keep me\n  actions/checkout:\n    version: v1.0.0   # old\n    sha: 3d3c42e5aac5ba805825da76410c181273ba90b1\nrelease: { draft: false }\n";
        let out = edited(text, &[adopt("actions/checkout")]);
        assert_eq!(
            out,
            text.replace("v1.0.0", "v9.9.9")
                .replace("3d3c42e5aac5ba805825da76410c181273ba90b1", SHA)
        );
    }

    #[test]
    fn adds_to_block_and_flow_and_empty_pins() {
        let text = "wfgen: 1\nproject: { name: demo }\npins:\n  a/b: { version: v1, sha: 3d3c42e5aac5ba805825da76410c181273ba90b1 }\n# after\n";
        let out = edited(text, &[adopt("actions/checkout")]);
        assert_eq!(
            out,
            text.replace(
                "# after",
                &format!("  actions/checkout: {{ version: v9.9.9, sha: {SHA} }}\n# after")
            )
        );

        let text = "wfgen: 1\nproject: { name: demo }\npins: {}\n";
        let out = edited(text, &[adopt("actions/checkout")]);
        assert_eq!(
            out,
            format!(
                "wfgen: 1\nproject: {{ name: demo }}\npins: {{ actions/checkout: {{ version: v9.9.9, sha: {SHA} }} }}\n"
            )
        );

        let text = "wfgen: 1\nproject: { name: demo }\npins: { a/b: { version: v1, sha: 3d3c42e5aac5ba805825da76410c181273ba90b1 } }\n";
        let out = edited(text, &[adopt("actions/checkout")]);
        assert!(out.contains(&format!("v1, sha: 3d3c42e5aac5ba805825da76410c181273ba90b1 }}, actions/checkout: {{ version: v9.9.9, sha: {SHA} }} }}")), "{out}");
    }
}
