//! Structure-aware mutations of specs, for the `spec_mutations` fuzz target
//! and tests/fuzz_mutations.rs. Random bytes rarely make a valid spec, so
//! `spec_pipeline` seldom gets past validation; these mutations start from
//! the fixture specs and change them key by key, as the spec's JSON Schema
//! allows (enum values, types, property names, array items), so that many
//! of the results validate and go through plan and render.
//!
//! A [`Corpus`] holds the base specs and what they have in common (every
//! value seen at each key path). [`Corpus::mutations`] lists, in a fixed
//! order, every single mutation of a document: delete a key or an item,
//! duplicate an item, set a scalar to another value its schema allows, give
//! a name one that collides with another name or a job id of wfgen's, add an
//! optional key, rename a map key, graft a section of another base spec.
//! [`Corpus::decode`] turns bytes into a chain of such mutations (the bytes
//! pick the base, the chain's length and each mutation), for cargo-fuzz.

use std::collections::BTreeSet;
use std::fmt;

use serde_json::{Map, Value as Json};

use crate::ypath::{Seg, YPath};

/// The base specs, paths from the repository root, in the order the fuzz
/// target's first byte picks them (fuzz/src/lib.rs includes the same files).
pub const BASE_SPECS: [&str; 10] = [
    "fixtures/aicr/wfgen.yaml",
    "fixtures/airflow/wfgen.yaml",
    "fixtures/cluster-tool/wfgen.yaml",
    "fixtures/llm-proxy/wfgen.yaml",
    "fixtures/mlserver/wfgen.yaml",
    "fixtures/model-server/wfgen.yaml",
    "fixtures/opsml/wfgen.yaml",
    "fixtures/opsml-server/wfgen.yaml",
    "fixtures/vector/wfgen.yaml",
    "wfgen.yaml",
];

/// The name of the base spec at `path` (one of [`BASE_SPECS`]): its
/// fixture's, or `wfgen` for the repository's own.
pub fn base_name(path: &str) -> &str {
    path.strip_prefix("fixtures/")
        .and_then(|p| p.strip_suffix("/wfgen.yaml"))
        .unwrap_or("wfgen")
}

/// The top-level sections one base spec can lend another.
const SECTIONS: &[&str] = &[
    "versioning",
    "triggers",
    "toolchains",
    "setup",
    "env",
    "gates",
    "binaries",
    "python",
    "docker",
    "registries",
    "helm",
    "release",
    "jobs",
    "runners",
    "pins",
];

/// Key paths (`[]` for any item, `*` for any key of a map) whose string is
/// a job id of release.yml, or becomes one. Mutations set them to the ids
/// of wfgen's jobs and to the spec's other names.
const JOB_ID_PATHS: &[&str] = &["gates[].name", "jobs[].id", "python[].name", "python[].workflow"];

/// Key paths whose string is another name (of a project, a binary, a
/// binary an image takes): mutations set them to the spec's other names.
const NAME_PATHS: &[&str] = &[
    "project.name",
    "binaries[].name",
    "binaries[].bin",
    "docker[].binaries[].name",
    "docker[].variants.*.binaries[].name",
];

/// The ids of wfgen's own jobs in release.yml, and ids like them, that a
/// job id may collide with (besides the spec's other names).
const COLLIDING_IDS: &[&str] = &[
    "plan",
    "gates",
    "build-assets",
    "docker",
    "docker-build",
    "docker-publish",
    "helm-build",
    "helm-publish",
    "release-assets",
    "github-release",
    "notify",
    "publish-x",
    "release",
    "pull-request",
    "build",
    "python",
];

/// Strings at the edges of what a string key may hold: empty, one
/// character, a punctuation mark, longer than a Docker tag may be, a
/// placeholder, a line break with YAML and expression syntax, non-ASCII.
fn boundary_strings() -> Vec<String> {
    vec![
        String::new(),
        "x".into(),
        "-".into(),
        "a".repeat(130),
        "{version}".into(),
        "a\nb: #${{ x }}".into(),
        "é".into(),
    ]
}

