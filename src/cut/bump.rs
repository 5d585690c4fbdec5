//! `wfgen bump VERSION`: writes a release's version into every file of
//! `versioning.version-files`, each in its own format and with a
//! format-preserving editor (toml_edit for TOML, the YAML span index for
//! Chart.yaml, a scan of the top-level object for package.json): comments,
//! order, quoting and every other value stay as they were.
//!
//! What is written, by file name (the same places the release's "Check the
//! version files" step reads):
//! - `Cargo.toml`: `[package] version`; a package with `version.workspace =
//!   true` gets its workspace's `[workspace.package] version` written (the
//!   workspace root found as Cargo finds it); a workspace root without
//!   `[package]` its `[workspace.package] version`. The `Cargo.lock` beside
//!   the workspace root gets the new version in the entries of the packages
//!   whose version changed (path packages only, never a registry one).
//!   Written as SemVer (`1.2.0-rc1` for PEP 440's `1.2.0rc1`).
//! - `pyproject.toml`: `[project] version`, else `[tool.poetry] version`, in
//!   PEP 440's normal form; a dynamic version is left alone (its source, such
//!   as Cargo.toml, is bumped instead) and reported as skipped.
//! - `package.json`: the top-level `"version"`, as SemVer.
//! - `Chart.yaml`: `version`, and `appVersion` where the release sets it
//!   (the spec's `helm` entry for the chart) or where it equals the old
//!   version; exactly the values the release packages the chart with.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::plan::version::{Version, pep440_normal};
use crate::ypath::{Located, Part, YPath};

/// The versions to write, per format, for one release tag.
#[derive(Debug, Clone)]
pub struct Target {
    /// SemVer spelling (Cargo.toml, package.json, Chart.yaml).
    pub semver: String,
    /// PEP 440 normal form (pyproject.toml); None when the version has none.
    pub pep440: Option<String>,
    /// Chart directory (relative, no trailing `/`) -> (version, appVersion)
    /// the release packages it with.
    pub charts: BTreeMap<String, (String, String)>,
}

impl Target {
    /// The versions of a release version `v`.
    pub fn of(v: &Version) -> Target {
        Target {
            semver: crate::plan::semver_for_helm(v),
            pep440: pep440_normal(&v.version).or_else(|| pep440_normal(&v.pep440)),
            charts: BTreeMap::new(),
        }
    }
}

/// One value that `bump` writes (or, where `from == to`, would leave).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The file, relative to the repository root.
    pub file: String,
    /// The value, e.g. `[package] version`.
    pub what: String,
    pub from: String,
    pub to: String,
}

/// A version file left alone, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub file: String,
    pub reason: String,
}

/// Everything `bump` would do: the values, the files left alone, and the
/// new text of every file that changes.
#[derive(Debug, Default)]
pub struct Bump {
    pub changes: Vec<Change>,
    pub skipped: Vec<Skip>,
    /// Relative path -> new text, only for files whose text changes.
    pub writes: BTreeMap<String, String>,
}

impl Bump {
    /// Whether any file differs from the target.
    pub fn differs(&self) -> bool {
        self.changes.iter().any(|c| c.from != c.to)
    }

    /// What `wfgen bump` prints: one line per value, then the files left
    /// alone (cut.yml's writer prints the same lines).
    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .changes
            .iter()
            .map(|c| {
                if c.from == c.to {
                    format!("{}: {} {} (unchanged)", c.file, c.what, c.to)
                } else {
                    format!("{}: {} {} -> {}", c.file, c.what, c.from, c.to)
                }
            })
            .collect();
        lines.extend(
            self.skipped
                .iter()
                .map(|s| format!("{}: skipped: {}", s.file, s.reason)),
        );
        lines
    }
}

/// The files being edited: read once, edited in memory.
struct Texts<'a> {
    root: &'a Path,
    texts: BTreeMap<String, String>,
    original: BTreeMap<String, String>,
}

