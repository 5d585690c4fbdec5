//! Finding, reading and parsing wfgen.yaml into a [`Spec`], with every
//! structural problem (YAML syntax, unknown key, wrong type, unknown value)
//! located in the file.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use sha2::{Digest, Sha256};
use yaml_serde::Value as Yaml;

use super::Spec;
use super::validate::Problems;
use crate::diag::{Problem, SourceProblems};
use crate::ypath::{Located, Part, YPath};

/// A spec read from disk, parsed and validated.
pub struct LoadedSpec {
    pub spec: Spec,
    /// Path of the spec file as given or found.
    pub path: PathBuf,
    /// The spec's path relative to the repository root, `/`-separated
    /// (`wfgen.yaml` or `.github/wfgen.yaml`): the name in headers and reports.
    pub name: String,
    /// The repository root: the spec's directory, or its parent when the
    /// spec lives in `.github/`.
    pub root: PathBuf,
    pub text: String,
    pub located: Located,
}

impl LoadedSpec {
    /// Lowercase hex sha256 of the spec's bytes.
    pub fn sha256(&self) -> String {
        sha256_hex(self.text.as_bytes())
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Why a spec could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// No spec file was found, or it could not be read.
    Io(String),
    /// The spec was read and has problems.
    Invalid(SourceProblems),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Io(m) => f.write_str(m),
            LoadError::Invalid(p) => p.fmt(f),
        }
    }
}

impl std::error::Error for LoadError {}

/// The spec to use: `explicit`, else `wfgen.yaml`, else `.github/wfgen.yaml`
/// in `dir`.
pub fn find_spec(explicit: Option<&Path>, dir: &Path) -> Result<PathBuf, LoadError> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    for cand in ["wfgen.yaml", ".github/wfgen.yaml"] {
        let p = dir.join(cand);
        if p.is_file() {
            return Ok(p);
        }
    }
    Err(LoadError::Io(format!(
        "no wfgen.yaml or .github/wfgen.yaml in {}\n  help: run `wfgen init` to write a starter spec, or pass --spec PATH",
        dir.display()
    )))
}

/// Repository root of a spec path, and the spec's name relative to it.
pub fn root_of(spec_path: &Path) -> (PathBuf, String) {
    let abs = std::path::absolute(spec_path).unwrap_or_else(|_| spec_path.to_path_buf());
    let file = abs
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
    if dir.file_name().is_some_and(|d| d == ".github") {
        let root = dir.parent().map(Path::to_path_buf).unwrap_or_default();
        (root, format!(".github/{file}"))
    } else {
        (dir, file)
    }
}

/// Checks of a parsed spec beyond its own, whose problems are reported with
/// the spec's, each in its section of the report: the plan's
/// (`plan::check`), which need what the plan resolves. `wfgen::load_spec`,
/// `wfgen::parse_spec` and `wfgen::spec_from_text` load with them.
pub type MoreChecks = fn(&Spec, &mut Problems);

/// No more checks: the spec's own only.
fn spec_checks_only(_: &Spec, _: &mut Problems) {}

/// Reads and parses the spec at `path`, with the spec's own checks only
/// (`wfgen::load_spec` adds the plan's).
pub fn load(path: &Path) -> Result<LoadedSpec, LoadError> {
    load_with(path, spec_checks_only)
}

/// Reads and parses the spec at `path`, with the spec's own checks and
/// `more`.
pub fn load_with(path: &Path, more: MoreChecks) -> Result<LoadedSpec, LoadError> {
    let bytes = crate::limits::read_regular(path).map_err(|e| {
        LoadError::Io(format!(
            "cannot read the spec: {e}\n  help: --spec takes a YAML file; the spec is `wfgen.yaml` or `.github/wfgen.yaml`"
        ))
    })?;
    let (root, name) = root_of(path);
    let text = match crate::limits::utf8(bytes) {
        Ok(t) => t,
        Err((lossy, at)) => {
            let end = lossy[at..].chars().next().map(|c| at + c.len_utf8()).unwrap_or(at);
            return Err(LoadError::Invalid(SourceProblems {
                name,
                text: lossy,
                problems: vec![
                    Problem::new("the spec is not UTF-8 text")
                        .at(Some((at, end)))
                        .label("this byte is not UTF-8")
                        .help("save the file as UTF-8 (a YAML file is UTF-8 text)"),
                ],
            }));
        }
    };
    // Editors on Windows may save a UTF-8 byte order mark; YAML allows it at
    // the start, but yaml_serde reads it as a second document. The text (and
    // so the sha256 in headers) is the spec without it.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    let loaded = from_text_with(path, &name, &root, text, more).map_err(LoadError::Invalid)?;
    // In a git work tree, the files the spec names that no build makes.
    if root.join(".git").exists() {
        let problems = super::validate::repository(&loaded.spec, &loaded.located, &root);
        if !problems.is_empty() {
            return Err(LoadError::Invalid(SourceProblems {
                name: loaded.name,
                text: loaded.text,
                problems,
            }));
        }
    }
    Ok(loaded)
}