/// Values for keys that no base spec sets and whose schema gives no
/// enum: `(key path, YAML)`. Other keys get a value built from the schema.
const PLAUSIBLE: &[(&str, &str)] = &[
    ("binaries[].profile", "release"),
    ("binaries[].cargo-args", "[--locked]"),
    ("binaries[].flags", "[-trimpath]"),
    ("binaries[].tags", "[netgo]"),
    ("docker[].context", "."),
    ("docker[].target", "runtime"),
    ("docker[].variants.*.dockerfile", "Dockerfile.{variant}"),
    ("docker[].binaries[].suffix", "-static"),
    ("python[].environment", "pypi"),
    ("jobs[].runs-on", "ubuntu-24.04"),
    ("runners", "{ x86_64-unknown-linux-gnu: ubuntu-22.04 }"),
    ("toolchains.helm", "3.17.0"),
    ("toolchains.maturin", "1.8.3"),
    ("toolchains.cosign", "2.4.3"),
];

/// What a mutation does at its path.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// Removes the key or the array item.
    Delete,
    /// Sets the value (adds the key, or appends the item at index `len`).
    Set(Json),
    /// Inserts a copy of the array item after it.
    Duplicate,
    /// Renames the map key, in its place.
    Rename(String),
    /// Replaces the section with another base spec's, or with `append`
    /// (arrays) adds that spec's items to it.
    Graft { from: String, value: Json, append: bool },
}

/// One change of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Mutation {
    pub path: YPath,
    pub op: Op,
}

impl fmt::Display for Mutation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.path;
        match &self.op {
            Op::Delete => write!(f, "delete {p}"),
            Op::Set(v) => write!(f, "{p} = {}", short(v)),
            Op::Duplicate => write!(f, "duplicate {p}"),
            Op::Rename(k) => write!(f, "rename {p} to {k:?}"),
            Op::Graft {
                from, append: false, ..
            } => write!(f, "{p} = the {p} of {from}"),
            Op::Graft { from, append: true, .. } => write!(f, "{p} += the items of {from}'s {p}"),
        }
    }
}

