//! Mutation suite of `wfgen check`.
//!
//! For every fixture: generate, then mutate the generated workflows and
//! require the check to catch each semantic mutation with the right rule id
//! (value and script mutations at the exact line, and column), and to let
//! every format-only edit pass a plain check (a format-drift warning only).
//!
//! The mutations are found by walking the generated YAML (scalars, lists,
//! mappings, `run: |` blocks, `uses:` pins), not from hard-coded paths, so the
//! suite follows the templates as they grow. Expected positions are computed
//! from the edit (the line that was edited), not by the check's own code.
//! Every edit is verified first: a semantic mutation must parse to the
//! intended tree, a format edit to the very same tree.
//!
//! Besides the fixtures, one supplemental case adds tests/data/rich-workflow.yml
//! (a realistic release workflow: scripts, matrices, pins, flow and block
//! styles) to the opsml render, so that those constructs are exercised even
//! while the templates are small.

use std::collections::BTreeMap;
use std::path::Path;
use std::rc::Rc;

use wfgen::check::{self, Options, Outcome, Rule, Severity};
use wfgen::fsio::OnDisk;
use wfgen::render::Rendered;
use wfgen::spec::LoadedSpec;
use wfgen::ypath::{Located, Part, Seg, YPath, line_col};
use yaml_serde::Value;

// ---------------------------------------------------------------- cases ---

struct Case {
    name: String,
    spec: LoadedSpec,
    rendered: Vec<Rendered>,
}

fn cases() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs: Vec<_> = std::fs::read_dir(root.join("fixtures"))
        .expect("fixtures/")
        .map(|e| e.expect("fixture entry").path())
        .filter(|p| p.join("wfgen.yaml").is_file())
        .collect();
    dirs.sort();
    let mut out = Vec::new();
    for d in &dirs {
        let spec = wfgen::load_spec(&d.join("wfgen.yaml")).expect("fixture spec loads");
        let rendered = wfgen::generate(&spec);
        out.push(Case {
            name: d.file_name().unwrap().to_string_lossy().into_owned(),
            spec,
            rendered,
        });
    }
    assert!(out.len() >= 4, "expected the four fixtures, found {}", out.len());

    let spec = wfgen::load_spec(&root.join("fixtures/opsml/wfgen.yaml")).expect("opsml loads");
    let mut rendered = wfgen::generate(&spec);
    let header = wfgen::render::header(&spec.name, &spec.sha256());
    let rich = std::fs::read_to_string(root.join("tests/data/rich-workflow.yml")).expect("rich sample");
    rendered.push(Rendered {
        path: ".github/workflows/rich-sample.yml".into(),
        text: format!("{header}{rich}"),
    });
    out.push(Case {
        name: "opsml+rich-sample".into(),
        spec,
        rendered,
    });
    out
}

fn on_disk(files: &[(String, String)]) -> Vec<OnDisk> {
    files
        .iter()
        .map(|(p, t)| OnDisk {
            path: p.clone(),
            text: Ok(t.clone()),
            is_symlink: false,
        })
        .collect()
}

// ------------------------------------------------------------ mutations ---

#[derive(Debug, Clone)]
enum Edit {
    /// New text of one generated file.
    Text { file: String, text: String },
    /// The file is deleted.
    Delete { file: String },
    /// A file is added.
    Add { file: String, text: String },
}

#[derive(Debug, Clone)]
struct Mutation {
    kind: &'static str,
    desc: String,
    edit: Edit,
    rule: Rule,
    /// Expected 1-based (line, column) of the finding; column when exact.
    at: Option<(usize, Option<usize>)>,
    /// The tree the edited text must parse to (checked before the run).
    expect: Option<Rc<Value>>,
}

/// A parsed generated file, for finding nodes and their spans.
struct Doc<'a> {
    text: &'a str,
    value: Value,
    loc: Located,
}

impl<'a> Doc<'a> {
    fn new(text: &'a str) -> Self {
        Doc {
            text,
            value: yaml_serde::from_str(text).expect("generated YAML parses"),
            loc: Located::new(text),
        }
    }

    /// Trimmed exact byte span of the value at `p`.
    fn span(&self, p: &YPath) -> Option<(usize, usize)> {
        let (s, e) = self.loc.exact_span(p, Part::Value)?;
        Some((s, s + self.text[s..e].trim_end().len()))
    }

    fn key_span(&self, p: &YPath) -> Option<(usize, usize)> {
        p.last_key()?;
        self.loc.exact_span(p, Part::Key)
    }

