//! The documentation users read, kept true by tests:
//! - docs/rules/: one page per rule id that `wfgen check` can emit, and no
//!   page for an id it cannot; the help links of findings point at them.

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