/// A value as compact JSON, cut at 120 characters.
fn short(v: &Json) -> String {
    let s = v.to_string();
    match s.char_indices().nth(120) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

/// A base spec: its name (the fixture's, or `wfgen` for the repository's
/// own) and its document.
#[derive(Debug, Clone)]
pub struct Base {
    pub name: String,
    pub doc: Json,
}

/// The base specs, the schema, and every value the bases hold at each key
/// path (to set a key to another base's value for it).
pub struct Corpus {
    pub bases: Vec<Base>,
    schema: Json,
    /// Key path -> the distinct values at it, in the bases' order.
    values: Vec<(String, Vec<Json>)>,
    /// Map key path (`docker[].variants.*`) -> its distinct entries.
    entries: Vec<(String, Vec<(String, Json)>)>,
}

/// A base spec and the chain of mutations made to it.
#[derive(Debug, Clone)]
pub struct Case {
    pub base: String,
    pub mutations: Vec<Mutation>,
    pub doc: Json,
}

impl Case {
    /// The mutated spec as YAML text.
    pub fn text(&self) -> String {
        yaml_serde::to_string(&self.doc).expect("a JSON value serializes as YAML")
    }

    /// `base: mutation; mutation`, to name the case in a report.
    pub fn describe(&self) -> String {
        let chain: Vec<String> = self.mutations.iter().map(ToString::to_string).collect();
        if chain.is_empty() {
            format!("{} (unchanged)", self.base)
        } else {
            format!("{}: {}", self.base, chain.join("; "))
        }
    }
}

impl Corpus {
    /// `specs`: (name, YAML text) of each base spec, valid specs.
    pub fn new(specs: &[(&str, &str)]) -> Corpus {
        let bases: Vec<Base> = specs
            .iter()
            .map(|(name, text)| Base {
                name: name.to_string(),
                doc: yaml_serde::from_str(text).expect("a base spec is YAML that reads as JSON"),
            })
            .collect();
        let mut c = Corpus {
            bases: Vec::new(),
            schema: crate::spec::schema_json(),
            values: Vec::new(),
            entries: Vec::new(),
        };
        for b in &bases {
            let root = c.schema.clone();
            c.collect(&root, &b.doc, &root, String::new());
        }
        c.bases = bases;
        c
    }

    /// The corpus of [`BASE_SPECS`] as read from the repository at `root`.
    pub fn from_repository(root: &std::path::Path) -> std::io::Result<Corpus> {
        let mut specs = Vec::new();
        for p in BASE_SPECS {
            specs.push((base_name(p), std::fs::read_to_string(root.join(p))?));
        }
        let specs: Vec<(&str, &str)> = specs.iter().map(|(n, t)| (*n, t.as_str())).collect();
        Ok(Corpus::new(&specs))
    }

    fn collect(&mut self, root: &Json, v: &Json, schema: &Json, spath: String) {
        add_distinct(&mut self.values, &spath, v);
        let s = branch(root, schema, Some(v));
        match v {
            Json::Object(m) => {
                let props = s.get("properties").and_then(Json::as_object);
                let additional = s.get("additionalProperties").filter(|a| a.is_object());
                for (k, child) in m {
                    if let Some(ps) = props.and_then(|p| p.get(k)) {
                        self.collect(root, child, ps, key_path(&spath, k));
                    } else if let Some(ad) = additional {
                        let mp = key_path(&spath, "*");
                        match self.entries.iter_mut().find(|(p, _)| *p == mp) {
                            Some((_, es)) => {
                                if !es.iter().any(|(ek, _)| ek == k) {
                                    es.push((k.clone(), child.clone()));
                                }
                            }
                            None => self.entries.push((mp.clone(), vec![(k.clone(), child.clone())])),
                        }
                        self.collect(root, child, ad, mp);
                    }
                }
            }
            Json::Array(items) => {
                if let Some(is) = s.get("items") {
                    for it in items {
                        self.collect(root, it, is, format!("{spath}[]"));
                    }
                }
            }
            _ => {}
        }
    }

    fn values_at(&self, spath: &str) -> &[Json] {
        self.values
            .iter()
            .find(|(p, _)| p == spath)
            .map(|(_, v)| v.as_slice())
            .unwrap_or_default()
    }

    fn entries_at(&self, spath: &str) -> &[(String, Json)] {
        self.entries
            .iter()
            .find(|(p, _)| p == spath)
            .map(|(_, v)| v.as_slice())
            .unwrap_or_default()
    }

    /// Every single mutation of `doc`, a document of the base `base`, in a
    /// fixed order.
    pub fn mutations(&self, base: &str, doc: &Json) -> Vec<Mutation> {
        let mut w = Walk {
            corpus: self,
            root: &self.schema,
            names: spec_names(doc),
            first: BTreeSet::new(),
            out: Vec::new(),
        };
        w.node(doc, &self.schema, YPath::root(), String::new());
        // Grafts: each section of each other base, instead of this one's or
        // (a list) after it.
        for s in SECTIONS {
            let mine = doc.get(*s);
            for b in self.bases.iter().filter(|b| b.name != base) {
                let Some(theirs) = b.doc.get(*s) else { continue };
                if Some(theirs) == mine {
                    continue;
                }
                let path = YPath::root().key(*s);
                w.push(
                    path.clone(),
                    Op::Graft {
                        from: b.name.clone(),
                        value: theirs.clone(),
                        append: false,
                    },
                );
                if let (Some(Json::Array(m)), Json::Array(_)) = (mine, theirs)
                    && !m.is_empty()
                {
                    w.push(
                        path,
                        Op::Graft {
                            from: b.name.clone(),
                            value: theirs.clone(),
                            append: true,
                        },
                    );
                }
            }
        }
        w.out
    }

    /// Every single mutation of base `i`, each applied to it alone.
    pub fn single_cases(&self, i: usize) -> Vec<Case> {
        let b = &self.bases[i];
        self.mutations(&b.name, &b.doc)
            .into_iter()
            .filter_map(|m| {
                let mut doc = b.doc.clone();
                apply(&mut doc, &m).then(|| Case {
                    base: b.name.clone(),
                    mutations: vec![m],
                    doc,
                })
            })
            .collect()
    }

    /// The case `data` spells: its first byte picks the base, the second
    /// the length of the chain (1 to 4), each next two bytes one mutation
    /// among those of the document so far. Input that runs out ends the
    /// chain (no bytes: the base spec itself).
    pub fn decode(&self, data: &[u8]) -> Case {
        let mut bytes = data.iter().copied();
        let b = &self.bases[bytes.next().unwrap_or(0) as usize % self.bases.len()];
        let steps = 1 + bytes.next().unwrap_or(0) as usize % 4;
        let mut case = Case {
            base: b.name.clone(),
            mutations: Vec::new(),
            doc: b.doc.clone(),
        };
        for _ in 0..steps {
            let (Some(hi), Some(lo)) = (bytes.next(), bytes.next()) else {
                break;
            };
            let all = self.mutations(&b.name, &case.doc);
            if all.is_empty() {
                break;
            }
            let m = &all[(usize::from(hi) << 8 | usize::from(lo)) % all.len()];
            if apply(&mut case.doc, m) {
                case.mutations.push(m.clone());
            }
        }
        case
    }
}

fn add_distinct<T: PartialEq + Clone>(table: &mut Vec<(String, Vec<T>)>, key: &str, v: &T) {
    match table.iter_mut().find(|(p, _)| p == key) {
        Some((_, vs)) => {
            if !vs.contains(v) {
                vs.push(v.clone());
            }
        }
        None => table.push((key.to_string(), vec![v.clone()])),
    }
}

fn key_path(spath: &str, k: &str) -> String {
    if spath.is_empty() {
        k.to_string()
    } else {
        format!("{spath}.{k}")
    }
}

/// Every name of `doc` that is, or becomes, a job id or a file name: of
/// gates, jobs, binaries, Python packages and workflows (and their publish
/// jobs), image variants.
fn spec_names(doc: &Json) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut push = |s: &str| {
        if !names.iter().any(|n| n == s) {
            names.push(s.to_string());
        }
    };
    let list = |k: &str| doc.get(k).and_then(Json::as_array).cloned().unwrap_or_default();
    for (section, keys) in [
        ("gates", &["name"][..]),
        ("jobs", &["id"]),
        ("binaries", &["name", "bin"]),
        ("python", &["name", "workflow"]),
    ] {
        for item in list(section) {
            for k in keys {
                if let Some(s) = item.get(*k).and_then(Json::as_str) {
                    push(s);
                    if section == "python" && *k == "name" {
                        push(&format!("publish-{s}"));
                    }
                }
            }
        }
    }
    for image in list("docker") {
        if let Some(m) = image.get("variants").and_then(Json::as_object) {
            for k in m.keys() {
                push(k);
            }
        }
    }
    names
}