/// A spec from text in memory, as if read from `path` (named `name` in
/// reports, in the repository at `root`), with the spec's own checks only
/// (`wfgen::spec_from_text` adds the plan's).
pub fn from_text(path: &Path, name: &str, root: &Path, text: String) -> Result<LoadedSpec, SourceProblems> {
    from_text_with(path, name, root, text, spec_checks_only)
}

/// [`from_text`] with the spec's own checks and `more`.
pub fn from_text_with(
    path: &Path,
    name: &str,
    root: &Path,
    text: String,
    more: MoreChecks,
) -> Result<LoadedSpec, SourceProblems> {
    let (spec, located) = parse_with(name, &text, more)?;
    Ok(LoadedSpec {
        spec,
        path: path.to_path_buf(),
        name: name.to_string(),
        root: root.to_path_buf(),
        text,
        located,
    })
}

/// Parses and validates spec text, with the spec's own checks only
/// (`wfgen::parse_spec` adds the plan's). `name` is used in reports.
pub fn parse(name: &str, text: &str) -> Result<(Spec, Located), SourceProblems> {
    parse_with(name, text, spec_checks_only)
}

/// Parses and validates spec text, with the spec's own checks and `more`,
/// their problems merged in the order of the report.
pub fn parse_with(name: &str, text: &str, more: MoreChecks) -> Result<(Spec, Located), SourceProblems> {
    let fail = |problems: Vec<Problem>| SourceProblems {
        name: name.to_string(),
        text: text.to_string(),
        problems,
    };
    if let Err(r) = crate::limits::prescan(text) {
        let span = crate::limits::refusal_span(text, &r);
        return Err(fail(vec![
            Problem::new(r.message).at(Some(span)).label(r.label).help(r.help),
        ]));
    }
    let located = Located::new(text);

    let value: Yaml = match yaml_serde::from_str(text) {
        Ok(v) => v,
        Err(e) => return Err(fail(vec![serde_problem(text, &e, "this is not valid YAML")])),
    };
    if value.is_null() {
        return Err(fail(vec![Problem::new("the spec is empty").help(
            "a spec starts with `wfgen: 1` and a `project:` with a `name`; `wfgen init` writes one",
        )]));
    }

    let schema = schema_cached();
    let mut problems = Vec::new();
    check_shape(schema, schema, &value, &YPath::root(), &located, &mut problems);
    if !problems.is_empty() {
        return Err(fail(problems));
    }

    let spec: Spec = match yaml_serde::from_str(text) {
        Ok(s) => s,
        Err(e) => return Err(fail(vec![serde_problem(text, &e, "here")])),
    };

    let mut problems = super::validate::validate(&spec, &located);
    more(&spec, &mut problems);
    let problems = problems.into_report();
    if !problems.is_empty() {
        return Err(fail(problems));
    }
    Ok((spec, located))
}

/// The schema, built once per process (it is the same for every spec).
fn schema_cached() -> &'static Json {
    static SCHEMA: std::sync::OnceLock<Json> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(schema_json)
}

/// The JSON Schema of the spec format, as a JSON value.
pub fn schema_json() -> Json {
    serde_json::to_value(schemars::schema_for!(Spec)).expect("schema serializes")
}