    /// Every node with its path, depth first.
    fn nodes(&self) -> Vec<(YPath, Value)> {
        let mut out = Vec::new();
        walk(&self.value, &YPath::root(), &mut out);
        out
    }

    /// 1-based lines of the content of literal and folded block scalars:
    /// no format edit may touch them.
    fn block_content_lines(&self) -> std::collections::BTreeSet<usize> {
        let mut set = std::collections::BTreeSet::new();
        for (p, v) in self.nodes() {
            if let Value::String(s) = &v
                && s.contains('\n')
                && let Some((s0, e0)) = self.span(&p)
            {
                let (l0, _) = line_col(self.text, s0);
                let (l1, _) = line_col(self.text, e0);
                set.extend(l0 + 1..=l1);
            }
        }
        set
    }
}

fn walk(v: &Value, p: &YPath, out: &mut Vec<(YPath, Value)>) {
    out.push((p.clone(), v.clone()));
    match v {
        Value::Mapping(m) => {
            for (k, item) in m {
                if let Value::String(k) = k {
                    walk(item, &p.key(k.as_str()), out);
                }
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &p.index(i), out);
            }
        }
        _ => {}
    }
}

fn at_mut<'v>(v: &'v mut Value, p: &YPath) -> &'v mut Value {
    let mut cur = v;
    for seg in &p.0 {
        cur = match seg {
            Seg::Key(k) => cur
                .as_mapping_mut()
                .and_then(|m| m.get_mut(Value::String(k.clone())))
                .expect("path exists"),
            Seg::Index(i) => cur.as_sequence_mut().and_then(|s| s.get_mut(*i)).expect("path exists"),
        };
    }
    cur
}

fn with(v: &Value, p: &YPath, f: impl FnOnce(&mut Value)) -> Value {
    let mut c = v.clone();
    f(at_mut(&mut c, p));
    c
}

fn parses_to(text: &str, expected: &Value) -> bool {
    yaml_serde::from_str::<Value>(text).ok().as_ref() == Some(expected)
}

fn splice(text: &str, s: usize, e: usize, with: &str) -> String {
    format!("{}{with}{}", &text[..s], &text[e..])
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0)
}

fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map(|i| at + i).unwrap_or(text.len())
}

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// Counts of candidates that the generator could not turn into a verified
/// edit (reported, and bounded below).
#[derive(Default)]
struct Tally {
    made: BTreeMap<&'static str, usize>,
    unverified: BTreeMap<&'static str, usize>,
}

impl Tally {
    fn keep(&mut self, kind: &'static str, ok: bool) -> bool {
        *if ok {
            self.made.entry(kind)
        } else {
            self.unverified.entry(kind)
        }
        .or_insert(0) += 1;
        ok
    }
}

