//! `wfgen pins list` and `wfgen pins sync`.

use std::collections::BTreeMap;

use super::exit;
use crate::check::{pindrift, sync};
use crate::fsio;
use crate::plan::pins::PinSource;
use crate::spec::LoadedSpec;

/// Lists the pins the generated workflows use (and every pin the spec
/// sets), with where each comes from; `all` lists the whole table.
pub fn list(spec: &LoadedSpec, all: bool, json: bool) -> i32 {
    let table = crate::plan::pins::resolve(&spec.spec);
    let mut used: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in crate::generate(spec) {
        let file = r.path.rsplit('/').next().unwrap_or(&r.path).to_string();
        for u in pindrift::scan(&r.path, &r.text) {
            let files = used.entry(u.action).or_default();
            if !files.contains(&file) {
                files.push(file.clone());
            }
        }
    }
    let rows: Vec<_> = table
        .0
        .values()
        .filter(|p| all || used.contains_key(&p.action) || p.source == PinSource::Spec)
        .map(|p| (p, used.get(&p.action).cloned().unwrap_or_default()))
        .collect();
    if json {
        let v: Vec<_> = rows
            .iter()
            .map(|(p, files)| {
                serde_json::json!({
                    "action": p.action,
                    "version": p.version,
                    "sha": p.sha,
                    "source": p.source,
                    "used_in": files,
                })
            })
            .collect();
        outln!("{}", serde_json::to_string_pretty(&v).expect("pins serialize"));
        return exit::OK;
    }
    if rows.is_empty() {
        outln!("the generated workflows use no actions");
        return exit::OK;
    }
    let w = rows.iter().map(|(p, _)| p.action.len()).max().unwrap_or(6).max(6);
    let vw = rows.iter().map(|(p, _)| p.version.len()).max().unwrap_or(7).max(7);
    outln!(
        "{:w$}  {:vw$}  {:40}  {:8}  USED IN",
        "ACTION",
        "VERSION",
        "SHA",
        "SOURCE"
    );
    for (p, files) in rows {
        let source = match p.source {
            PinSource::Builtin => "built-in",
            PinSource::Spec => "spec",
        };
        let files = if files.is_empty() {
            "(unused)".to_string()
        } else {
            files.join(", ")
        };
        outln!("{:w$}  {:vw$}  {:40}  {source:8}  {files}", p.action, p.version, p.sha);
    }
    exit::OK
}

/// Writes the pins found in the workflows on disk (pin drift) into the
/// spec's `pins:` block, then points the generated workflows' headers at the
/// new spec digest.
pub fn sync(spec: &LoadedSpec, dry_run: bool, color: bool) -> i32 {
    let on_disk = match fsio::workflow_files(&spec.root) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::FATAL;
        }
    };
    // A FIFO, socket or device among the workflows: refuse, as generate does.
    let odd: Vec<&String> = on_disk
        .iter()
        .filter_map(|d| d.text.as_ref().err())
        .filter(|e| e.contains("not a regular file"))
        .collect();
    if !odd.is_empty() {
        for e in odd {
            eprintln!("error: {e}");
        }
        eprintln!("  help: remove it from .github/workflows (a workflow is a regular file); nothing was written");
        return exit::FATAL;
    }
    let rendered = crate::generate(spec);
    let plan = sync::plan(spec, &rendered, &on_disk);
    for s in &plan.skipped {
        eprintln!("skipped: {s}");
    }
    if plan.adopt.is_empty() {
        outln!("{}: no pins to adopt; the workflows use the spec's pins", spec.name);
        return exit::OK;
    }
    let text = match sync::edit(spec, &plan.adopt).and_then(|t| sync::reload(spec, t, &plan.adopt)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::FATAL;
        }
    };
    for a in &plan.adopt {
        let old = a
            .old
            .as_ref()
            .map(|(v, s)| format!("{v} ({})", &s[..12.min(s.len())]))
            .unwrap_or_else(|| "none".into());
        outln!(
            "{} {}: {old} -> {} ({}), seen at {}",
            if dry_run { "would pin" } else { "pinned" },
            a.action,
            a.version,
            &a.sha[..12],
            a.seen_at.join(", ")
        );
    }
    if dry_run {
        let (a, b) = (format!("{} (now)", spec.name), format!("{} (after sync)", spec.name));
        if let Some(d) = crate::report::diff::labeled(&spec.text, &text.text, &a, &b, color) {
            out!("{d}");
        }
        outln!("dry run: nothing was written");
        return exit::OK;
    }
    let headers = sync::headers_to_update(spec, &text, &crate::generate(&text), &on_disk);
    let spec_path = std::path::absolute(&spec.path).unwrap_or_else(|_| spec.path.clone());
    // The loader strips a byte order mark; the file keeps it.
    let bom = std::fs::read(&spec_path).is_ok_and(|b| b.starts_with("\u{feff}".as_bytes()));
    let bytes = [if bom { "\u{feff}" } else { "" }, text.text.as_str()].concat();
    // A spec that is a symlink inside the repository is written through (the
    // link stays); one that leads out of the repository is refused.
    if let Err(e) = fsio::write_through(&spec.root, &spec_path, bytes.as_bytes()) {
        eprintln!("error: {e}");
        return exit::FATAL;
    }
    outln!("updated {}", spec.name);
    for (path, new_text) in headers {
        if let Err(e) = fsio::write_atomic(&spec.root, &fsio::join(&spec.root, &path), &new_text) {
            eprintln!("error: {e}");
            return exit::FATAL;
        }
        outln!("updated the header of {path}");
    }
    exit::OK
}
