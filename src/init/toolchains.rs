//! Toolchain versions the repository already pins for its developers:
//! rust-toolchain.toml, .python-version, .nvmrc / .node-version and asdf's
//! or mise's `.tool-versions`. Only a version wfgen can install as written
//! is taken, and only for a tool the release's builds or gates use.

use regex::Regex;

use super::repo::Repo;

/// One `toolchains:` entry: key, value, where it came from.
pub struct Tool {
    pub key: &'static str,
    pub value: String,
    pub why: String,
}

/// What the release builds, which decides the tools worth pinning.
pub struct Uses {
    pub rust: bool,
    pub go: bool,
    pub python: bool,
    pub helm: bool,
}

/// `.tool-versions` lines: tool -> first version.
fn tool_versions(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or_default())
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            Some((words.next()?.to_string(), words.next()?.to_string()))
        })
        .collect()
}

pub fn scan(repo: &Repo, uses: &Uses) -> Vec<Tool> {
    let asdf = repo
        .read(".tool-versions")
        .map(|t| tool_versions(&t))
        .unwrap_or_default();
    let from_asdf = |names: &[&str]| {
        asdf.iter()
            .find(|(tool, _)| names.contains(&tool.as_str()))
            .map(|(tool, v)| (v.clone(), format!("from .tool-versions ({tool})")))
    };
    let first_line = |file: &str| {
        repo.read(file)
            .and_then(|t| t.lines().next().map(|l| l.trim().to_string()))
            .filter(|l| !l.is_empty())
            .map(|v| (v, format!("from {file}")))
    };
    let pinned = |re: &str, found: Option<(String, String)>| {
        found.filter(|(v, _)| {
            Regex::new(re)
                .expect("the patterns below are valid regexes")
                .is_match(v)
        })
    };
    let mut out = Vec::new();
    let mut push = |key: &'static str, found: Option<(String, String)>| {
        if let Some((value, why)) = found {
            out.push(Tool { key, value, why });
        }
    };
    if uses.rust {
        let file = ["rust-toolchain.toml", "rust-toolchain"]
            .into_iter()
            .find(|f| repo.read(f).is_some())
            .map(|f| ("file".to_string(), format!("from {f}: rustup installs what it names")));
        push(
            "rust",
            file.or_else(|| pinned(r"^\d+\.\d+(\.\d+)?$", from_asdf(&["rust"]))),
        );
    }
    if uses.go {
        push("go", pinned(r"^\d+\.\d+\.\d+$", from_asdf(&["golang", "go"])));
    }
    if uses.python {
        let found = first_line(".python-version").or_else(|| from_asdf(&["python"]));
        push("python", pinned(r"^3\.\d+(\.\d+)?$", found));
    }
    let node = first_line(".nvmrc")
        .or_else(|| first_line(".node-version"))
        .or_else(|| from_asdf(&["nodejs", "node"]))
        .map(|(v, why)| (v.trim_start_matches('v').to_string(), why));
    push("node", pinned(r"^\d+(\.\d+){0,2}$", node));
    if uses.helm {
        let helm = from_asdf(&["helm"]).map(|(v, why)| (format!("v{}", v.trim_start_matches('v')), why));
        push("helm", pinned(r"^v\d+\.\d+\.\d+$", helm));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_versions_lines() {
        assert_eq!(
            tool_versions("python 3.12.8\ngitleaks 8.18.0 # scanner\n\nnodejs 22.17.1 20.1.0\n"),
            [
                ("python".to_string(), "3.12.8".to_string()),
                ("gitleaks".into(), "8.18.0".into()),
                ("nodejs".into(), "22.17.1".into()),
            ]
        );
    }
}
