//! Python distributions: every pyproject.toml the walk found that names a
//! project (`[project] name` or `[tool.poetry] name`).

use toml::{Table, Value};

use super::repo::{self, Repo};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Build {
    Maturin,
    Pure,
}

pub struct Package {
    pub name: String,
    /// Directory holding pyproject.toml (`.` for the root).
    pub path: String,
    pub build: Build,
    pub abi3: bool,
    pub abi3_why: Option<String>,
    /// CPython versions from `requires-python` (maturin without abi3).
    pub python: Vec<String>,
    pub why: String,
    pub python_why: Option<String>,
    /// A pure package's builder other than PyPA build, and why: `poetry`
    /// for the poetry-core backend, `uv` for uv_build.
    pub builder: Option<(&'static str, String)>,
}

pub struct Python {
    pub packages: Vec<Package>,
    pub notes: Vec<String>,
}

/// CPython versions wheels are built for when requires-python allows them.
const PYTHONS: &[&str] = &["3.9", "3.10", "3.11", "3.12", "3.13"];

fn minor(s: &str) -> Option<u32> {
    let mut it = s.trim().trim_start_matches(['=', '>', '<', '~', '!', ' ']).split('.');
    (it.next()?.trim() == "3").then_some(())?;
    it.next()?.trim().trim_end_matches('*').parse().ok()
}

/// The CPython versions of [`PYTHONS`] that a `requires-python` allows
/// (only `>=`, `>`, `<`, `<=` and `~=` clauses are read).
fn pythons(spec: &str) -> Vec<String> {
    let mut lo = 0u32;
    let mut hi = u32::MAX;
    let mut read = false;
    for clause in spec.split(',') {
        let c = clause.trim();
        let Some(m) = minor(c) else { continue };
        read = true;
        if c.starts_with(">=") || c.starts_with("~=") {
            lo = lo.max(m);
        } else if c.starts_with('>') {
            lo = lo.max(m + 1);
        } else if c.starts_with("<=") {
            hi = hi.min(m);
        } else if c.starts_with('<') {
            hi = hi.min(m.saturating_sub(1));
        }
    }
    if !read {
        return Vec::new();
    }
    PYTHONS
        .iter()
        .filter(|v| minor(v).is_some_and(|m| m >= lo && m <= hi))
        .map(|v| v.to_string())
        .collect()
}

fn get<'a>(t: &'a Table, path: &[&str]) -> Option<&'a Value> {
    let (last, init) = path.split_last()?;
    let mut cur = t;
    for k in init {
        cur = cur.get(*k)?.as_table()?;
    }
    cur.get(*last)
}

fn strs(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

pub fn scan(repo: &Repo) -> Python {
    let mut packages = Vec::new();
    let mut notes = Vec::new();
    for rel in repo
        .files
        .iter()
        .filter(|f| f.rsplit('/').next() == Some("pyproject.toml"))
    {
        let Some(doc) = repo.read(rel).and_then(|t| t.parse::<Table>().ok()) else {
            notes.push(format!("{rel} is not valid TOML (or not readable): skipped"));
            continue;
        };
        let project_name = get(&doc, &["project", "name"]).and_then(Value::as_str);
        let poetry_name = get(&doc, &["tool", "poetry", "name"]).and_then(Value::as_str);
        let Some((name, name_key)) = project_name
            .map(|n| (n, "[project] name"))
            .or(poetry_name.map(|n| (n, "[tool.poetry] name")))
        else {
            continue; // tool configuration only
        };
        if strs(get(&doc, &["project", "classifiers"]))
            .iter()
            .any(|c| c.starts_with("Private ::"))
        {
            notes.push(format!(
                "{rel}: {name} is marked `Private ::` (not uploaded): not added"
            ));
            continue;
        }
        let backend = get(&doc, &["build-system", "build-backend"])
            .and_then(Value::as_str)
            .unwrap_or("");
        let requires = strs(get(&doc, &["build-system", "requires"]));
        let maturin = backend == "maturin" || requires.iter().any(|r| r.trim_start().starts_with("maturin"));
        let dir = repo::dir_of(rel);
        let backend_desc = if backend.is_empty() {
            "no build-backend".to_string()
        } else {
            format!("build-backend {backend}")
        };
        // abi3: pyo3's abi3 feature, in [tool.maturin] features or the crate's pyo3 dependency.
        let mut abi3_why = strs(get(&doc, &["tool", "maturin", "features"]))
            .into_iter()
            .find(|f| f.contains("abi3"))
            .map(|f| format!("{rel} [tool.maturin] features {f}"));
        // A binary, cffi or uniffi wheel serves every Python version, like abi3.
        if let Some(b) = get(&doc, &["tool", "maturin", "bindings"])
            .and_then(Value::as_str)
            .filter(|b| ["bin", "cffi", "uniffi"].contains(b))
        {
            abi3_why = Some(format!("{rel} [tool.maturin] bindings {b}"));
        }
        if maturin && abi3_why.is_none() {
            let manifest = get(&doc, &["tool", "maturin", "manifest-path"])
                .and_then(Value::as_str)
                .map(|m| repo::join(&dir, m.trim_start_matches("./")))
                .unwrap_or_else(|| repo::join(&dir, "Cargo.toml"));
            if let Some(cargo) = super::cargo::parse(repo, &manifest) {
                abi3_why = strs(get(&cargo, &["dependencies", "pyo3", "features"]))
                    .into_iter()
                    .find(|f| f.starts_with("abi3"))
                    .map(|f| format!("{manifest} pyo3 feature {f}"));
            }
        }
        let abi3 = maturin && abi3_why.is_some();
        let requires_python = get(&doc, &["project", "requires-python"]).and_then(Value::as_str);
        let (python, python_why) = match requires_python {
            Some(spec) if maturin && !abi3 => {
                let v = pythons(spec);
                if v.is_empty() {
                    (v, None)
                } else {
                    (v, Some(format!("{rel} requires-python {spec}")))
                }
            }
            _ => (Vec::new(), None),
        };
        let builder = match backend {
            _ if maturin => None,
            "poetry.core.masonry.api" => Some(("poetry", format!("from {rel} build-backend {backend}"))),
            "uv_build" => Some(("uv", format!("from {rel} build-backend {backend}"))),
            _ => None,
        };
        packages.push(Package {
            name: name.to_string(),
            path: dir,
            build: if maturin { Build::Maturin } else { Build::Pure },
            abi3,
            abi3_why,
            python,
            why: format!("{rel} {name_key}, {backend_desc}"),
            python_why,
            builder,
        });
    }
    // The root package first, then by path.
    packages.sort_by(|a, b| (a.path != ".", &a.path).cmp(&(b.path != ".", &b.path)));
    Python { packages, notes }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requires_python() {
        assert_eq!(pythons(">=3.10"), ["3.10", "3.11", "3.12", "3.13"]);
        assert_eq!(pythons(">=3.9,<3.13"), ["3.9", "3.10", "3.11", "3.12"]);
        assert_eq!(pythons("~=3.11"), ["3.11", "3.12", "3.13"]);
        assert_eq!(pythons(">3.12"), ["3.13"]);
        assert!(pythons("garbage").is_empty());
        assert!(pythons("<3.0").is_empty());
    }
}