/// The semantic mutations of one generated file.
fn semantic_mutations(file: &str, text: &str, tally: &mut Tally) -> Vec<Mutation> {
    let doc = Doc::new(text);
    let mut out = Vec::new();
    // Candidates are verified when they are run (after the cap), which
    // keeps the suite fast on large workflows.
    let mut push = |_: &mut Tally, kind, desc: String, new_text: String, expect: Value, rule, at| {
        out.push(Mutation {
            kind,
            desc,
            edit: Edit::Text {
                file: file.to_string(),
                text: new_text,
            },
            rule,
            at,
            expect: Some(Rc::new(expect)),
        });
    };

    for (p, v) in doc.nodes() {
        // change a scalar
        let new_value = match &v {
            Value::String(s) if !s.contains('\n') => {
                Some((Value::String(format!("{s}-mut")), json(&format!("{s}-mut"))))
            }
            Value::Number(n) => n.as_i64().map(|i| (Value::Number((i + 1).into()), (i + 1).to_string())),
            Value::Bool(b) => Some((Value::Bool(!b), (!b).to_string())),
            _ => None,
        };
        if let (Some((nv, repl)), Some((s, e))) = (new_value, doc.span(&p))
            && !p.0.is_empty()
        {
            let new_text = splice(text, s, e, &repl);
            let expect = with(&doc.value, &p, |x| *x = nv);
            let (l, c) = line_col(&new_text, s);
            push(
                tally,
                "scalar",
                format!("{p}: {} -> {repl}", &text[s..e]),
                new_text,
                expect,
                Rule::ContentDrift,
                Some((l, Some(c))),
            );
        }

        // change a line of a run script (literal block)
        if let Value::String(s) = &v
            && s.contains('\n')
            && let Some((s0, e0)) = doc.span(&p)
            && text[s0..].starts_with('|')
        {
            let (header_line, _) = line_col(text, s0);
            let (last_line, _) = line_col(text, e0);
            for l in header_line + 1..=last_line {
                let ls = nth_line_start(text, l);
                let le = line_end(text, ls);
                let line = &text[ls..le];
                if line.trim().is_empty() {
                    continue;
                }
                let new_text = splice(text, le, le, " --wfgen-mutation");
                // The script line index is the file line's offset in the block.
                let idx = l - header_line - 1;
                let expect = with(&doc.value, &p, |x| {
                    let lines: Vec<String> = s
                        .split('\n')
                        .enumerate()
                        .map(|(i, t)| {
                            if i == idx {
                                format!("{t} --wfgen-mutation")
                            } else {
                                t.to_string()
                            }
                        })
                        .collect();
                    *x = Value::String(lines.join("\n"));
                });
                let indent = line.len() - line.trim_start().len();
                push(
                    tally,
                    "script-line",
                    format!("{p} line {l}: {}", line.trim()),
                    new_text,
                    expect,
                    Rule::ContentDrift,
                    Some((l, Some(indent + 1))),
                );
            }
        }

        // bump a pin (what Dependabot does: new SHA, new version comment)
        if let Value::String(s) = &v
            && p.last_key() == Some("uses")
            && let Some((action, sha)) = s.rsplit_once('@')
            && sha.len() == 40
            && sha.bytes().all(|b| b.is_ascii_hexdigit())
            && let Some((s0, e0)) = doc.span(&p)
        {
            let new_sha = wfgen::spec::load::sha256_hex(format!("bump {s}").as_bytes())[..40].to_string();
            let q = &text[s0..s0 + 1];
            let q = if q == "\"" || q == "'" { q } else { "" };
            let new_uses = format!("{action}@{new_sha}");
            let le = line_end(text, e0);
            let rest = bump_version_comment(&text[e0..le]);
            let new_text = format!("{}{q}{new_uses}{q}{rest}{}", &text[..s0], &text[le..]);
            let expect = with(&doc.value, &p, |x| *x = Value::String(new_uses.clone()));
            let (l, c) = line_col(&new_text, s0);
            push(
                tally,
                "pin-bump",
                format!("{p}: {action} -> {}", &new_sha[..7]),
                new_text,
                expect,
                Rule::PinDrift,
                Some((l, Some(c))),
            );
        }

        // delete a list item
        if let Value::Sequence(items) = &v {
            for i in 0..items.len() {
                let Some(new_text) = delete_item(&doc, &p, i, items.len()) else {
                    tally.keep("delete-item", false);
                    continue;
                };
                let expect = with(&doc.value, &p, |x| {
                    let block = !text[doc.span(&p).unwrap().0..].starts_with('[');
                    if items.len() == 1 && block {
                        *x = Value::Null;
                    } else {
                        x.as_sequence_mut().unwrap().remove(i);
                    }
                });
                push(
                    tally,
                    "delete-item",
                    format!("{p}[{i}]"),
                    new_text,
                    expect,
                    Rule::ContentDrift,
                    None,
                );
            }
        }

        // reorder a list: swap the first two different neighbours
        if let Value::Sequence(items) = &v
            && let Some(i) = (0..items.len().saturating_sub(1)).find(|&i| items[i] != items[i + 1])
            && let (Some(a), Some(b)) = (doc.span(&p.index(i)), doc.span(&p.index(i + 1)))
            && a.1 <= b.0
        {
            let new_text = format!(
                "{}{}{}{}{}",
                &text[..a.0],
                &text[b.0..b.1],
                &text[a.1..b.0],
                &text[a.0..a.1],
                &text[b.1..]
            );
            let expect = with(&doc.value, &p, |x| x.as_sequence_mut().unwrap().swap(i, i + 1));
            let (l, c) = line_col(&new_text, a.0);
            push(
                tally,
                "reorder",
                format!("{p}: swap items {i} and {}", i + 1),
                new_text,
                expect,
                Rule::ContentDrift,
                Some((l, Some(c))),
            );
        }

        // add a key
        if let Value::Mapping(m) = &v
            && let Some((new_text, at)) = add_key(&doc, &p, m)
        {
            let expect = with(&doc.value, &p, |x| {
                x.as_mapping_mut()
                    .unwrap()
                    .insert("wfgen-mutation".into(), "added".into());
            });
            push(
                tally,
                "add-key",
                format!("{p}: + wfgen-mutation"),
                new_text,
                expect,
                Rule::ContentDrift,
                Some(at),
            );
        } else if matches!(v, Value::Mapping(_)) {
            tally.keep("add-key", false);
        }
    }

    // spec-changed: the header names another digest
    if let Some(h) = wfgen::render::parse_header(text) {
        let new_text = text.replacen(&h.sha256, &"0".repeat(64), 1);
        out.push(Mutation {
            kind: "header-digest",
            desc: "header digest zeroed".into(),
            edit: Edit::Text {
                file: file.to_string(),
                text: new_text,
            },
            rule: Rule::SpecChanged,
            at: Some((1, None)),
            expect: None,
        });
    }

    // delete the file; add a stale generated copy under another name
    out.push(Mutation {
        kind: "delete-file",
        desc: "deleted".into(),
        edit: Edit::Delete { file: file.to_string() },
        rule: Rule::MissingWorkflow,
        at: Some((1, Some(1))),
        expect: None,
    });
    let (dir, name) = file.rsplit_once('/').unwrap();
    out.push(Mutation {
        kind: "stale-file",
        desc: format!("added {dir}/old-{name}"),
        edit: Edit::Add {
            file: format!("{dir}/old-{name}"),
            text: text.to_string(),
        },
        rule: Rule::StaleWorkflow,
        at: Some((1, Some(1))),
        expect: None,
    });
    out
}