/// Follows `$ref`s.
fn deref<'s>(root: &'s Json, mut node: &'s Json) -> &'s Json {
    for _ in 0..16 {
        match node
            .get("$ref")
            .and_then(Json::as_str)
            .and_then(|r| root.pointer(r.trim_start_matches('#')))
        {
            Some(n) => node = n,
            None => break,
        }
    }
    node
}

fn types(node: &Json) -> Vec<&str> {
    match node.get("type") {
        Some(Json::String(s)) => vec![s.as_str()],
        Some(Json::Array(a)) => a.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    }
}

fn kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

/// The schema of a value at `node`: `$ref`s followed and, in an `anyOf` or
/// `oneOf` that is not an enum, the branch whose type takes `v` (the first
/// branch that is not `null` without a value).
fn branch<'s>(root: &'s Json, node: &'s Json, v: Option<&Json>) -> &'s Json {
    let node = deref(root, node);
    for comb in ["anyOf", "oneOf"] {
        let Some(bs) = node.get(comb).and_then(Json::as_array) else {
            continue;
        };
        let bs: Vec<&Json> = bs.iter().map(|b| deref(root, b)).collect();
        let is_enum = bs
            .iter()
            .all(|b| b.get("const").is_some() || b.get("enum").is_some() || types(b) == ["null"]);
        if is_enum {
            return node;
        }
        let takes = |b: &&&Json| {
            let t = types(b);
            match v {
                Some(v) => t.contains(&kind(v)) || (kind(v) == "integer" && t.contains(&"number")),
                None => !t.is_empty() && t != ["null"],
            }
        };
        if let Some(b) = bs
            .iter()
            .find(takes)
            .or_else(|| bs.iter().find(|b| types(b) != ["null"]))
        {
            return branch(root, b, v);
        }
    }
    node
}