impl Texts<'_> {
    fn get(&mut self, rel: &str) -> Result<String, String> {
        if let Some(t) = self.texts.get(rel) {
            return Ok(t.clone());
        }
        let text = crate::fsio::read_inside(self.root, &self.root.join(rel)).map_err(|e| format!("{rel}: {e}"))?;
        self.original.insert(rel.to_string(), text.clone());
        self.texts.insert(rel.to_string(), text.clone());
        Ok(text)
    }

    fn set(&mut self, rel: &str, text: String) {
        self.texts.insert(rel.to_string(), text);
    }
}

/// Plans writing `target` into `files` (relative to `root`). Errors: one
/// line per file that cannot be bumped (missing, unreadable, no version).
pub fn bump(root: &Path, files: &[String], target: &Target) -> Result<Bump, Vec<String>> {
    let mut texts = Texts {
        root,
        texts: BTreeMap::new(),
        original: BTreeMap::new(),
    };
    let mut out = Bump::default();
    let mut errors = Vec::new();
    for file in files {
        let rel = file.trim_start_matches("./").to_string();
        let name = rel.rsplit('/').next().unwrap_or(&rel);
        let done = match name {
            "Cargo.toml" => cargo(&mut texts, &rel, target, &mut out),
            "pyproject.toml" => pyproject(&mut texts, &rel, target, &mut out),
            "package.json" => package_json(&mut texts, &rel, target, &mut out),
            "Chart.yaml" => chart(&mut texts, &rel, target, &mut out),
            _ => Err(format!(
                "{rel}: wfgen reads and writes versions in Cargo.toml, pyproject.toml, package.json and Chart.yaml only"
            )),
        };
        if let Err(e) = done {
            errors.push(e);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    out.changes.dedup();
    for (rel, text) in texts.texts {
        if texts.original.get(&rel) != Some(&text) {
            out.writes.insert(rel, text);
        }
    }
    Ok(out)
}

/// Writes what [`bump`] planned, each file atomically.
pub fn write(root: &Path, b: &Bump) -> Result<(), String> {
    for (rel, text) in &b.writes {
        crate::fsio::write_atomic(root, &root.join(rel), text)?;
    }
    Ok(())
}

fn parse_toml(rel: &str, text: &str) -> Result<toml_edit::DocumentMut, String> {
    text.parse::<toml_edit::DocumentMut>()
        .map_err(|e| format!("{rel}: not valid TOML: {}", e.message()))
}

/// The span of the string at `path` in `text` (quotes included), and its
/// value. None when there is no such string.
fn toml_string_at(text: &str, path: &[&str]) -> Option<(std::ops::Range<usize>, String)> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let mut item = doc.as_item();
    for k in path {
        item = item.get(k)?;
    }
    let value = item.as_value()?;
    Some((value.span()?, value.as_str()?.to_string()))
}

/// `text` with the quoted string at `span` holding `to`, its quotes kept.
/// None for a string in a form the edit does not keep (multi-line, or with
/// escapes).
fn replace_string(text: &str, span: std::ops::Range<usize>, to: &str) -> Option<String> {
    let src = text.get(span.clone())?;
    let q = src.chars().next()?;
    let inner = src.strip_prefix(q)?.strip_suffix(q)?;
    if !matches!(q, '"' | '\'') || inner.starts_with(q) || inner.contains('\\') {
        return None;
    }
    let mut out = text.to_string();
    out.replace_range(span.start + 1..span.end - 1, to);
    Some(out)
}

fn inherits_version(doc: &toml_edit::DocumentMut) -> bool {
    doc.get("package")
        .and_then(|p| p.get("version"))
        .and_then(|v| v.get("workspace"))
        .and_then(|w| w.as_bool())
        == Some(true)
}

fn parent_dir(rel: &str) -> String {
    match rel.rsplit_once('/') {
        Some((d, _)) => d.to_string(),
        None => String::new(),
    }
}

fn join_rel(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// `a/b/../c` -> `a/c`; None when it leaves the repository.
fn normalize(rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The Cargo.toml of the workspace that the package at `rel` belongs to.
fn workspace_root(texts: &mut Texts, rel: &str, doc: &toml_edit::DocumentMut) -> Result<String, String> {
    if doc.get("workspace").is_some() {
        return Ok(rel.to_string());
    }
    let dir = parent_dir(rel);
    if let Some(ws) = doc
        .get("package")
        .and_then(|p| p.get("workspace"))
        .and_then(|w| w.as_str())
    {
        return normalize(&join_rel(&join_rel(&dir, ws), "Cargo.toml"))
            .ok_or_else(|| format!("{rel}: package.workspace `{ws}` leaves the repository"));
    }
    let mut at = dir;
    while !at.is_empty() {
        at = parent_dir(&at);
        let candidate = join_rel(&at, "Cargo.toml");
        if texts.root.join(&candidate).is_file() {
            let text = texts.get(&candidate)?;
            if parse_toml(&candidate, &text)?.get("workspace").is_some() {
                return Ok(candidate);
            }
        }
    }
    Err(format!(
        "{rel}: `version.workspace = true`, but no Cargo.toml with [workspace] above it in the repository"
    ))
}

fn cargo(texts: &mut Texts, rel: &str, target: &Target, out: &mut Bump) -> Result<(), String> {
    let text = texts.get(rel)?;
    let doc = parse_toml(rel, &text)?;
    let has_package = doc.get("package").is_some();
    if has_package && !inherits_version(&doc) {
        let name = doc["package"]
            .get("name")
            .and_then(|n| n.as_str())
            .unwrap_or_default()
            .to_string();
        let old = edit_toml(texts, rel, &["package"], "version", &target.semver, out)?;
        return cargo_lock(texts, &parent_dir(rel), &[name], &old, target, out);
    }
    let root = if has_package {
        workspace_root(texts, rel, &doc)?
    } else {
        rel.to_string()
    };
    let root_text = texts.get(&root)?;
    let root_doc = parse_toml(&root, &root_text)?;
    if root_doc
        .get("workspace")
        .and_then(|w| w.get("package"))
        .and_then(|p| p.get("version"))
        .is_none()
    {
        return Err(if has_package {
            format!("{rel}: `version.workspace = true`, but {root} has no [workspace.package] version")
        } else {
            format!("{rel}: no [package] version and no [workspace.package] version")
        });
    }
    let old = edit_toml(texts, &root, &["workspace", "package"], "version", &target.semver, out)?;
    let members = inheriting_members(texts, &root, &root_doc)?;
    cargo_lock(texts, &parent_dir(&root), &members, &old, target, out)
}

/// Edits `[path] key` of the TOML file `rel` to `to`, in place (its quotes,
/// spaces and comments kept); records the change and returns the old value.
fn edit_toml(
    texts: &mut Texts,
    rel: &str,
    path: &[&str],
    key: &str,
    to: &str,
    out: &mut Bump,
) -> Result<String, String> {
    let text = texts.get(rel)?;
    parse_toml(rel, &text)?;
    let what = format!("[{}] {key}", path.join("."));
    let full: Vec<&str> = path.iter().copied().chain(std::iter::once(key)).collect();
    let (span, old) = toml_string_at(&text, &full).ok_or_else(|| format!("{rel}: no {what} string"))?;
    out.changes.push(Change {
        file: rel.to_string(),
        what: what.clone(),
        from: old.clone(),
        to: to.to_string(),
    });
    if old != to {
        let new = replace_string(&text, span, to).ok_or_else(|| format!("{rel}: cannot write {what} in place"))?;
        texts.set(rel, new);
    }
    Ok(old)
}

/// The names of the workspace's packages that take its version: the root's
/// own package and every member (`members` globs, minus `exclude`) with
/// `version.workspace = true`.
fn inheriting_members(texts: &mut Texts, root: &str, doc: &toml_edit::DocumentMut) -> Result<Vec<String>, String> {
    let dir = parent_dir(root);
    let strings = |key: &str| -> Vec<String> {
        doc.get("workspace")
            .and_then(|w| w.get(key))
            .and_then(|m| m.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
            .unwrap_or_default()
    };
    let excluded: Vec<String> = strings("exclude")
        .iter()
        .filter_map(|e| normalize(&join_rel(&dir, e)))
        .collect();
    let mut manifests = vec![root.to_string()];
    for pattern in strings("members") {
        for m in expand_glob(texts.root, &join_rel(&dir, &pattern)) {
            if !excluded.contains(&m) {
                manifests.push(join_rel(&m, "Cargo.toml"));
            }
        }
    }
    let mut names = Vec::new();
    for m in manifests {
        if !texts.root.join(&m).is_file() {
            continue;
        }
        let text = texts.get(&m)?;
        let d = parse_toml(&m, &text)?;
        if inherits_version(&d)
            && let Some(n) = d.get("package").and_then(|p| p.get("name")).and_then(|n| n.as_str())
        {
            names.push(n.to_string());
        }
    }
    Ok(names)
}

/// The directories (relative) that a members glob names.
fn expand_glob(root: &Path, pattern: &str) -> Vec<String> {
    let Some(pattern) = normalize(pattern) else {
        return Vec::new();
    };
    let mut at: Vec<(PathBuf, String)> = vec![(root.to_path_buf(), String::new())];
    for seg in pattern.split('/').filter(|s| !s.is_empty()) {
        let mut next = Vec::new();
        for (abs, rel) in &at {
            if !seg.contains(['*', '?', '[']) {
                let p = abs.join(seg);
                if p.is_dir() {
                    next.push((p, join_rel(rel, seg)));
                }
                continue;
            }
            let Some(re) = crate::spec::tree::segment_glob(seg) else {
                continue;
            };
            let mut names: Vec<String> = std::fs::read_dir(abs)
                .into_iter()
                .flatten()
                .flatten()
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| !n.starts_with('.') && re.is_match(n))
                .collect();
            names.sort();
            for n in names {
                next.push((abs.join(&n), join_rel(rel, &n)));
            }
        }
        at = next;
    }
    at.into_iter().map(|(_, rel)| rel).collect()
}

/// The Cargo.lock beside the workspace root `dir`: the path packages named
/// `names` at version `old` get the new version.
fn cargo_lock(
    texts: &mut Texts,
    dir: &str,
    names: &[String],
    old: &str,
    target: &Target,
    out: &mut Bump,
) -> Result<(), String> {
    let lock = join_rel(dir, "Cargo.lock");
    if !texts.root.join(&lock).is_file() || old == target.semver {
        return Ok(());
    }
    let text = texts.get(&lock)?;
    parse_toml(&lock, &text)?;
    let doc =
        toml_edit::Document::parse(text.as_str()).map_err(|e| format!("{lock}: not valid TOML: {}", e.message()))?;
    let Some(packages) = doc.get("package").and_then(|p| p.as_array_of_tables()) else {
        return Ok(());
    };
    let mut spans = Vec::new();
    for p in packages.iter() {
        let ours = p.get("source").is_none()
            && p.get("name")
                .and_then(|n| n.as_str())
                .is_some_and(|n| names.iter().any(|x| x == n))
            && p.get("version").and_then(|v| v.as_str()) == Some(old);
        if !ours {
            continue;
        }
        let name = p.get("name").and_then(|n| n.as_str()).unwrap_or_default().to_string();
        let Some(span) = p.get("version").and_then(|v| v.as_value()).and_then(|v| v.span()) else {
            continue;
        };
        out.changes.push(Change {
            file: lock.clone(),
            what: format!("package {name}"),
            from: old.to_string(),
            to: target.semver.clone(),
        });
        spans.push(span);
    }
    let mut new = text.clone();
    for span in spans.into_iter().rev() {
        new = replace_string(&new, span, &target.semver)
            .ok_or_else(|| format!("{lock}: cannot write the versions in place"))?;
    }
    if new != text {
        texts.set(&lock, new);
    }
    Ok(())
}

fn pyproject(texts: &mut Texts, rel: &str, target: &Target, out: &mut Bump) -> Result<(), String> {
    let text = texts.get(rel)?;
    let doc = parse_toml(rel, &text)?;
    let Some(pep440) = &target.pep440 else {
        return Err(format!(
            "{rel}: the version `{}` has no PEP 440 form, which a Python package needs",
            target.semver
        ));
    };
    let project = doc.get("project");
    let dynamic = project
        .and_then(|p| p.get("dynamic"))
        .and_then(|d| d.as_array())
        .is_some_and(|a| a.iter().any(|v| v.as_str() == Some("version")));
    if dynamic {
        out.skipped.push(Skip {
            file: rel.to_string(),
            reason: "its version is dynamic ([project] dynamic); the build takes it from its source".into(),
        });
        return Ok(());
    }
    if project.and_then(|p| p.get("version")).is_some() {
        edit_toml(texts, rel, &["project"], "version", pep440, out)?;
        return Ok(());
    }
    let tool = doc.get("tool");
    let pdv = tool
        .and_then(|t| t.get("poetry-dynamic-versioning"))
        .and_then(|p| p.get("enable"))
        .and_then(|e| e.as_bool())
        == Some(true);
    if pdv {
        out.skipped.push(Skip {
            file: rel.to_string(),
            reason: "poetry-dynamic-versioning sets its version from the tag".into(),
        });
        return Ok(());
    }
    if tool
        .and_then(|t| t.get("poetry"))
        .and_then(|p| p.get("version"))
        .is_some()
    {
        edit_toml(texts, rel, &["tool", "poetry"], "version", pep440, out)?;
        return Ok(());
    }
    Err(format!("{rel}: no [project] version and no [tool.poetry] version"))
}

/// The byte span of the contents of the top-level `"version"` string of a
/// JSON object (between its quotes).
fn json_version_span(text: &str) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut depth = 0usize;
    // Whether the next string at depth 1 is a key.
    let mut want_key = false;
    let mut last_key: Option<(usize, usize)> = None;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                let end = i.min(b.len());
                if depth == 1 {
                    if want_key {
                        last_key = Some((start, end));
                        want_key = false;
                    } else if let Some((ks, ke)) = last_key.take()
                        && &text[ks..ke] == "version"
                    {
                        return Some((start, end));
                    }
                }
            }
            b'{' | b'[' => {
                depth += 1;
                if depth == 1 && b[i] == b'{' {
                    want_key = true;
                }
                if depth > 1 {
                    last_key = None;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => {
                want_key = true;
                last_key = None;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn package_json(texts: &mut Texts, rel: &str, target: &Target, out: &mut Bump) -> Result<(), String> {
    let text = texts.get(rel)?;
    let parsed: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{rel}: not valid JSON: {e}"))?;
    if !parsed.get("version").is_some_and(|v| v.is_string()) {
        return Err(format!("{rel}: no top-level \"version\" string"));
    }
    let (s, e) = json_version_span(&text).ok_or_else(|| format!("{rel}: no top-level \"version\" string"))?;
    let old = text[s..e].to_string();
    out.changes.push(Change {
        file: rel.to_string(),
        what: "\"version\"".into(),
        from: old.clone(),
        to: target.semver.clone(),
    });
    if old != target.semver {
        let mut new = text.clone();
        new.replace_range(s..e, &target.semver);
        texts.set(rel, new);
    }
    Ok(())
}

/// The unquoted value of a YAML scalar's source text, and whether it was
/// quoted with `q`.
fn yaml_scalar(src: &str) -> (String, Option<char>) {
    for q in ['"', '\''] {
        if let Some(inner) = src.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
            return (inner.to_string(), Some(q));
        }
    }
    (src.to_string(), None)
}

fn chart(texts: &mut Texts, rel: &str, target: &Target, out: &mut Bump) -> Result<(), String> {
    let text = texts.get(rel)?;
    let loc = Located::new(&text);
    let dir = parent_dir(rel);
    let (version, app) = match target.charts.get(&dir) {
        Some((v, a)) => (v.clone(), Some(a.clone())),
        None => (target.semver.clone(), None),
    };
    let span_of = |key: &str| loc.exact_span(&YPath::root().key(key), Part::Value);
    let Some(vspan) = span_of("version") else {
        return Err(format!("{rel}: no top-level version"));
    };
    let (old, _) = yaml_scalar(&text[vspan.0..vspan.1]);
    let mut edits = vec![(vspan, version.clone())];
    out.changes.push(Change {
        file: rel.to_string(),
        what: "version".into(),
        from: old.clone(),
        to: version.clone(),
    });
    if let Some(aspan) = span_of("appVersion") {
        let (old_app, _) = yaml_scalar(&text[aspan.0..aspan.1]);
        let to = match app {
            Some(a) => Some(a),
            // appVersion follows the release where it was the old version.
            None if old_app == old || old_app.trim_start_matches('v') == old => Some(if old_app.starts_with('v') {
                format!("v{version}")
            } else {
                version.clone()
            }),
            None => None,
        };
        if let Some(to) = to {
            out.changes.push(Change {
                file: rel.to_string(),
                what: "appVersion".into(),
                from: old_app,
                to: to.clone(),
            });
            edits.push((aspan, to));
        }
    }
    // Later spans first, so the earlier offsets stay valid.
    edits.sort_by_key(|((s, _), _)| std::cmp::Reverse(*s));
    let mut new = text.clone();
    for ((s, e), value) in edits {
        let (_, quote) = yaml_scalar(&text[s..e]);
        let written = match quote {
            Some(q) => format!("{q}{value}{q}"),
            // A bare scalar that YAML would read as something else is quoted.
            None if value.parse::<f64>().is_ok() => format!("\"{value}\""),
            None => value,
        };
        new.replace_range(s..e, &written);
    }
    if new != text {
        texts.set(rel, new);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(semver: &str, pep440: &str) -> Target {
        Target {
            semver: semver.into(),
            pep440: Some(pep440.into()),
            charts: BTreeMap::new(),
        }
    }

    fn write(dir: &Path, rel: &str, text: &str) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    #[test]
    fn cargo_workspace_and_lock() {
        let d = tempfile::tempdir().expect("tempdir");
        write(
            d.path(),
            "Cargo.toml",
            "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.package]\n# the release version\nversion = \"0.4.1\"  # bumped by wfgen\nedition = \"2021\"\n\n[workspace.dependencies]\nserde = { version = \"0.4.1\" }\n",
        );
        write(
            d.path(),
            "crates/a/Cargo.toml",
            "[package]\nname = \"a\"\nversion.workspace = true\n",
        );
        write(
            d.path(),
            "crates/b/Cargo.toml",
            "[package]\nname = \"b\"\nversion = \"0.4.1\"\n",
        );
        write(
            d.path(),
            "Cargo.lock",
            "version = 4\n\n[[package]]\nname = \"a\"\nversion = \"0.4.1\"\n\n[[package]]\nname = \"b\"\nversion = \"0.4.1\"\n\n[[package]]\nname = \"serde\"\nversion = \"0.4.1\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
        );
        let b = bump(
            d.path(),
            &["crates/a/Cargo.toml".into()],
            &target("0.5.0-rc1", "0.5.0rc1"),
        )
        .expect("bump");
        assert_eq!(
            b.writes["Cargo.toml"],
            "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.package]\n# the release version\nversion = \"0.5.0-rc1\"  # bumped by wfgen\nedition = \"2021\"\n\n[workspace.dependencies]\nserde = { version = \"0.4.1\" }\n"
        );
        // Only `a` takes the workspace version; the registry's serde stays.
        assert_eq!(
            b.writes["Cargo.lock"],
            "version = 4\n\n[[package]]\nname = \"a\"\nversion = \"0.5.0-rc1\"\n\n[[package]]\nname = \"b\"\nversion = \"0.4.1\"\n\n[[package]]\nname = \"serde\"\nversion = \"0.4.1\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
        );
        assert!(!b.writes.contains_key("crates/a/Cargo.toml"));
    }

    #[test]
    fn pyproject_package_json_chart() {
        let d = tempfile::tempdir().expect("tempdir");
        write(
            d.path(),
            "pyproject.toml",
            "[project]\nname = \"x\"\nversion = '1.1.0'\ndependencies = [\"y==1.1.0\"]\n",
        );
        write(
            d.path(),
            "py/pyproject.toml",
            "[project]\nname = \"z\"\ndynamic = [\"version\"]\n",
        );
        write(
            d.path(),
            "poetry/pyproject.toml",
            "[tool.poetry]\nname = \"p\"\nversion = \"1.1.0\"\n",
        );
        write(
            d.path(),
            "web/package.json",
            "{\n  \"name\": \"w\",\n  \"dependencies\": { \"version\": \"1\" },\n  \"version\": \"1.1.0\"\n}\n",
        );
        write(
            d.path(),
            "charts/c/Chart.yaml",
            "apiVersion: v2\nname: c\n# chart\nversion: 1.1.0 # here\nappVersion: \"v1.1.0\"\n",
        );
        let files: Vec<String> = [
            "pyproject.toml",
            "py/pyproject.toml",
            "poetry/pyproject.toml",
            "web/package.json",
            "charts/c/Chart.yaml",
        ]
        .map(String::from)
        .to_vec();
        let b = bump(d.path(), &files, &target("1.2.0-rc1", "1.2.0rc1")).expect("bump");
        assert_eq!(
            b.writes["pyproject.toml"],
            "[project]\nname = \"x\"\nversion = '1.2.0rc1'\ndependencies = [\"y==1.1.0\"]\n"
        );
        assert_eq!(b.skipped.len(), 1);
        assert_eq!(
            b.writes["poetry/pyproject.toml"],
            "[tool.poetry]\nname = \"p\"\nversion = \"1.2.0rc1\"\n"
        );
        assert_eq!(
            b.writes["web/package.json"],
            "{\n  \"name\": \"w\",\n  \"dependencies\": { \"version\": \"1\" },\n  \"version\": \"1.2.0-rc1\"\n}\n"
        );
        assert_eq!(
            b.writes["charts/c/Chart.yaml"],
            "apiVersion: v2\nname: c\n# chart\nversion: 1.2.0-rc1 # here\nappVersion: \"v1.2.0-rc1\"\n"
        );
        assert!(b.differs());
        // Bumped again: nothing differs, nothing is written.
        super::write(d.path(), &b).expect("write");
        let again = bump(d.path(), &files, &target("1.2.0-rc1", "1.2.0rc1")).expect("bump");
        assert!(!again.differs() && again.writes.is_empty(), "{again:?}");
    }

    #[test]
    fn errors_name_the_file() {
        let d = tempfile::tempdir().expect("tempdir");
        write(d.path(), "Cargo.toml", "[package]\nname = \"x\"\n");
        write(d.path(), "VERSION", "1\n");
        let e = bump(
            d.path(),
            &["Cargo.toml".into(), "VERSION".into(), "gone/Chart.yaml".into()],
            &target("1.0.0", "1.0.0"),
        )
        .expect_err("errors");
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e[0].starts_with("Cargo.toml: no [package] version"), "{e:?}");
        assert!(e[1].starts_with("VERSION: "), "{e:?}");
        assert!(e[2].starts_with("gone/Chart.yaml: "), "{e:?}");
    }
}