fn serde_problem(text: &str, e: &yaml_serde::Error, label: &str) -> Problem {
    if e.location().is_none()
        && e.to_string().contains("repetition limit")
        && let Some(at) = crate::limits::first_alias(text)
    {
        let end = text[at..]
            .find([' ', '\n', ',', ']', '}'])
            .map(|n| at + n)
            .unwrap_or(text.len());
        return Problem::new("the aliases of the spec expand to too many nodes (an alias bomb)")
            .at(Some((at, end)))
            .label("the first alias")
            .help("write the values out instead of repeating them through anchors (`&name`) and aliases (`*name`)");
    }
    if e.location().is_none() && e.to_string().contains("more than one document") {
        // The second document starts at the second `---` line, or at the
        // first one when content comes before it.
        let marks: Vec<usize> = text
            .match_indices("---")
            .map(|(i, _)| i)
            .filter(|&i| i == 0 || text.as_bytes()[i - 1] == b'\n')
            .collect();
        let first_content = text
            .lines()
            .scan(0usize, |off, l| {
                let at = *off;
                *off += l.len() + 1;
                Some((at, l))
            })
            .find(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .map(|(at, _)| at);
        let second = match (marks.first(), first_content) {
            (Some(&m), Some(c)) if m == c => marks.get(1).copied(),
            (Some(&m), _) => Some(m),
            _ => None,
        };
        if let Some(at) = second {
            return Problem::new("the spec holds more than one YAML document")
                .at(Some((at, at + 3)))
                .label("a second document starts here")
                .help("a spec is one YAML document: remove this `---` and what follows, or merge it into the first");
        }
    }
    let span = e.location().map(|l| {
        let s = l.index().min(text.len());
        let end = text[s..]
            .find(['\n', ':', ','])
            .map(|n| s + n.max(1))
            .unwrap_or(text.len());
        (s, end.max(s))
    });
    let msg = e.to_string();
    // yaml_serde appends " at line N column M"; the report shows the position itself.
    let msg = match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    };
    Problem::new(msg)
        .at(span)
        .label(label)
        .help("see the spec format in `wfgen schema`; YAML needs `key: value` pairs indented with spaces")
}

// ---- shape check: unknown keys, wrong types, unknown values, all at once ----

fn resolve<'a>(root: &'a Json, node: &'a Json) -> &'a Json {
    let mut node = node;
    for _ in 0..16 {
        match node.get("$ref").and_then(Json::as_str) {
            Some(r) => {
                let ptr = r.trim_start_matches('#');
                match root.pointer(ptr) {
                    Some(n) => node = n,
                    None => return node,
                }
            }
            None => return node,
        }
    }
    node
}

fn kind_of(v: &Yaml) -> &'static str {
    match v {
        Yaml::Null => "null",
        Yaml::Bool(_) => "boolean",
        Yaml::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Yaml::Number(_) => "number",
        Yaml::String(_) => "string",
        Yaml::Sequence(_) => "array",
        Yaml::Mapping(_) => "object",
        Yaml::Tagged(t) => kind_of(&t.value),
    }
}

fn types_of(schema: &Json) -> Vec<&str> {
    match schema.get("type") {
        Some(Json::String(s)) => vec![s.as_str()],
        Some(Json::Array(a)) => a.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    }
}

fn accepts(types: &[&str], kind: &str) -> bool {
    types.is_empty() || types.contains(&kind) || (kind == "integer" && types.contains(&"number"))
}

fn describe(kind: &str) -> &'static str {
    match kind {
        "null" => "nothing (null)",
        "boolean" => "true or false",
        "integer" => "a whole number",
        "number" => "a number",
        "string" => "a string",
        "array" => "a list",
        "object" => "a mapping of keys to values",
        _ => "a value",
    }
}