/// The values of an enum (`enum`, `const`, or an `anyOf`/`oneOf` of them).
fn enum_values(root: &Json, node: &Json) -> Vec<Json> {
    let node = deref(root, node);
    let mut out: Vec<Json> = node.get("enum").and_then(Json::as_array).cloned().unwrap_or_default();
    out.extend(node.get("const").cloned());
    for comb in ["anyOf", "oneOf"] {
        for b in node.get(comb).and_then(Json::as_array).into_iter().flatten() {
            out.extend(enum_values(root, b));
        }
    }
    out
}

fn nullable(root: &Json, node: &Json) -> bool {
    let node = deref(root, node);
    types(node).contains(&"null")
        || ["anyOf", "oneOf"].iter().any(|c| {
            node.get(*c)
                .and_then(Json::as_array)
                .is_some_and(|bs| bs.iter().any(|b| types(deref(root, b)) == ["null"]))
        })
}

/// A value for the schema `node` at `spath` when no base has one: from
/// [`PLAUSIBLE`], else the first enum value, else built from the types
/// (required keys only).
fn synthesize(root: &Json, node: &Json, spath: &str, depth: usize) -> Json {
    if let Some((_, y)) = PLAUSIBLE.iter().find(|(p, _)| *p == spath) {
        return yaml_serde::from_str(y).expect("a PLAUSIBLE value is YAML");
    }
    if let Some(v) = enum_values(root, node).into_iter().next() {
        return v;
    }
    let s = branch(root, node, None);
    let t = types(s);
    if depth > 6 {
        return Json::Null;
    }
    if t.contains(&"object") {
        let mut m = Map::new();
        let props = s.get("properties").and_then(Json::as_object);
        for r in s.get("required").and_then(Json::as_array).into_iter().flatten() {
            if let (Some(r), Some(ps)) = (r.as_str(), props) {
                m.insert(r.to_string(), synthesize(root, &ps[r], &key_path(spath, r), depth + 1));
            }
        }
        Json::Object(m)
    } else if t.contains(&"array") {
        match s.get("items") {
            Some(is) => Json::Array(vec![synthesize(root, is, &format!("{spath}[]"), depth + 1)]),
            None => Json::Array(Vec::new()),
        }
    } else if t.contains(&"string") {
        Json::String("x".into())
    } else if t.contains(&"boolean") {
        Json::Bool(true)
    } else if t.contains(&"integer") || t.contains(&"number") {
        Json::from(1)
    } else {
        Json::Null
    }
}

