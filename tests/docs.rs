//! The documentation users read, kept true by tests:
//! - docs/reference.md: a section per key path of the JSON Schema of the spec
//!   (schema/wfgen.schema.json), and none for a path the schema does not
//!   have; each with its type, default, what it changes and an example that
//!   is a valid spec setting the key;
//! - docs/rules/: one page per rule id that `wfgen check` can emit, and no
//!   page for an id it cannot; the help links of findings point at them;
//! - every relative link of README.md and docs/ leads to a file, and every
//!   `#anchor` to a heading of it;
//! - nothing users read mentions the project's internal design contract.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use wfgen::check::{RULES_DOCS, Rule};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The page names under docs/rules/ (without `.md`), apart from the index.
fn rule_pages() -> BTreeSet<String> {
    std::fs::read_dir(root().join("docs/rules"))
        .expect("docs/rules/ is readable")
        .map(|e| e.expect("docs/rules entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "README.md")
        .map(|n| {
            n.strip_suffix(".md")
                .unwrap_or_else(|| panic!("docs/rules/{n}: only .md pages belong here"))
                .to_string()
        })
        .collect()
}

fn rule_ids() -> BTreeSet<String> {
    Rule::ALL.iter().map(|r| r.id().to_string()).collect()
}

#[test]
fn every_rule_has_a_page_and_every_page_is_a_rule() {
    let pages = rule_pages();
    let ids = rule_ids();
    let missing: Vec<&String> = ids.iter().filter(|id| !pages.contains(*id)).collect();
    assert!(
        missing.is_empty(),
        "rule ids without a page in docs/rules/ (write docs/rules/<id>.md): {missing:?}"
    );
    let unknown: Vec<&String> = pages.iter().filter(|p| !ids.contains(*p)).collect();
    assert!(
        unknown.is_empty(),
        "pages in docs/rules/ that are no rule id of `wfgen check` (rename or delete them): {unknown:?}"
    );
}

#[test]
fn every_rule_page_says_what_example_fix_and_severity() {
    for page in rule_pages() {
        let text = read(&root().join(format!("docs/rules/{page}.md")));
        assert!(
            text.starts_with(&format!("# `{page}`\n")),
            "docs/rules/{page}.md must start with the title \"# `{page}`\""
        );
        for section in [
            "## What it means",
            "## Example",
            "## How to fix it",
            "## Warning or error",
        ] {
            assert!(
                text.lines().any(|l| l == section),
                "docs/rules/{page}.md has no section \"{section}\""
            );
        }
        assert!(
            text.contains(&format!("[{page}]")),
            "docs/rules/{page}.md: the example shows no finding of the rule (`[{page}]`, as --format oneline ends)"
        );
        assert!(
            text.contains("**Severity:**"),
            "docs/rules/{page}.md says no **Severity:**"
        );
    }
}

#[test]
fn the_rule_index_links_every_page() {
    let index = read(&root().join("docs/rules/README.md"));
    for page in rule_pages() {
        assert!(
            index.contains(&format!("]({page}.md)")),
            "docs/rules/README.md does not link {page}.md"
        );
    }
}

#[test]
fn rule_pages_state_the_severity_the_code_gives() {
    use wfgen::check::Severity;
    for r in Rule::ALL {
        let text = read(&root().join(format!("docs/rules/{}.md", r.id())));
        let line = text
            .lines()
            .find(|l| l.starts_with("**Severity:**"))
            .unwrap_or_else(|| panic!("docs/rules/{}.md says no **Severity:**", r.id()));
        let word = match r.default_severity() {
            Severity::Warning => "warning",
            Severity::Error => "error",
            Severity::Fatal => "fatal",
        };
        assert!(
            line.starts_with(&format!("**Severity:** {word} ")),
            "docs/rules/{}.md: the code gives {word}, the page says `{line}`",
            r.id()
        );
    }
}

#[test]
fn help_links_are_absolute_and_name_the_pages() {
    let repository = env!("CARGO_PKG_REPOSITORY");
    assert!(
        repository.starts_with("https://"),
        "Cargo.toml's `repository` must be an absolute https URL, is {repository:?}"
    );
    assert_eq!(RULES_DOCS, format!("{repository}/blob/main/docs/rules/"));
    for r in Rule::ALL {
        let uri = r.help_uri();
        let page = uri.strip_prefix(RULES_DOCS).expect("under RULES_DOCS");
        assert!(
            root().join("docs/rules").join(page).is_file(),
            "{uri}: no docs/rules/{page}"
        );
    }
}

// ---------------------------------------------------------------------------
// docs/reference.md against the JSON Schema

/// Every property path of the schema: keys joined with `.`, `[]` after a list
/// whose items have properties, `<*>` for the key of a map
/// (`additionalProperties`), through `$ref`, `anyOf`, `oneOf` and `allOf`.
/// Definitions of the schema that several keys share, documented once under
/// a pseudo-path of their own: `Step` (every `setup` list and a job's
/// `steps`) as `<step>.name`, `<step>.run`, ...
const SHARED: &[(&str, &str)] = &[("Step", "<step>")];

fn schema_paths() -> BTreeSet<String> {
    schema_walk().0
}

/// The key paths of the schema, and where each shared definition is used
/// (`setup[]`, `jobs[].steps[]`, ...).
fn schema_walk() -> (BTreeSet<String>, BTreeSet<(String, String)>) {
    fn walk(
        node: &serde_json::Value,
        defs: &serde_json::Value,
        path: &str,
        out: &mut (BTreeSet<String>, BTreeSet<(String, String)>),
        depth: usize,
    ) {
        assert!(depth < 32, "schema recursion at {path}");
        if let Some(r) = node.get("$ref").and_then(|r| r.as_str()) {
            let name = r.rsplit('/').next().expect("a $ref names a definition");
            let def = defs.get(name).unwrap_or_else(|| panic!("$ref {r} names no definition"));
            match SHARED.iter().find(|(n, _)| *n == name) {
                Some((_, pseudo)) => {
                    out.1.insert((pseudo.to_string(), path.to_string()));
                    walk(def, defs, pseudo, out, depth + 1);
                }
                None => walk(def, defs, path, out, depth + 1),
            }
        }
        for k in ["anyOf", "oneOf", "allOf"] {
            for sub in node.get(k).and_then(|v| v.as_array()).into_iter().flatten() {
                walk(sub, defs, path, out, depth + 1);
            }
        }
        if let Some(props) = node.get("properties").and_then(|p| p.as_object()) {
            for (k, v) in props {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                out.0.insert(p.clone());
                walk(v, defs, &p, out, depth + 1);
            }
        }
        if let Some(items) = node.get("items").filter(|i| i.is_object()) {
            walk(items, defs, &format!("{path}[]"), out, depth + 1);
        }
        if let Some(values) = node.get("additionalProperties").filter(|a| a.is_object()) {
            walk(values, defs, &format!("{path}.<*>"), out, depth + 1);
        }
    }
    let schema: serde_json::Value = serde_json::from_str(&read(&root().join("schema/wfgen.schema.json")))
        .expect("schema/wfgen.schema.json is JSON");
    let defs = schema.get("$defs").cloned().unwrap_or_default();
    let mut out = (BTreeSet::new(), BTreeSet::new());
    walk(&schema, &defs, "", &mut out, 0);
    out
}

/// `pins.<action>.sha` -> `pins.<*>.sha`: the name of a map key is the page's.
fn normalize(path: &str) -> String {
    path.split('.')
        .map(|seg| {
            if SHARED.iter().any(|(_, pseudo)| *pseudo == seg) {
                seg
            } else if seg.starts_with('<') && seg.ends_with('>') {
                "<*>"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// One key section of docs/reference.md: its heading's path and its lines up
/// to the next heading.
struct KeySection {
    path: String,
    line: usize,
    body: Vec<String>,
}

/// The headings of a Markdown text outside code fences: (level, text, line).
fn headings(text: &str) -> Vec<(usize, String, usize)> {
    let mut fence = false;
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        if l.trim_start().starts_with("```") {
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        let level = l.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&level) && l[level..].starts_with(' ') {
            out.push((level, l[level..].trim().to_string(), i + 1));
        }
    }
    out
}

/// The sections whose heading is one code span: the documented keys.
fn key_sections(text: &str) -> Vec<KeySection> {
    let lines: Vec<&str> = text.lines().collect();
    let hs = headings(text);
    let mut out = Vec::new();
    for (n, (_, h, line)) in hs.iter().enumerate() {
        let Some(path) = h.strip_prefix('`').and_then(|h| h.strip_suffix('`')) else {
            continue;
        };
        assert!(
            !path.contains('`'),
            "docs/reference.md:{line}: a key heading is one code span: {h}"
        );
        let end = hs.get(n + 1).map(|(_, _, l)| l - 1).unwrap_or(lines.len());
        out.push(KeySection {
            path: path.to_string(),
            line: *line,
            body: lines[*line..end].iter().map(|s| s.to_string()).collect(),
        });
    }
    out
}

/// The ```yaml blocks of some lines: (line offset of the block, text).
fn yaml_blocks(lines: &[String]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, String)> = None;
    for (i, l) in lines.iter().enumerate() {
        match &mut cur {
            None if l.trim() == "```yaml" => cur = Some((i, String::new())),
            None => {}
            Some(_) if l.trim() == "```" => out.push(cur.take().expect("in a block")),
            Some((_, t)) => {
                t.push_str(l);
                t.push('\n');
            }
        }
    }
    assert!(cur.is_none(), "a ```yaml block is not closed");
    out
}

/// An example of the reference as a whole spec: `wfgen: 1` and a `project:`
/// added when it has none.
fn as_spec(example: &str) -> String {
    let has = |key: &str| example.lines().any(|l| l.starts_with(&format!("{key}:")));
    let mut spec = String::new();
    if !has("wfgen") {
        spec.push_str("wfgen: 1\n");
    }
    if !has("project") {
        spec.push_str("project: { name: demo }\n");
    }
    spec.push_str(example);
    spec
}

/// Whether the YAML `v` has the key path `path` (`[]`: some item of a list;
/// `<*>`: some key of a map).
fn has_path(v: &yaml_serde::Value, segs: &[&str]) -> bool {
    use yaml_serde::Value as Y;
    let Some((first, rest)) = segs.split_first() else {
        return true;
    };
    let (key, list) = match first.strip_suffix("[]") {
        Some(k) => (k, true),
        None => (*first, false),
    };
    let children: Vec<&Y> = match v {
        Y::Mapping(m) if key == "<*>" => m.values().collect(),
        Y::Mapping(m) => m.get(key).into_iter().collect(),
        _ => Vec::new(),
    };
    children.into_iter().any(|c| {
        if list {
            match c {
                Y::Sequence(items) => items.iter().any(|i| has_path(i, rest)),
                _ => false,
            }
        } else {
            has_path(c, rest)
        }
    })
}

fn reference() -> String {
    read(&root().join("docs/reference.md"))
}

#[test]
fn the_reference_documents_every_key_of_the_schema_and_no_other() {
    let schema = schema_paths();
    assert!(
        schema.len() > 50 && schema.contains("binaries[].targets") && schema.contains("pins.<*>.sha"),
        "the schema walk found {} paths: {schema:?}",
        schema.len()
    );
    let sections = key_sections(&reference());
    let mut documented = BTreeSet::new();
    for s in &sections {
        assert!(
            documented.insert(normalize(&s.path)),
            "docs/reference.md:{}: `{}` is documented twice",
            s.line,
            s.path
        );
    }
    let missing: Vec<&String> = schema.iter().filter(|p| !documented.contains(*p)).collect();
    let unknown: Vec<&String> = documented.iter().filter(|p| !schema.contains(*p)).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "keys of schema/wfgen.schema.json that docs/reference.md does not document \
         (add a heading ### `<path>` for each, `<name>` for a map key): {missing:#?}\n\
         keys documented in docs/reference.md that the spec does not have \
         (a renamed or removed key, or a typo): {unknown:#?}"
    );
}

#[test]
fn every_key_of_the_reference_has_type_default_changes_and_an_example_that_sets_it() {
    let (_, uses) = schema_walk();
    for s in key_sections(&reference()) {
        let at = format!("docs/reference.md:{} (`{}`)", s.line, s.path);
        for field in ["- **Type:**", "- **Default:**", "- **Changes:**"] {
            assert!(
                s.body.iter().any(|l| l.starts_with(field)),
                "{at}: no line starting with `{field}`"
            );
        }
        let blocks = yaml_blocks(&s.body);
        let (_, example) = blocks.first().unwrap_or_else(|| panic!("{at}: no ```yaml example"));
        let spec = as_spec(example);
        let value: yaml_serde::Value =
            yaml_serde::from_str(&spec).unwrap_or_else(|e| panic!("{at}: the example is not YAML: {e}\n{spec}"));
        let path = normalize(&s.path);
        // A key of a shared definition is set at any of its places.
        let places: Vec<String> = match SHARED
            .iter()
            .find(|(_, pseudo)| path.starts_with(&format!("{pseudo}.")))
        {
            Some((_, pseudo)) => uses
                .iter()
                .filter(|(p, _)| p == pseudo)
                .map(|(_, at)| format!("{at}{}", &path[pseudo.len()..]))
                .collect(),
            None => vec![path.clone()],
        };
        assert!(
            places
                .iter()
                .any(|p| has_path(&value, &p.split('.').collect::<Vec<_>>())),
            "{at}: the example does not set the key:\n{example}"
        );
    }
}

#[test]
fn every_yaml_example_of_the_reference_is_a_valid_spec() {
    let text = reference();
    let lines: Vec<String> = text.lines().map(String::from).collect();
    let blocks = yaml_blocks(&lines);
    assert!(blocks.len() > 80, "only {} examples found", blocks.len());
    for (i, example) in blocks {
        let spec = as_spec(&example);
        if let Err(e) = wfgen::parse_spec("wfgen.yaml", &spec) {
            panic!(
                "docs/reference.md:{}: the example is not a valid spec:\n{}\n--- as a spec:\n{spec}",
                i + 2,
                e.oneline().join("\n")
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Links between the pages

/// README.md and every Markdown file under docs/.
fn pages() -> Vec<PathBuf> {
    let mut out = vec![root().join("README.md")];
    out.extend(
        walkdir::WalkDir::new(root().join("docs"))
            .into_iter()
            .map(|e| e.expect("docs/ entry"))
            .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
            .map(|e| e.into_path()),
    );
    out.sort();
    out
}

/// GitHub's anchor of a heading: lowercase, punctuation dropped, spaces as `-`.
fn slug(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The link targets of a Markdown text, outside code fences and code spans:
/// (line, target).
fn links(text: &str) -> Vec<(usize, String)> {
    let link = regex::Regex::new(r"\]\(([^)\s]+)\)").expect("regex");
    let code = regex::Regex::new(r"`+[^`]*`+").expect("regex");
    let mut fence = false;
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        if l.trim_start().starts_with("```") {
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        let plain = code.replace_all(l, "");
        out.extend(link.captures_iter(&plain).map(|c| (i + 1, c[1].to_string())));
    }
    out
}

#[test]
fn relative_links_lead_to_files_and_headings() {
    let mut broken = Vec::new();
    for page in pages() {
        let text = read(&page);
        let rel = page.strip_prefix(root()).expect("under the root").display().to_string();
        for (line, target) in links(&text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (file, anchor) = match target.split_once('#') {
                Some((f, a)) => (f, Some(a)),
                None => (target.as_str(), None),
            };
            let path = if file.is_empty() {
                page.clone()
            } else {
                page.parent().expect("a page has a directory").join(file)
            };
            if !path.exists() {
                broken.push(format!("{rel}:{line}: {target}: no such file"));
                continue;
            }
            if let Some(anchor) = anchor
                && path.extension().is_some_and(|x| x == "md")
            {
                let anchors: Vec<String> = headings(&read(&path)).iter().map(|(_, h, _)| slug(h)).collect();
                if !anchors.iter().any(|a| a == anchor) {
                    broken.push(format!("{rel}:{line}: {target}: no heading with this anchor"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

// ---------------------------------------------------------------------------
// The internal design contract stays internal

/// The files users read, from the repository root: the README and docs, the
/// sources of every help and error text and of the generated files, the
/// distribution files, the committed workflows, the fixtures.
const USER_READ: &[&str] = &[
    "README.md",
    "docs",
    "src",
    "templates",
    "schema",
    "data",
    "fixtures",
    ".github",
    "action.yml",
    ".pre-commit-hooks.yaml",
    "Cargo.toml",
    "pyproject.toml",
    "wfgen.yaml",
];

fn mentions_the_contract(text: &str) -> Option<usize> {
    let re = regex::Regex::new(r"(?i)design\.md|design contract").expect("regex");
    re.find(text).map(|m| text[..m.start()].lines().count().max(1))
}

#[test]
fn nothing_users_read_mentions_the_design_contract() {
    let mut hits = Vec::new();
    let mut read_files = 0;
    for entry in USER_READ {
        let path = root().join(entry);
        if !path.exists() {
            continue; // pyproject.toml, before the wheel exists
        }
        for e in walkdir::WalkDir::new(&path).into_iter().map(|e| e.expect("entry")) {
            if !e.file_type().is_file() {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(e.path()) else {
                continue; // not text
            };
            read_files += 1;
            if let Some(line) = mentions_the_contract(&text) {
                hits.push(format!("{}:{line}", e.path().strip_prefix(root()).unwrap().display()));
            }
        }
    }
    // What wfgen generates for every fixture and for its own spec, and what
    // it prints as the JSON Schema.
    let mut specs: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures"))
        .expect("fixtures/")
        .map(|e| e.expect("fixture").path().join("wfgen.yaml"))
        .filter(|p| p.is_file())
        .collect();
    specs.push(root().join("wfgen.yaml"));
    for spec in specs {
        let loaded = wfgen::load_spec(&spec).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
        for r in wfgen::generate(&loaded) {
            read_files += 1;
            if let Some(line) = mentions_the_contract(&r.text) {
                hits.push(format!("{} generated from {}:{line}", r.path, spec.display()));
            }
        }
    }
    let schema = serde_json::to_string_pretty(&wfgen::spec::schema_json()).expect("schema serializes");
    if let Some(line) = mentions_the_contract(&schema) {
        hits.push(format!("`wfgen schema`:{line}"));
    }
    assert!(read_files > 100, "only {read_files} files read");
    assert!(
        hits.is_empty(),
        "the internal design contract is named where users read it (README, docs, help and error \
         texts, generated files); say what it says instead:\n{}",
        hits.join("\n")
    );
}

#[test]
fn the_design_contract_check_finds_a_mention() {
    assert_eq!(mentions_the_contract("a\nsee DESIGN.md\n"), Some(2));
    assert_eq!(mentions_the_contract("as the design contract says"), Some(1));
    assert_eq!(mentions_the_contract("a design decision"), None);
}

/// The spec keys that prose names (`` `docker[].binaries` ``,
/// `` `versioning.prerelease-format` ``): a backticked dotted path whose first
/// segment is a top-level key of the spec, in every page users read.
fn keys_named_in_prose(text: &str) -> Vec<(usize, String)> {
    let re = regex::Regex::new(r"`([a-z][a-z0-9-]*(?:\[\])?(?:\.(?:[a-z][a-z0-9-]*|<[a-z-]+>)(?:\[\])?)+)`").unwrap();
    let top: BTreeSet<String> = schema_paths()
        .iter()
        .map(|p| p.split(['.', '[']).next().unwrap().to_string())
        .collect();
    let mut out = Vec::new();
    let mut fenced = false;
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        for c in re.captures_iter(line) {
            let path = c[1].to_string();
            let first = path.split(['.', '[']).next().unwrap();
            // File and host names (`release.yml`, `docker.io`) are no keys.
            let file = [
                ".yml", ".yaml", ".md", ".toml", ".json", ".txt", ".rs", ".sh", ".j2", ".tsv", ".lock", ".io", ".com",
            ]
            .iter()
            .any(|e| path.ends_with(e));
            if top.contains(first) && !file {
                out.push((i + 1, path));
            }
        }
    }
    out
}

/// A key named in prose is a key of the schema: a page cannot tell users
/// about a key the tool refuses (as `docker[].sign` once did).
#[test]
fn every_key_named_in_prose_is_a_key_of_the_schema() {
    let (paths, uses) = schema_walk();
    let known: BTreeSet<String> = paths.iter().map(|p| normalize(p)).collect();
    // `setup[].secrets` is the shared step's `<step>.secrets`, used at `setup[]`.
    let resolve = |n: &str| -> bool {
        known.contains(n)
            || uses.iter().any(|(pseudo, at)| {
                n.strip_prefix(at.as_str())
                    .and_then(|rest| rest.strip_prefix('.'))
                    .is_some_and(|rest| known.contains(&format!("{pseudo}.{rest}")))
            })
    };
    let mut bad = Vec::new();
    for page in pages() {
        let text = read(&page);
        for (line, path) in keys_named_in_prose(&text) {
            let n = normalize(&path)
                .split('.')
                .map(|s| if s.starts_with('<') { "<*>" } else { s })
                .collect::<Vec<_>>()
                .join(".");
            if !resolve(&n) {
                bad.push(format!(
                    "{}:{line}: `{path}`",
                    page.strip_prefix(root()).unwrap().display()
                ));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "keys named in prose that the schema does not hold:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_prose_key_check_finds_a_key_the_schema_lacks() {
    let found =
        keys_named_in_prose("sign images with `docker[].sign`, see `release.yml` and\n```\n`docker[].nope`\n```\n");
    assert_eq!(found, vec![(1, "docker[].sign".to_string())]);
}