fn nth_line_start(text: &str, line: usize) -> usize {
    let mut s = 0;
    for _ in 1..line {
        s = text[s..].find('\n').map(|i| s + i + 1).unwrap_or(text.len());
    }
    s
}

/// `  # v1.2.3` -> `  # v1.2.4` (the rest of a `uses:` line).
fn bump_version_comment(rest: &str) -> String {
    let re = regex::Regex::new(r"#\s*v?(\d+)\.(\d+)\.(\d+)").unwrap();
    match re.captures(rest) {
        Some(c) => {
            let m = c.get(3).unwrap();
            let n: u64 = m.as_str().parse().unwrap();
            format!("{}{}{}", &rest[..m.start()], n + 1, &rest[m.end()..])
        }
        None => rest.to_string(),
    }
}

/// The text with item `i` of the sequence at `p` deleted.
fn delete_item(doc: &Doc, p: &YPath, i: usize, len: usize) -> Option<String> {
    let text = doc.text;
    let (s, e) = doc.span(&p.index(i))?;
    let ls = line_start(text, s);
    if text[ls..s].trim() == "-" {
        // A block item: its lines go.
        let le = line_end(text, e);
        let le = if le < text.len() { le + 1 } else { le };
        return Some(splice(text, ls, le, ""));
    }
    let (cs, _) = doc.span(p)?;
    if !text[cs..].starts_with('[') {
        return None;
    }
    if i + 1 < len {
        let (ns, _) = doc.span(&p.index(i + 1))?;
        Some(splice(text, s, ns, ""))
    } else if i > 0 {
        let (_, pe) = doc.span(&p.index(i - 1))?;
        Some(splice(text, pe, e, ""))
    } else {
        Some(splice(text, s, e, ""))
    }
}

/// The text with a key `wfgen-mutation: added` added to the mapping at `p`,
/// and the (line, column) where the key is.
fn add_key(doc: &Doc, p: &YPath, m: &yaml_serde::Mapping) -> Option<(String, (usize, Option<usize>))> {
    let text = doc.text;
    const KEY: &str = "wfgen-mutation: added";
    let span = if p.0.is_empty() {
        // The document: its first key.
        let first = m.keys().next()?.as_str()?;
        let (s, _) = doc.key_span(&p.key(first))?;
        (s, s)
    } else {
        doc.span(p)?
    };
    if text[span.0..].starts_with('{') {
        let at = span.0 + 1;
        let ins = if m.is_empty() {
            KEY.to_string()
        } else {
            format!("{KEY}, ")
        };
        let new_text = splice(text, at, at, &ins);
        let (l, c) = line_col(&new_text, at);
        return Some((new_text, (l, Some(c))));
    }
    // A block mapping: a line before the first key that starts a line...
    for k in m.keys() {
        let (ks, _) = doc.key_span(&p.key(k.as_str()?))?;
        let ls = line_start(text, ks);
        if text[ls..ks].trim().is_empty() {
            let indent = &text[ls..ks];
            let new_text = splice(text, ls, ls, &format!("{indent}{KEY}\n"));
            let (l, _) = line_col(&new_text, ls);
            return Some((new_text, (l, Some(indent.len() + 1))));
        }
    }
    // ...or after the mapping's last line (a one-key mapping in a list item).
    let first = m.keys().next()?.as_str()?;
    let (ks, _) = doc.key_span(&p.key(first))?;
    let indent = " ".repeat(line_col(text, ks).1 - 1);
    let le = line_end(text, span.1);
    let new_text = splice(text, le, le, &format!("\n{indent}{KEY}"));
    let (l, _) = line_col(&new_text, le + 1);
    Some((new_text, (l, Some(indent.len() + 1))))
}

