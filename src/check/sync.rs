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
use crate::spec::LoadedSpec;
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
        let Some((action, sha)) = super::pindrift::split_uses(uses) else {
            continue;
        };
        let text = outcome.source(&f.file).unwrap_or("");
        let version = super::pindrift::version_comment(text, f.span.end);
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
            && let (Some((ea, _)), Some((ga, gr))) = (super::pindrift::split_uses(e), super::pindrift::split_uses(g))
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
///
/// Several layouts of the edit are tried (the `pins:` block at the end of the
/// file, after the last top-level entry, before the first one, or an entry of
/// a flow-style top-level mapping); the first one that [`prove`]s to change
/// nothing but `pins:` is the result. When none does, nothing is to be
/// written and the error says why.
pub fn edit(spec: &LoadedSpec, adopt: &[Adopt]) -> Result<String, String> {
    let mut first_err = None;
    for candidate in candidates(spec, adopt)? {
        match prove(spec, &candidate, adopt) {
            Ok(()) => return Ok(candidate),
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    Err(first_err.unwrap_or_else(|| format!("cannot find where to write `pins:` in {}", spec.name)))
}

/// Whether `text` ends with a line break: `\n`, or a bare `\r`, which YAML
/// also reads as one (a `\n` after it would join the two into one CRLF).
fn ends_with_break(text: &str) -> bool {
    text.ends_with('\n') || text.ends_with('\r')
}

/// The line ending of `text`: CRLF when its first line ends so, else LF.
fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The string keys of the mapping at `path` of `text`, in order.
fn keys_at(value: &yaml_serde::Value, key: Option<&str>) -> Vec<String> {
    let node = match key {
        Some(k) => value.get(k),
        None => Some(value),
    };
    let node = match node {
        Some(yaml_serde::Value::Tagged(t)) => &t.value,
        Some(v) => v,
        None => return Vec::new(),
    };
    node.as_mapping()
        .map(|m| m.keys().filter_map(|k| k.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// Where a span's node really starts: after a tag (`!!map`) and an anchor
/// (`&name`), each followed by blanks.
fn skip_properties(text: &str, mut s: usize, e: usize) -> usize {
    loop {
        let rest = &text[s..e];
        if !(rest.starts_with('!') || rest.starts_with('&')) {
            return s;
        }
        let tok = rest.find([' ', '\t', '\r', '\n']).unwrap_or(rest.len());
        let after = &rest[tok..];
        let blanks = after.len() - after.trim_start_matches([' ', '\t', '\r', '\n']).len();
        if tok + blanks == 0 {
            return s;
        }
        s += tok + blanks;
    }
}

/// The span of the value written at `path` itself: the alias token when the
/// value is an alias (`*name`; yamlpath answers with the node it names, which
/// is elsewhere), else the node. `None` when the key or its value is missing.
fn own_value(text: &str, loc: &crate::ypath::Located, path: &YPath) -> Option<(usize, usize)> {
    let (_, ke) = loc.exact_span(path, Part::Key)?;
    let rest = &text[ke..];
    let after_key = rest.trim_start_matches(['"', '\'', ' ', '\t']);
    let after_colon = after_key.strip_prefix(':')?;
    let v = after_colon.trim_start_matches([' ', '\t', '\r', '\n']);
    let vs = text.len() - v.len();
    if v.starts_with('*') {
        let len = v.find([' ', '\t', '\r', '\n', ',', '}', ']']).unwrap_or(v.len());
        return Some((vs, vs + len));
    }
    let (s, e) = loc.exact_span(path, Part::Value)?;
    (s >= ke).then_some((s, e))
}

/// The candidate edits of the spec text, most conventional layout first.
fn candidates(spec: &LoadedSpec, adopt: &[Adopt]) -> Result<Vec<String>, String> {
    let text = &spec.text;
    let loc = &spec.located;
    let nl = line_ending(text);
    let pins_path = YPath::root().key("pins");
    let value: yaml_serde::Value =
        yaml_serde::from_str(text).map_err(|e| format!("{} does not parse: {e}", spec.name))?;
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut new_entries = Vec::new();
    for a in adopt {
        let entry = pins_path.key(a.action.as_str());
        let whole = own_value(text, loc, &entry);
        // An alias (`*other`) as the pin: replace the alias, never the node it names.
        let aliased = whole.is_some_and(|(s, _)| text[s..].starts_with('*'));
        let vspan = own_value(text, loc, &entry.key("version"));
        let sspan = own_value(text, loc, &entry.key("sha"));
        match (spec.spec.pins.contains_key(&a.action), vspan, sspan) {
            (true, Some(v), Some(s)) if !aliased => {
                // Keep an anchor or tag on the value: its aliases must not
                // change, and the proof refuses the edit when one would.
                let v0 = skip_properties(text, v.0, v.1);
                let s0 = skip_properties(text, s.0, s.1);
                edits.push((v0, v.1, render::yaml_scalar(a.version.clone())));
                edits.push((s0, s.1, render::yaml_scalar(a.sha.clone())));
            }
            (true, _, _) => {
                let (s, e) = whole.ok_or_else(|| format!("cannot find `pins.{}` in {}", a.action, spec.name))?;
                edits.push((s, e, flow_pin(a)));
            }
            (false, _, _) => new_entries.push(format!("{}: {}", render::yaml_scalar(a.action.clone()), flow_pin(a))),
        }
    }

    let apply = |extra: Option<(usize, String)>| -> String {
        let mut all = edits.clone();
        if let Some((at, with)) = extra {
            all.push((at, at, with));
        }
        all.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
        let mut out = text.clone();
        for (s, e, with) in all {
            out.replace_range(s..e, &with);
        }
        out
    };
    if new_entries.is_empty() {
        return Ok(vec![apply(None)]);
    }

    // The end of the line holding byte `i` (after its line break).
    let next_line = |i: usize| text[i..].find('\n').map(|j| i + j + 1).unwrap_or(text.len());
    let lines = |indent: &str, at: usize| -> String {
        let pre = if at == text.len() && !text.is_empty() && !ends_with_break(text) {
            nl
        } else {
            ""
        };
        let body: String = new_entries.iter().map(|l| format!("{indent}{l}{nl}")).collect();
        format!("{pre}{body}")
    };
    let mut inserts: Vec<(usize, String)> = Vec::new();
    let key = loc.exact_span(&pins_path, Part::Key);
    let pins_value = loc.exact_span(&pins_path, Part::Value);
    let pin_keys = keys_at(&value, Some("pins"));
    match (key, pins_value) {
        (Some(_), Some((s0, e))) => {
            let s = skip_properties(text, s0, e);
            let last = pin_keys
                .last()
                .and_then(|k| own_value(text, loc, &pins_path.key(k.as_str())))
                .map(|(_, le)| le);
            if text[s..].starts_with('{') {
                // A flow mapping: the entries go right after its last entry
                // (a comment after it may hold anything, even `}`).
                let joined = new_entries.join(", ");
                match last {
                    Some(le) => inserts.push((le, format!(", {joined}"))),
                    None => inserts.push((s + 1, format!(" {joined} "))),
                }
            } else {
                // A block mapping: one line per entry after its last entry,
                // at the indentation of its keys.
                let first_key = pin_keys
                    .first()
                    .and_then(|k| loc.exact_span(&pins_path.key(k.as_str()), Part::Key))
                    .map(|(ks, _)| ks)
                    .unwrap_or(s);
                let indent = " ".repeat(crate::ypath::line_col(text, first_key).1 - 1);
                let end = last.unwrap_or_else(|| text[..e].trim_end().len());
                let at = next_line(end);
                inserts.push((at, lines(&indent, at)));
            }
        }
        (Some((ks, _)), None) => {
            // `pins:` with no value: the entries go under it.
            let indent = " ".repeat(crate::ypath::line_col(text, ks).1 + 1);
            let at = next_line(ks);
            inserts.push((at, lines(&indent, at)));
        }
        (None, _) => {
            let block = |at: usize| {
                let pre = if at == text.len() && !text.is_empty() && !ends_with_break(text) {
                    nl
                } else {
                    ""
                };
                let body: String = new_entries.iter().map(|l| format!("  {l}{nl}")).collect();
                format!("{pre}# Action pins adopted by `wfgen pins sync`.{nl}pins:{nl}{body}")
            };
            let top = keys_at(&value, None);
            let root_span = loc.exact_span(&YPath::root(), Part::Value);
            let flow_root = root_span.is_some_and(|(s, e)| text[skip_properties(text, s, e)..].starts_with('{'));
            let last_end = top
                .last()
                .and_then(|k| own_value(text, loc, &YPath::root().key(k.as_str())))
                .map(|(_, e)| e);
            if flow_root {
                // `{wfgen: 1, project: {...}}`: one more entry.
                let joined = new_entries.join(", ");
                if let Some(le) = last_end {
                    inserts.push((le, format!(", pins: {{ {joined} }}")));
                }
            } else {
                // At the end of the file; after the last top-level entry
                // (before a `...` or trailing comments); before the first
                // one (when the file ends in a block scalar with no final
                // line break, whose value anything appended would change).
                inserts.push((text.len(), block(text.len())));
                if let Some(le) = last_end {
                    let at = next_line(le);
                    if at != text.len() {
                        inserts.push((at, block(at)));
                    }
                }
                if let Some((ks, _)) = top
                    .first()
                    .and_then(|k| loc.exact_span(&YPath::root().key(k.as_str()), Part::Key))
                    && crate::ypath::line_col(text, ks).1 == 1
                {
                    inserts.push((ks, block(ks).trim_start_matches(['\r', '\n']).to_string()));
                }
            }
        }
    }
    Ok(inserts.into_iter().map(|i| apply(Some(i))).collect())
}

/// Proves that `new` (the edited text of `spec`) loads with the real loader
/// to exactly the values of `spec` outside `pins:`, and to `spec`'s pins with
/// `adopt` written into them. Errs, saying what would change, otherwise.
pub fn prove(spec: &LoadedSpec, new: &str, adopt: &[Adopt]) -> Result<(), String> {
    let refuse = |what: String| {
        format!(
            "pins sync refuses to write {name}: {what}; nothing was written\n  \
             help: write the pins by hand in the `pins:` of {name} (`wfgen pins list` shows them), \
             then run `wfgen check`",
            name = spec.name
        )
    };
    let reloaded = crate::spec_from_text(&spec.path, &spec.name, &spec.root, new.to_string())
        .map_err(|p| refuse(format!("the edited spec does not load ({})", p.oneline().join("; "))))?;
    let parse = |t: &str| yaml_serde::from_str::<yaml_serde::Value>(t).map_err(|e| refuse(format!("{e}")));
    let (old_v, new_v) = (parse(&spec.text)?, parse(new)?);
    let strip = |v: yaml_serde::Value| -> Result<yaml_serde::Mapping, String> {
        let v = match v {
            yaml_serde::Value::Tagged(t) => t.value,
            v => v,
        };
        match v {
            yaml_serde::Value::Mapping(mut m) => {
                m.remove("pins");
                Ok(m)
            }
            _ => Err(refuse("the spec is not a mapping".into())),
        }
    };
    let (old_m, new_m) = (strip(old_v)?, strip(new_v)?);
    if old_m != new_m {
        let changed: Vec<String> = old_m
            .iter()
            .filter(|(k, v)| new_m.get(*k) != Some(*v))
            .map(|(k, _)| k.as_str().unwrap_or("?").to_string())
            .chain(
                new_m
                    .keys()
                    .filter(|k| !old_m.contains_key(*k))
                    .map(|k| k.as_str().unwrap_or("?").to_string()),
            )
            .collect();
        return Err(refuse(format!(
            "the edit would also change `{}`, outside `pins:` (an anchor or alias shared with a pin, \
             or a block scalar at the end of the file, can make it so)",
            changed.join("`, `")
        )));
    }
    let mut want: BTreeMap<String, (String, String)> = spec
        .spec
        .pins
        .iter()
        .map(|(k, p)| (k.clone(), (p.version.clone(), p.sha.clone())))
        .collect();
    for a in adopt {
        want.insert(a.action.clone(), (a.version.clone(), a.sha.clone()));
    }
    let got: BTreeMap<String, (String, String)> = reloaded
        .spec
        .pins
        .iter()
        .map(|(k, p)| (k.clone(), (p.version.clone(), p.sha.clone())))
        .collect();
    if got != want {
        let diff: std::collections::BTreeSet<String> = want
            .keys()
            .chain(got.keys())
            .filter(|k| want.get(*k) != got.get(*k))
            .map(|k| format!("pins.{k}"))
            .collect();
        let diff: Vec<String> = diff.into_iter().collect();
        return Err(refuse(format!(
            "the edit would not give `pins:` the intended value ({} would differ; an alias between \
             pins can make it so)",
            diff.join(", ")
        )));
    }
    Ok(())
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
    let reloaded = crate::spec_from_text(&spec.path, &spec.name, &spec.root, text).map_err(|p| {
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
    let new_digest = new.sha256();
    let mut out = Vec::new();
    for f in &outcome.files {
        let Some(text) = &f.found else { continue };
        if f.expected.is_none() {
            continue;
        }
        let Some(h) = render::parse_header(text).filter(|h| h.spec == old.name && h.sha256 == old_digest) else {
            continue;
        };
        let only_header = outcome
            .findings
            .iter()
            .filter(|x| x.file == f.path && x.severity != super::Severity::Warning)
            .all(|x| x.rule == Rule::SpecChanged);
        if only_header && old_digest != new_digest {
            // The header keeps the wfgen version that wrote the file: only
            // `generate` renders with this one.
            let new_header = render::header_with(h.generator.as_deref(), &new.name, &new_digest);
            let new_line1 = new_header.split_inclusive('\n').next().unwrap_or("");
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
        crate::spec_from_text(p("wfgen.yaml"), "wfgen.yaml", p("."), text.into()).unwrap()
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
        // A bare CR is a line break for YAML: the block follows it, and the
        // text before is kept byte for byte (found by cargo fuzz: a `\n`
        // after it joined the two breaks into one CRLF).
        let cr = "wfgen: 1\nproject: { name: demo }\n# a comment \r\r\r";
        let out = edited(cr, &[adopt("actions/checkout")]);
        assert!(out.starts_with(&format!("{cr}# Action pins")), "{out:?}");
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

    fn refused(text: &str, a: &[Adopt]) -> String {
        let s = loaded(text);
        edit(&s, a).unwrap_err()
    }

    const HEAD: &str = "wfgen: 1\nproject: { name: demo }\n";

    #[test]
    fn a_block_scalar_at_the_end_without_a_final_newline_keeps_its_value() {
        for ind in ["|", "|+", ">", ">+"] {
            let text = format!("{HEAD}gates:\n  - name: build\n    run: {ind}\n      make build");
            let out = edited(&text, &[adopt("actions/checkout")]);
            // The pins go before the first key; the rest is byte for byte.
            assert!(out.ends_with(&text[..]), "{ind}: {out}");
            assert_eq!(
                out,
                format!(
                    "# Action pins adopted by `wfgen pins sync`.\npins:\n  actions/checkout: {{ version: v9.9.9, sha: {SHA} }}\n{text}"
                )
            );
        }
        // Strip chomping: a line break after the value does not change it.
        let text = format!("{HEAD}gates:\n  - name: build\n    run: |-\n      make build");
        let out = edited(&text, &[adopt("actions/checkout")]);
        assert!(out.starts_with(&format!("{text}\n# Action pins")), "{out}");
    }

    #[test]
    fn an_anchored_pin_value_used_elsewhere_is_refused() {
        let text = format!(
            "{HEAD}pins:\n  actions/checkout:\n    version: &v v7.0.1\n    sha: 3d3c42e5aac5ba805825da76410c181273ba90b1\ngates:\n  - name: v\n    run: *v\n"
        );
        let err = refused(&text, &[adopt("actions/checkout")]);
        assert!(err.contains("would also change `gates`"), "{err}");
        assert!(err.contains("nothing was written"), "{err}");
        assert!(err.contains("help: write the pins by hand"), "{err}");
    }

    #[test]
    fn an_aliased_pin_gets_its_own_value_and_the_anchored_one_stays() {
        let login = "3d3c42e5aac5ba805825da76410c181273ba90b1";
        let text = format!(
            "{HEAD}pins:\n  docker/login-action: &login {{ version: v3.0.0, sha: {login} }}\n  docker/metadata-action: *login\n"
        );
        let out = edited(&text, &[adopt("docker/metadata-action")]);
        assert_eq!(
            out,
            text.replace("*login", &format!("{{ version: v9.9.9, sha: {SHA} }}"))
        );
        let s = loaded(&out);
        assert_eq!(s.spec.pins["docker/login-action"].sha, login);
        // Adopting the anchored one alone would move its alias with it: refused.
        let err = refused(&text, &[adopt("docker/login-action")]);
        assert!(err.contains("pins.docker/metadata-action would differ"), "{err}");
    }

    #[test]
    fn a_flow_style_spec_gets_a_pins_entry() {
        let text = "{wfgen: 1, project: {name: x}}\n";
        let out = edited(text, &[adopt("actions/checkout")]);
        assert_eq!(
            out,
            format!(
                "{{wfgen: 1, project: {{name: x}}, pins: {{ actions/checkout: {{ version: v9.9.9, sha: {SHA} }} }}}}\n"
            )
        );
    }

    #[test]
    fn document_markers_stay_around_the_document() {
        let text = format!("---\n{HEAD}...\n");
        let out = edited(&text, &[adopt("actions/checkout")]);
        assert_eq!(
            out,
            format!(
                "---\n{HEAD}# Action pins adopted by `wfgen pins sync`.\npins:\n  actions/checkout: {{ version: v9.9.9, sha: {SHA} }}\n...\n"
            )
        );
    }

    #[test]
    fn a_tagged_pins_mapping_takes_new_entries() {
        let old = "3d3c42e5aac5ba805825da76410c181273ba90b1";
        let text = format!("{HEAD}pins: !!map\n  a/b: {{ version: v1, sha: {old} }}\n");
        let out = edited(&text, &[adopt("actions/checkout")]);
        assert_eq!(
            out,
            format!("{text}  actions/checkout: {{ version: v9.9.9, sha: {SHA} }}\n")
        );
        let text = format!("{HEAD}pins: !!map {{}}\n");
        let out = edited(&text, &[adopt("actions/checkout")]);
        assert_eq!(
            out,
            format!("{HEAD}pins: !!map {{ actions/checkout: {{ version: v9.9.9, sha: {SHA} }} }}\n")
        );
    }

    #[test]
    fn a_brace_in_a_comment_of_a_flow_pins_is_not_its_end() {
        let old = "3d3c42e5aac5ba805825da76410c181273ba90b1";
        let text = format!("{HEAD}pins: {{\n  a/b: {{ version: v1, sha: {old} }}, # the }} of a comment\n}}\n");
        let out = edited(&text, &[adopt("actions/checkout")]);
        assert_eq!(
            out,
            text.replace(
                "}, # the",
                &format!("}}, actions/checkout: {{ version: v9.9.9, sha: {SHA} }}, # the")
            )
        );
    }

    #[test]
    fn crlf_lines_stay_crlf() {
        let text = "wfgen: 1\r\nproject: { name: demo }\r\n";
        let out = edited(text, &[adopt("actions/checkout")]);
        assert_eq!(
            out,
            format!(
                "{text}# Action pins adopted by `wfgen pins sync`.\r\npins:\r\n  actions/checkout: {{ version: v9.9.9, sha: {SHA} }}\r\n"
            )
        );
        let text = "wfgen: 1\r\nproject: { name: demo }\r\npins:\r\n  a/b: { version: v1, sha: 3d3c42e5aac5ba805825da76410c181273ba90b1 }\r\n";
        let out = edited(text, &[adopt("actions/checkout")]);
        assert_eq!(
            out,
            format!("{text}  actions/checkout: {{ version: v9.9.9, sha: {SHA} }}\r\n")
        );
    }
}