fn check_shape(root: &Json, schema: &Json, value: &Yaml, path: &YPath, loc: &Located, out: &mut Vec<Problem>) {
    let schema = resolve(root, schema);
    let value = match value {
        Yaml::Tagged(t) => &t.value,
        v => v,
    };
    let kind = kind_of(value);

    // anyOf / oneOf: an enum whose variants are documented is a oneOf of
    // consts; otherwise take the first branch whose type admits the value.
    for comb in ["anyOf", "oneOf"] {
        if let Some(branches) = schema.get(comb).and_then(Json::as_array) {
            let branches: Vec<&Json> = branches.iter().map(|b| resolve(root, b)).collect();
            let names_of = |b: &Json| -> Vec<String> {
                let mut n: Vec<String> = b
                    .get("const")
                    .and_then(Json::as_str)
                    .map(|s| vec![s.to_string()])
                    .unwrap_or_default();
                if let Some(e) = b.get("enum").and_then(Json::as_array) {
                    n.extend(e.iter().filter_map(Json::as_str).map(String::from));
                }
                n
            };
            let consts: Vec<String> = branches.iter().flat_map(|b| names_of(b)).collect();
            if let (false, Yaml::String(s)) = (consts.is_empty(), value) {
                if !consts.contains(s) {
                    let known: Vec<&str> = consts.iter().map(String::as_str).collect();
                    out.push(unknown_name_problem("value", s, &known, path, Part::Value, loc));
                }
                return;
            }
            let chosen = branches
                .iter()
                .find(|b| accepts(&types_of(b), kind) && !types_of(b).is_empty())
                .or_else(|| branches.iter().find(|b| types_of(b).is_empty()));
            match chosen {
                Some(b) => return check_shape(root, b, value, path, loc, out),
                None => {
                    let mut wanted: Vec<&str> = branches
                        .iter()
                        .flat_map(|b| types_of(b))
                        .filter(|t| *t != "null")
                        .map(describe)
                        .collect();
                    wanted.dedup();
                    out.push(type_problem(path, loc, &wanted.join(" or "), value, kind));
                    return;
                }
            }
        }
    }

    let types = types_of(schema);
    if !accepts(&types, kind) {
        let wanted: Vec<&str> = types.iter().filter(|t| **t != "null").map(|t| describe(t)).collect();
        out.push(type_problem(path, loc, &wanted.join(" or "), value, kind));
        return;
    }

    if let (Some(options), Yaml::String(s)) = (schema.get("enum").and_then(Json::as_array), value) {
        let names: Vec<&str> = options.iter().filter_map(Json::as_str).collect();
        if !names.contains(&s.as_str()) {
            out.push(unknown_name_problem("value", s, &names, path, Part::Value, loc));
        }
        return;
    }
    // A one-value enum variant is a `const` in schemars 1; an enum of those is a oneOf above.
    if let (Some(c), Yaml::String(s)) = (schema.get("const").and_then(Json::as_str), value) {
        if c != s {
            out.push(unknown_name_problem("value", s, &[c], path, Part::Value, loc));
        }
        return;
    }

    match value {
        Yaml::Mapping(m) => {
            let props = schema.get("properties").and_then(Json::as_object);
            let additional = schema.get("additionalProperties");
            let names: Vec<&str> = props
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default();
            for (k, v) in m {
                let key = match k {
                    Yaml::String(s) => s.clone(),
                    other => yaml_serde::to_string(other).unwrap_or_default().trim().to_string(),
                };
                let child = path.key(key.as_str());
                if let Some(sub) = props.and_then(|p| p.get(&key)) {
                    check_shape(root, sub, v, &child, loc, out);
                } else {
                    match additional {
                        Some(Json::Bool(false)) => {
                            out.push(unknown_name_problem("key", &key, &names, &child, Part::Key, loc))
                        }
                        Some(sub @ Json::Object(_)) => check_shape(root, sub, v, &child, loc, out),
                        _ => {}
                    }
                }
            }
            if let Some(req) = schema.get("required").and_then(Json::as_array) {
                for r in req.iter().filter_map(Json::as_str) {
                    if !m.contains_key(r) {
                        let span = loc.span(path, Part::Key);
                        let at = if path.0.is_empty() {
                            "the spec".to_string()
                        } else {
                            format!("`{path}`")
                        };
                        out.push(
                            Problem::new(format!("{at} is missing the required key `{r}`"))
                                .at(span)
                                .label(format!("`{r}` missing here"))
                                .help(required_help(path, r)),
                        );
                    }
                }
            }
        }
        Yaml::Sequence(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, v) in items.iter().enumerate() {
                    check_shape(root, item_schema, v, &path.index(i), loc, out);
                }
            }
        }
        _ => {}
    }
}

fn required_help(path: &YPath, key: &str) -> String {
    match (path.to_string().as_str(), key) {
        ("(document)", "wfgen") => "add `wfgen: 1` as the first line: the spec format version".into(),
        ("(document)", "project") => "add `project:` with at least `name: <your project>`".into(),
        _ => format!("add `{key}:`; `wfgen schema` describes every key"),
    }
}

fn type_problem(path: &YPath, loc: &Located, wanted: &str, value: &Yaml, kind: &str) -> Problem {
    let mut help = format!("`{}` takes {wanted}", path.last_key().unwrap_or("this value"));
    if let Yaml::Number(n) = value
        && wanted.contains("string")
    {
        help = format!("quote it: \"{n}\" (YAML reads an unquoted {n} as a number)");
        if n.is_f64() {
            help.push_str("; note that 3.10 unquoted is the number 3.1");
        }
    }
    if wanted.contains("list") && kind != "array" {
        help = format!("write a list: `[{}]` or one `- item` per line", scalar_text(value));
    }
    Problem::new(format!("`{path}` must be {wanted}, found {}", describe(kind)))
        .at(loc.span(path, Part::Value))
        .label(format!("expected {wanted}"))
        .help(help)
}