// ------------------------------------------------------- format edits ---

struct FormatEdit {
    kind: &'static str,
    desc: String,
    text: String,
    /// The tree of the generated file, which the edit must keep.
    expect: Rc<Value>,
}

fn format_edits(text: &str, tally: &mut Tally) -> Vec<FormatEdit> {
    let doc = Doc::new(text);
    let blocks = doc.block_content_lines();
    let mut out = Vec::new();
    let tree = Rc::new(doc.value.clone());
    let mut push = |_: &mut Tally, kind, desc: String, new_text: String| {
        if new_text != text {
            out.push(FormatEdit {
                kind,
                desc,
                text: new_text,
                expect: tree.clone(),
            });
        }
    };
    let key_line = regex::Regex::new(r#"^\s*(- )?[A-Za-z0-9_"'$-][^:#]*:(\s|$)"#).unwrap();
    let lines: Vec<&str> = text.split('\n').collect();
    let n_lines = lines.len();
    // Line edits: never the header (lines 1-2), never inside a block scalar.
    for l in 3..=n_lines {
        let ls = nth_line_start(text, l);
        let le = line_end(text, ls);
        let line = &text[ls..le];
        if blocks.contains(&l) || line.trim().is_empty() {
            continue;
        }
        let indent = &line[..line.len() - line.trim_start().len()];
        let starts_entry = key_line.is_match(line) || line.trim_start().starts_with("- ");
        if starts_entry && l % 2 == 1 {
            push(
                tally,
                "comment-line",
                format!("comment before line {l}"),
                splice(text, ls, ls, &format!("{indent}# a comment added by hand\n")),
            );
        }
        if starts_entry && l % 2 == 0 {
            push(
                tally,
                "blank-line",
                format!("blank line before line {l}"),
                splice(text, ls, ls, "\n"),
            );
        }
        if !line.contains('#') && l % 3 == 0 {
            push(
                tally,
                "trailing-comment",
                format!("comment after line {l}"),
                splice(text, le, le, "  # note"),
            );
        }
        if let Some(i) = line.find(": ")
            && key_line.is_match(line)
            && l % 2 == 1
        {
            push(
                tally,
                "spacing",
                format!("spaces after the colon of line {l}"),
                splice(text, ls + i + 1, ls + i + 1, "   "),
            );
        }
    }

    for (p, v) in doc.nodes() {
        if p.0.is_empty() {
            continue;
        }
        let Some((s, e)) = doc.span(&p) else { continue };
        let raw = &text[s..e];
        // quoting style of plain strings
        if let Value::String(sv) = &v
            && !sv.contains('\n')
            && raw == sv
            && !raw.starts_with(['"', '\'', '|', '>'])
        {
            push(
                tally,
                "quoting",
                format!("{p}: single quotes"),
                splice(text, s, e, &format!("'{}'", sv.replace('\'', "''"))),
            );
            push(
                tally,
                "quoting",
                format!("{p}: double quotes"),
                splice(text, s, e, &json(sv)),
            );
        }
        // quoting a key
        if let Some(k) = p.last_key()
            && let Some((ks, ke)) = doc.key_span(&p)
            && &text[ks..ke] == k
            && p.0.len() % 2 == 0
        {
            push(
                tally,
                "quoting",
                format!("{p}: quoted key"),
                splice(text, ks, ke, &json(k)),
            );
        }
        let is_flow = raw.starts_with(['{', '[']);
        let collection = matches!(v, Value::Mapping(_) | Value::Sequence(_));
        // block -> flow
        if collection && !is_flow {
            let flow = to_flow(&v);
            let new_text = match (p.last_key(), doc.key_span(&p)) {
                (Some(_), Some((_, ke))) => splice(text, ke, e, &format!(": {flow}")),
                _ => splice(text, s, e, &flow),
            };
            push(tally, "block-to-flow", format!("{p} as flow"), new_text);
        }
        // flow -> block
        if collection && is_flow && !raw.starts_with("{}") && !raw.starts_with("[]") {
            let new_text = match (p.last_key(), doc.key_span(&p)) {
                (Some(_), Some((ks, ke))) => {
                    let indent = " ".repeat(line_col(text, ks).1 - 1 + 2);
                    splice(text, ke, e, &format!(":\n{}", to_block(&v, &indent, true)))
                }
                _ => {
                    let indent = " ".repeat(line_col(text, s).1 - 1);
                    splice(text, s, e, &to_block(&v, &indent, false))
                }
            };
            push(tally, "flow-to-block", format!("{p} as block"), new_text);
        }
        // deeper indentation of a block value
        if collection
            && !is_flow
            && let Some((ks, _)) = doc.key_span(&p)
            && text[line_start(text, ks)..ks].trim().is_empty()
        {
            let (kl, _) = line_col(text, ks);
            let (el, _) = line_col(text, e);
            let mut new_lines: Vec<String> = text.split('\n').map(str::to_string).collect();
            for l in kl + 1..=el {
                if !new_lines[l - 1].is_empty() {
                    new_lines[l - 1] = format!("  {}", new_lines[l - 1]);
                }
            }
            if kl < el {
                push(
                    tally,
                    "indentation",
                    format!("{p} indented deeper"),
                    new_lines.join("\n"),
                );
            }
        }
        // key order: swap two neighbouring entries of a block mapping
        if let Value::Mapping(m) = &v
            && !is_flow
            && m.len() >= 2
            && let Some(new_text) = swap_first_keys(&doc, &p, m)
        {
            push(tally, "key-order", format!("{p}: first two keys swapped"), new_text);
        }
    }
    out
}

/// A value in flow style, strings JSON-quoted (valid YAML double quotes).
fn to_flow(v: &Value) -> String {
    match v {
        Value::String(s) => json(s),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Sequence(items) => format!("[{}]", items.iter().map(to_flow).collect::<Vec<_>>().join(", ")),
        Value::Mapping(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{}: {}", to_flow(k), to_flow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Tagged(t) => to_flow(&t.value),
    }
}

/// A collection in block style at `indent`, its members in flow style. With
/// `first_indented` false, the first line continues the current line.
fn to_block(v: &Value, indent: &str, first_indented: bool) -> String {
    let lines: Vec<String> = match v {
        Value::Mapping(m) => m
            .iter()
            .map(|(k, v)| format!("{}: {}", to_flow(k), to_flow(v)))
            .collect(),
        Value::Sequence(items) => items.iter().map(|v| format!("- {}", to_flow(v))).collect(),
        other => vec![to_flow(other)],
    };
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 && !first_indented {
                l.clone()
            } else {
                format!("{indent}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first two keys of a block mapping swapped, when both start lines of
/// their own; their whole lines move.
fn swap_first_keys(doc: &Doc, p: &YPath, m: &yaml_serde::Mapping) -> Option<String> {
    let text = doc.text;
    let keys: Vec<&str> = m.keys().filter_map(Value::as_str).collect();
    let starts: Vec<usize> = keys
        .iter()
        .map(|k| doc.key_span(&p.key(*k)).map(|(s, _)| s))
        .collect::<Option<_>>()?;
    for i in 0..keys.len() - 1 {
        let (a, b) = (starts[i], starts[i + 1]);
        let (la, lb) = (line_start(text, a), line_start(text, b));
        if !text[la..a].trim().is_empty() || !text[lb..b].trim().is_empty() || text[la..a] != text[lb..b] {
            continue;
        }
        // Entry b ends where entry c starts, or at its value's last line.
        let end_b = match starts.get(i + 2) {
            Some(c) => line_start(text, *c),
            None => {
                let (_, e) = doc.span(&p.key(keys[i + 1])).or(doc.key_span(&p.key(keys[i + 1])))?;
                let le = line_end(text, e);
                if le < text.len() { le + 1 } else { return None }
            }
        };
        return Some(format!(
            "{}{}{}{}",
            &text[..la],
            &text[lb..end_b],
            &text[la..lb],
            &text[end_b..]
        ));
    }
    None
}

// ------------------------------------------------------------- running ---

/// At most this many edits of one kind are run per case (evenly spread over
/// its files, in document order), so that the suite stays fast as the
/// templates grow; set WFGEN_MUTATIONS_ALL=1 to run every one.
const PER_CASE_KIND_CAP: usize = 30;

fn spread<T>(items: Vec<T>, kind_of: impl Fn(&T) -> &'static str) -> Vec<T> {
    if std::env::var_os("WFGEN_MUTATIONS_ALL").is_some() {
        return items;
    }
    let mut by_kind: BTreeMap<&'static str, usize> = BTreeMap::new();
    for i in &items {
        *by_kind.entry(kind_of(i)).or_insert(0) += 1;
    }
    let mut seen: BTreeMap<&'static str, usize> = BTreeMap::new();
    items
        .into_iter()
        .filter(|i| {
            let k = kind_of(i);
            let n = by_kind[k];
            let j = seen.entry(k).or_insert(0);
            *j += 1;
            // Keep item j (1-based) when it crosses the next multiple of n / cap.
            n <= PER_CASE_KIND_CAP || (*j * PER_CASE_KIND_CAP) / n != ((*j - 1) * PER_CASE_KIND_CAP) / n
        })
        .collect()
}

fn apply(base: &[(String, String)], edit: &Edit) -> Vec<(String, String)> {
    let mut files = base.to_vec();
    match edit {
        Edit::Text { file, text } => {
            for f in &mut files {
                if &f.0 == file {
                    f.1 = text.clone();
                }
            }
        }
        Edit::Delete { file } => files.retain(|f| &f.0 != file),
        Edit::Add { file, text } => files.push((file.clone(), text.clone())),
    }
    files
}

fn describe(o: &Outcome) -> String {
    o.findings
        .iter()
        .map(|f| {
            format!(
                "    {}:{}:{}: {} [{}] ({})",
                f.file,
                f.span.line,
                f.span.col,
                f.message,
                f.rule.id(),
                f.severity.word()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_semantic_mutation_is_caught_and_no_format_edit_fails() {
    let mut tally = Tally::default();
    let mut format_tally = Tally::default();
    let mut failures = Vec::new();
    let (mut n_mut, mut n_fmt) = (0usize, 0usize);
    let mut per_case = Vec::new();
    let (mut ran, mut format_ran) = (BTreeMap::new(), BTreeMap::new());

    for case in cases() {
        let base: Vec<(String, String)> = case.rendered.iter().map(|r| (r.path.clone(), r.text.clone())).collect();
        let clean = check::compare(&case.spec, &case.rendered, &on_disk(&base), Options::default());
        assert!(
            clean.findings.is_empty(),
            "{}: a freshly generated tree must check clean:\n{}",
            case.name,
            describe(&clean)
        );
        // A file that wfgen did not write, and that the spec does not
        // produce, is never reported, even when it is not YAML.
        let mut foreign = base.clone();
        foreign.push((".github/workflows/ci.yml".into(), "on: [push\n".into()));
        let o = check::compare(&case.spec, &case.rendered, &on_disk(&foreign), Options::default());
        assert!(
            o.findings.is_empty(),
            "{}: foreign file reported:\n{}",
            case.name,
            describe(&o)
        );

        let (mut case_mut, mut case_fmt) = (0, 0);
        let mut muts = Vec::new();
        let mut fmts = Vec::new();
        for (i, r) in case.rendered.iter().enumerate() {
            muts.extend(
                semantic_mutations(&r.path, &r.text, &mut tally)
                    .into_iter()
                    .map(|m| (i, m)),
            );
            fmts.extend(format_edits(&r.text, &mut format_tally).into_iter().map(|f| (i, f)));
        }
        {
            // Only the mutated file is compared for text edits (the check is
            // per file); file edits compare the whole tree.
            for (i, m) in spread(muts, |(_, m)| m.kind) {
                let r = &case.rendered[i];
                let verified = match (&m.expect, &m.edit) {
                    (Some(e), Edit::Text { text, .. }) => parses_to(text, e),
                    _ => true,
                };
                if !tally.keep(m.kind, verified) {
                    continue;
                }
                *ran.entry(m.kind).or_insert(0) += 1;
                n_mut += 1;
                case_mut += 1;
                let (rendered, files): (Vec<Rendered>, Vec<(String, String)>) = match &m.edit {
                    Edit::Text { .. } => (vec![r.clone()], apply(&[(r.path.clone(), r.text.clone())], &m.edit)),
                    _ => (case.rendered.clone(), apply(&base, &m.edit)),
                };
                let o = check::compare(&case.spec, &rendered, &on_disk(&files), Options::default());
                let errors: Vec<_> = o.findings.iter().filter(|f| f.severity >= Severity::Error).collect();
                let mut why = Vec::new();
                if errors.is_empty() {
                    why.push("not caught".to_string());
                }
                if let Some(f) = errors.iter().find(|f| f.rule != m.rule) {
                    why.push(format!("wrong rule {} (expected {})", f.rule.id(), m.rule.id()));
                }
                if o.findings.len() != 1 {
                    why.push(format!("{} findings, expected exactly one", o.findings.len()));
                }
                if let Some((line, col)) = m.at
                    && !errors
                        .iter()
                        .any(|f| f.span.line == line && col.is_none_or(|c| f.span.col == c))
                {
                    why.push(format!("not at line {line}, column {col:?}"));
                }
                if o.exit_code() != 1 {
                    why.push(format!("exit code {}", o.exit_code()));
                }
                if !why.is_empty() {
                    failures.push(format!(
                        "{} {} [{}] {}: {}\n{}",
                        case.name,
                        r.path,
                        m.kind,
                        m.desc,
                        why.join("; "),
                        describe(&o)
                    ));
                }
            }

            for (i, fe) in spread(fmts, |(_, f)| f.kind) {
                let r = &case.rendered[i];
                if !format_tally.keep(fe.kind, parses_to(&fe.text, &fe.expect)) {
                    continue;
                }
                *format_ran.entry(fe.kind).or_insert(0) += 1;
                n_fmt += 1;
                case_fmt += 1;
                let rendered = vec![r.clone()];
                let files = vec![(r.path.clone(), fe.text.clone())];
                let o = check::compare(&case.spec, &rendered, &on_disk(&files), Options::default());
                let strict = check::compare(&case.spec, &rendered, &on_disk(&files), Options { strict: true });
                let only_format = o.findings.len() == 1
                    && o.findings[0].rule == Rule::FormatDrift
                    && o.findings[0].severity == Severity::Warning;
                if !only_format || o.exit_code() != 0 || strict.exit_code() != 1 {
                    failures.push(format!(
                        "{} {} [format {}] {}: expected one format-drift warning (exit 0; --strict exit 1), got exit {} / strict {}\n{}",
                        case.name,
                        r.path,
                        fe.kind,
                        fe.desc,
                        o.exit_code(),
                        strict.exit_code(),
                        describe(&o)
                    ));
                }
            }
        }
        per_case.push(format!("{}: {case_mut} mutations, {case_fmt} format edits", case.name));
    }

    println!("mutation suite: {n_mut} semantic mutations, {n_fmt} format-only edits");
    for c in &per_case {
        println!("  {c}");
    }
    println!("  semantic mutations run, by kind: {ran:?}");
    println!("  format edits run, by kind: {format_ran:?}");
    println!(
        "  verified edits (the cap is {PER_CASE_KIND_CAP} candidates of a kind per case): semantic {:?}, format {:?}",
        tally.made, format_tally.made
    );
    println!(
        "  candidates the generator could not verify (skipped): semantic {:?}, format {:?}",
        tally.unverified, format_tally.unverified
    );

    if !failures.is_empty() {
        let n = failures.len();
        failures.truncate(40);
        panic!("{n} failures (first 40):\n{}", failures.join("\n"));
    }
    assert!(n_mut >= 300, "only {n_mut} semantic mutations");
    assert!(n_fmt >= 100, "only {n_fmt} format-only edits");
    for kind in [
        "scalar",
        "script-line",
        "delete-item",
        "add-key",
        "reorder",
        "pin-bump",
        "delete-file",
        "stale-file",
        "header-digest",
    ] {
        assert!(
            tally.made.get(kind).copied().unwrap_or(0) > 0,
            "no {kind} mutation was made"
        );
    }
    for kind in [
        "comment-line",
        "trailing-comment",
        "blank-line",
        "spacing",
        "quoting",
        "block-to-flow",
        "flow-to-block",
        "indentation",
        "key-order",
    ] {
        assert!(
            format_tally.made.get(kind).copied().unwrap_or(0) > 0,
            "no {kind} format edit was made"
        );
    }
    // The generator must keep working as the templates grow: most candidates
    // must turn into verified edits.
    let bad: usize = tally.unverified.values().sum::<usize>() + format_tally.unverified.values().sum::<usize>();
    let good: usize = tally.made.values().sum::<usize>() + format_tally.made.values().sum::<usize>();
    assert!(
        bad * 10 <= good,
        "the mutation generator could not verify {bad} candidate edits against {good} made; extend it"
    );
}