struct Walk<'a> {
    corpus: &'a Corpus,
    root: &'a Json,
    names: Vec<String>,
    /// The key paths of the scalars seen so far (and, after a `+`, of the
    /// keys added so far): only the first scalar of each key path gets the
    /// values that do not depend on the spec (boundary strings, the ids of
    /// wfgen's jobs), and a key is added to the first mapping that lacks
    /// it, which keeps a list of seven targets from counting seven times.
    first: BTreeSet<String>,
    out: Vec<Mutation>,
}

impl Walk<'_> {
    fn push(&mut self, path: YPath, op: Op) {
        self.out.push(Mutation { path, op });
    }

    fn node(&mut self, v: &Json, schema: &Json, path: YPath, spath: String) {
        let root = self.root;
        let s = branch(root, schema, Some(v));
        match v {
            Json::Object(m) => {
                let props = s.get("properties").and_then(Json::as_object);
                let additional = s.get("additionalProperties").filter(|a| a.is_object());
                for (k, child) in m {
                    let cpath = path.key(k.as_str());
                    if let Some(ps) = props.and_then(|p| p.get(k)) {
                        self.push(cpath.clone(), Op::Delete);
                        self.node(child, ps, cpath, key_path(&spath, k));
                    } else if let Some(ad) = additional {
                        self.push(cpath.clone(), Op::Delete);
                        let mut renames = vec![String::new(), "A B".to_string(), k.to_uppercase()];
                        renames.push(k.replace('-', "_"));
                        renames.push(k.replace('_', "-"));
                        let mut seen = BTreeSet::new();
                        for r in renames {
                            if r != *k && !m.contains_key(&r) && seen.insert(r.clone()) {
                                self.push(cpath.clone(), Op::Rename(r));
                            }
                        }
                        self.node(child, ad, cpath, key_path(&spath, "*"));
                    }
                }
                // Optional keys not there: another base's values for them
                // (two at most), or one made up; once per key path.
                for (k, ps) in props.into_iter().flatten() {
                    let kp = key_path(&spath, k);
                    if m.contains_key(k) || !self.first.insert(format!("+{kp}")) {
                        continue;
                    }
                    let cpath = path.key(k.as_str());
                    let known = self.corpus.values_at(&kp);
                    if known.is_empty() {
                        let v = synthesize(root, ps, &kp, 0);
                        self.push(cpath, Op::Set(v));
                    } else {
                        for v in known.iter().take(2) {
                            self.push(cpath.clone(), Op::Set(v.clone()));
                        }
                    }
                }
                // A new entry of a map: another base's (two at most), or one
                // made up.
                if let Some(ad) = additional {
                    let mp = key_path(&spath, "*");
                    let known: Vec<(String, Json)> = self
                        .corpus
                        .entries_at(&mp)
                        .iter()
                        .filter(|(k, _)| !m.contains_key(k))
                        .take(2)
                        .cloned()
                        .collect();
                    if known.is_empty() {
                        let v = synthesize(root, ad, &mp, 0);
                        self.push(path.key("EXTRA"), Op::Set(v));
                    }
                    for (k, v) in known {
                        self.push(path.key(k), Op::Set(v));
                    }
                }
            }
            Json::Array(items) => {
                let item_schema = s.get("items");
                for (i, it) in items.iter().enumerate() {
                    let ip = path.index(i);
                    self.push(ip.clone(), Op::Delete);
                    self.push(ip.clone(), Op::Duplicate);
                    if let Some(is) = item_schema {
                        self.node(it, is, ip, format!("{spath}[]"));
                    }
                }
                if !items.is_empty() {
                    self.push(path.clone(), Op::Set(Json::Array(Vec::new())));
                }
                // A new item: another base's (two at most), or one made up
                // for an empty list.
                let ipath = format!("{spath}[]");
                let known: Vec<Json> = self
                    .corpus
                    .values_at(&ipath)
                    .iter()
                    .filter(|v| !items.contains(v))
                    .take(2)
                    .cloned()
                    .collect();
                for v in known {
                    self.push(path.index(items.len()), Op::Set(v));
                }
                if items.is_empty()
                    && let Some(is) = item_schema
                {
                    let v = synthesize(root, is, &ipath, 0);
                    self.push(path.index(0), Op::Set(v));
                }
            }
            _ => self.scalar(v, schema, path, &spath),
        }
    }

    fn scalar(&mut self, v: &Json, schema: &Json, path: YPath, spath: &str) {
        let root = self.root;
        let mut alts = enum_values(root, schema);
        let is_enum = !alts.is_empty();
        match v {
            Json::Bool(b) => alts.push(Json::Bool(!b)),
            Json::Number(_) => alts.extend([Json::from(0), Json::from(2)]),
            Json::String(_) if !is_enum => {
                let first = self.first.insert(spath.to_string());
                let names = self.names.iter().cloned().map(Json::String);
                if JOB_ID_PATHS.contains(&spath) {
                    if first {
                        alts.extend(COLLIDING_IDS.iter().map(|s| Json::String(s.to_string())));
                        alts.push(Json::String(String::new()));
                    }
                    alts.extend(names);
                } else if NAME_PATHS.contains(&spath) {
                    if first {
                        alts.push(Json::String(String::new()));
                    }
                    alts.extend(names);
                } else {
                    alts.extend(self.corpus.values_at(spath).iter().take(3).cloned());
                    if first {
                        alts.extend(boundary_strings().into_iter().map(Json::String));
                    }
                }
            }
            _ => {}
        }
        if !v.is_null() && nullable(root, schema) {
            alts.push(Json::Null);
        }
        let mut seen = Vec::new();
        for a in alts {
            if a != *v && !seen.contains(&a) {
                seen.push(a.clone());
                self.push(path.clone(), Op::Set(a));
            }
        }
    }
}