fn scalar_text(v: &Yaml) -> String {
    match v {
        Yaml::String(s) => s.clone(),
        other => yaml_serde::to_string(other).unwrap_or_default().trim().to_string(),
    }
}

fn unknown_name_problem(what: &str, got: &str, known: &[&str], path: &YPath, part: Part, loc: &Located) -> Problem {
    let where_ = match path.parent() {
        Some(p) if !p.0.is_empty() && what == "key" => format!(" in `{p}`"),
        _ if what == "value" => format!(" for `{path}`"),
        _ => String::new(),
    };
    let mut p = Problem::new(format!("unknown {what} `{got}`{where_}"))
        .at(loc.span(path, part))
        .label(format!("unknown {what}"));
    let list = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    p = match did_you_mean(got, known) {
        Some(s) => p.help(format!("did you mean `{s}`? ({what}s here: {list})")),
        None => p.help(format!("{what}s here: {list}")),
    };
    p
}

/// The closest known name, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(got: &str, known: &[&'a str]) -> Option<&'a str> {
    let norm = |s: &str| s.to_ascii_lowercase().replace('_', "-");
    let g = norm(got);
    if let Some(k) = known.iter().find(|k| norm(k) == g) {
        return Some(k);
    }
    // An abbreviation: `repo` for `repository`.
    if g.len() >= 3 {
        let mut prefixed = known.iter().filter(|k| norm(k).starts_with(&g));
        if let (Some(k), None) = (prefixed.next(), prefixed.next()) {
            return Some(k);
        }
    }
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&g, &norm(k)), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        match parse("wfgen.yaml", text) {
            Ok(_) => vec![],
            Err(p) => p.oneline(),
        }
    }

    #[test]
    fn minimal_spec_loads() {
        let (spec, _) = parse("wfgen.yaml", "wfgen: 1\nproject: { name: demo }\n").unwrap();
        assert_eq!(spec.project.name, "demo");
        assert_eq!(spec.versioning.tag_prefix, "v");
        assert!(spec.release.checksums);
    }

    #[test]
    fn unknown_keys_all_reported_with_did_you_mean() {
        let text = "wfgen: 1\nproject:\n  name: demo\n  repo: a/b\nversioning:\n  tag_prefix: v\n";
        let p = parse("wfgen.yaml", text).unwrap_err();
        let lines = p.oneline();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(lines[0], "wfgen.yaml:4:3: unknown key `repo` in `project`");
        assert!(
            p.problems[0]
                .help
                .as_deref()
                .unwrap()
                .contains("did you mean `repository`")
        );
        assert_eq!(lines[1], "wfgen.yaml:6:3: unknown key `tag_prefix` in `versioning`");
        assert!(
            p.problems[1]
                .help
                .as_deref()
                .unwrap()
                .contains("did you mean `tag-prefix`")
        );
    }

    #[test]
    fn wrong_type_and_unknown_value_are_located() {
        let text = "wfgen: 1\nproject: { name: demo }\nbinaries:\n  - name: x\n    kind: cpp\n    targets: x86_64-unknown-linux-gnu\n";
        let lines = problems(text);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[0].starts_with("wfgen.yaml:5:11: unknown value `cpp`"),
            "{lines:?}"
        );
        assert!(
            lines[1].starts_with("wfgen.yaml:6:14: `binaries[0].targets` must be a list"),
            "{lines:?}"
        );
    }

    #[test]
    fn unquoted_python_version_gets_a_quoting_help() {
        let text = "wfgen: 1\nproject: { name: demo }\npython:\n  - name: x\n    python: [3.10]\n";
        let p = parse("wfgen.yaml", text).unwrap_err();
        assert!(p.oneline()[0].starts_with("wfgen.yaml:5:14:"), "{:?}", p.oneline());
        assert!(p.problems[0].help.as_deref().unwrap().contains("quote it"));
    }

    #[test]
    fn missing_required_and_syntax_errors() {
        let lines = problems("project: { name: demo }\n");
        assert!(lines[0].contains("missing the required key `wfgen`"), "{lines:?}");
        let lines = problems("wfgen: 1\nproject: [\n");
        assert!(lines[0].starts_with("wfgen.yaml:"), "{lines:?}");
        let lines = problems("");
        assert!(lines[0].contains("empty"));
    }

    #[test]
    fn did_you_mean_is_conservative() {
        assert_eq!(did_you_mean("targts", &["targets", "name"]), Some("targets"));
        assert_eq!(did_you_mean("zzzzzz", &["targets", "name"]), None);
    }
}
