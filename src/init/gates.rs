//! Quality gates from the targets of the root Makefile or justfile.

use std::sync::LazyLock;

use regex::Regex;

use super::repo::Repo;

pub struct Gate {
    pub name: String,
    pub run: String,
    pub why: String,
}

/// Gate name -> the target names that mean it, in order of preference.
const KINDS: &[(&str, &[&str])] = &[
    (
        "format",
        &[
            "fmt-check",
            "format-check",
            "check-fmt",
            "check-format",
            "fmt.check",
            "format.check",
            "lint-fmt",
        ],
    ),
    ("lint", &["lint", "lints", "linters", "check-lint"]),
    ("vet", &["vet"]),
    ("typecheck", &["typecheck", "type-check", "types", "mypy"]),
    (
        "test",
        &[
            "test",
            "tests",
            "test-unit",
            "test.unit",
            "test_unit",
            "unit-test",
            "unit-tests",
            "unittest",
            "unit",
        ],
    ),
];

static MAKE_RULE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([A-Za-z0-9_.\-/][A-Za-z0-9_.\-/ \t]*?)[ \t]*::?(?:[^=:]|$)").expect("regex"));
static JUST_RECIPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^@?([A-Za-z_][A-Za-z0-9_-]*)(?:[ \t]+[^:=]*)?:(?:[^=]|$)").expect("regex"));

/// Target names of a Makefile, in file order.
fn make_targets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t', '#']) {
            continue;
        }
        if let Some(c) = MAKE_RULE.captures(line) {
            for t in c[1].split_whitespace() {
                if !t.starts_with('.') && !t.contains(['%', '$']) && !out.iter().any(|o| o == t) {
                    out.push(t.to_string());
                }
            }
        }
    }
    out
}

/// Recipe names of a justfile, in file order.
fn just_recipes(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let first = line.split_whitespace().next().unwrap_or("");
        if line.starts_with([' ', '\t', '#', '[']) || ["set", "alias", "export", "import", "mod"].contains(&first) {
            continue;
        }
        if let Some(c) = JUST_RECIPE.captures(line) {
            let t = c[1].to_string();
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

/// The gates that the root Makefile and justfile offer (the Makefile first).
pub fn scan(repo: &Repo) -> Vec<Gate> {
    let mut sources: Vec<(String, &str, Vec<String>)> = Vec::new();
    for f in ["Makefile", "makefile", "GNUmakefile"] {
        if let Some(t) = repo.read(f) {
            sources.push((f.to_string(), "make", make_targets(&t)));
            break;
        }
    }
    for f in ["justfile", "Justfile", ".justfile"] {
        if let Some(t) = repo.read(f) {
            sources.push((f.to_string(), "just", just_recipes(&t)));
            break;
        }
    }
    let mut gates = Vec::new();
    for (gate, names) in KINDS {
        'kind: for (file, tool, targets) in &sources {
            for n in *names {
                if targets.iter().any(|t| t == n) {
                    gates.push(Gate {
                        name: gate.to_string(),
                        run: format!("{tool} {n}"),
                        why: format!("from {file} target `{n}`"),
                    });
                    break 'kind;
                }
            }
        }
    }
    gates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makefile_targets() {
        let t = ".PHONY: lint test\nall: test build\nlints:\n\tcargo clippy\nVERSION := 1\nX ::= 2\ntest.unit: a b\n%.o: %.c\nfmt-check: ## help\n  indented: no\n";
        assert_eq!(make_targets(t), ["all", "lints", "test.unit", "fmt-check"]);
    }

    #[test]
    fn justfile_recipes() {
        let t = "set shell := [\"bash\"]\nalias t := test\nversion := \"1\"\n[private]\n@lint:\n    cargo clippy\ntest *args: build\n    cargo test\n# c:\n";
        assert_eq!(just_recipes(t), ["lint", "test"]);
    }
}