/// The node at `segs`.
fn node_mut<'d>(doc: &'d mut Json, segs: &[Seg]) -> Option<&'d mut Json> {
    let mut n = doc;
    for s in segs {
        n = match s {
            Seg::Key(k) => n.as_object_mut()?.get_mut(k)?,
            Seg::Index(i) => n.as_array_mut()?.get_mut(*i)?,
        };
    }
    Some(n)
}

/// Applies `m` to `doc`; false when its path is not there (nothing changed).
pub fn apply(doc: &mut Json, m: &Mutation) -> bool {
    let Some((last, parent)) = m.path.0.split_last() else {
        return false;
    };
    let Some(parent) = node_mut(doc, parent) else {
        return false;
    };
    match (&m.op, last, parent) {
        (Op::Delete, Seg::Key(k), Json::Object(o)) => o.shift_remove(k).is_some(),
        (Op::Delete, Seg::Index(i), Json::Array(a)) if *i < a.len() => {
            a.remove(*i);
            true
        }
        (
            Op::Set(v)
            | Op::Graft {
                value: v,
                append: false,
                ..
            },
            Seg::Key(k),
            Json::Object(o),
        ) => {
            o.insert(k.clone(), v.clone());
            true
        }
        (Op::Set(v), Seg::Index(i), Json::Array(a)) if *i <= a.len() => {
            if *i == a.len() {
                a.push(v.clone());
            } else {
                a[*i] = v.clone();
            }
            true
        }
        (
            Op::Graft {
                value: Json::Array(more),
                append: true,
                ..
            },
            Seg::Key(k),
            Json::Object(o),
        ) => match o.get_mut(k) {
            Some(Json::Array(a)) => {
                a.extend(more.iter().cloned());
                true
            }
            _ => false,
        },
        (Op::Duplicate, Seg::Index(i), Json::Array(a)) if *i < a.len() => {
            let copy = a[*i].clone();
            a.insert(*i + 1, copy);
            true
        }
        (Op::Rename(new), Seg::Key(k), Json::Object(o)) if o.contains_key(k) && !o.contains_key(new) => {
            let old = std::mem::take(o);
            for (key, val) in old {
                o.insert(if key == *k { new.clone() } else { key }, val);
            }
            true
        }
        _ => false,
    }
}
