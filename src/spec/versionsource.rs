//! Where the version of each published Python package comes from, read
//! from the repository as its build backend reads it, and whether the
//! release checks that source against the tag (`versioning.version-files`).
//!
//! A wheel carries the version its backend reads (maturin: `[project]
//! version`, or the Cargo.toml's when the version is dynamic; Poetry:
//! `[tool.poetry] version`; hatch, setuptools, PDM: static or their own
//! dynamic source), not the tag's. A source that `version-files` does not
//! list can publish another version than the tag's, for good: PyPI never
//! forgets an upload. Charts need no such check: they are packaged with
//! `--version` and `--app-version` from the tag.

use std::path::{Path, PathBuf};

use super::model::{Publish, PythonBuild, Spec};

/// Where one package's version comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file of the repository (relative to the root, `/`-separated) and
    /// the entry in it.
    File {
        path: String,
        entry: String,
        /// The version the entry holds, when it is a TOML string.
        version: Option<String>,
        /// Why the backend reads this file rather than pyproject.toml's
        /// `[project] version` (maturin's dynamic version).
        because: Option<String>,
    },
    /// The tag itself (setuptools-scm, hatch-vcs, PDM's scm source, Poetry's
    /// dynamic-versioning plugin): nothing to check.
    Tag { how: String },
    /// wfgen cannot tell (no pyproject.toml, a backend it does not know).
    Unknown { why: String },
}

impl Source {
    /// One line for a person: `py/pyproject.toml [project] version`, `the
    /// tag (hatch-vcs)`, `unknown: <why>`.
    pub fn describe(&self) -> String {
        match self {
            Source::File {
                path, entry, because, ..
            } => {
                let entry = entry.replace('`', "");
                match because {
                    Some(b) => format!("{path} {entry} ({b})"),
                    None => format!("{path} {entry}"),
                }
            }
            Source::Tag { how } => format!("the tag ({how})"),
            Source::Unknown { why } => format!("unknown: {why}"),
        }
    }
}

/// The version source of each Python package of `spec` that is published,
/// in the repository at `root`.
pub fn python_sources(spec: &Spec, root: &Path) -> Vec<(String, Source)> {
    spec.python
        .iter()
        .filter(|p| p.publish != Publish::None)
        .map(|p| {
            (
                p.name.clone(),
                package_source(root, &p.path, p.build == PythonBuild::Maturin),
            )
        })
        .collect()
}

/// The version source of the Python package whose pyproject.toml is in the
/// directory `path` of the repository at `root` (`.` for the root; `./`
/// prefixes and a trailing `/` are ignored); `maturin`: built with maturin
/// whatever the build backend says. `wfgen validate` and `wfgen init` both
/// read the sources with this.
pub fn package_source(root: &Path, path: &str, maturin: bool) -> Source {
    let dir = path.trim_start_matches("./").trim_end_matches('/');
    let dir = if dir == "." { "" } else { dir };
    python_source(root, dir, maturin)
}

/// The version source of the Cargo package of the manifest `manifest` (a
/// `/`-separated path relative to `root`): its `[package] version`, or the
/// `[workspace.package] version` it inherits.
pub fn cargo_package_source(root: &Path, manifest: &str) -> Source {
    cargo_source(root, manifest.trim_start_matches("./"))
}

/// One warning line per published package whose version comes from a file
/// that `versioning.version-files` does not list, with a help line.
pub fn unchecked(spec: &Spec, root: &Path) -> Vec<(String, String)> {
    let listed: Vec<String> = spec
        .versioning
        .version_files
        .iter()
        .map(|f| f.trim_start_matches("./").to_string())
        .collect();
    let mut out = Vec::new();
    for (name, source) in python_sources(spec, root) {
        if let Source::File { path, entry, .. } = source
            && !listed.contains(&path)
        {
            let help = if super::names::version_file_supported(&path) {
                format!(
                    "add `{path}` to versioning.version-files: the release then checks it against the tag before it builds"
                )
            } else {
                format!(
                    "the release cannot read `{path}`: take the version from pyproject.toml or Cargo.toml and list that file in versioning.version-files, or derive it from the tag (setuptools-scm, hatch-vcs)"
                )
            };
            out.push((
                format!(
                    "the version of {name} comes from {entry} of `{path}`, which versioning.version-files does not list: a tag of another version would publish {name} at the file's version"
                ),
                help,
            ));
        }
    }
    out
}

fn rel(dir: &str, file: &str) -> String {
    if dir.is_empty() {
        file.to_string()
    } else {
        format!("{dir}/{file}")
    }
}

fn read_toml(path: &Path) -> Option<toml::Table> {
    let bytes = crate::limits::read_regular(path).ok()?;
    String::from_utf8_lossy(&bytes).parse::<toml::Table>().ok()
}

fn get<'a>(t: &'a toml::Table, keys: &[&str]) -> Option<&'a toml::Value> {
    let (last, path) = keys.split_last()?;
    let mut cur = t;
    for k in path {
        cur = cur.get(*k)?.as_table()?;
    }
    cur.get(*last)
}

fn python_source(root: &Path, dir: &str, maturin: bool) -> Source {
    let pyproject = rel(dir, "pyproject.toml");
    let Some(doc) = read_toml(&root.join(&pyproject)) else {
        return Source::Unknown {
            why: format!("no readable `{pyproject}`"),
        };
    };
    if let Some(v) = get(&doc, &["project", "version"]).and_then(|v| v.as_str()) {
        return Source::File {
            path: pyproject,
            entry: "`[project] version`".into(),
            version: Some(v.to_string()),
            because: None,
        };
    }
    let backend = get(&doc, &["build-system", "build-backend"])
        .and_then(|v| v.as_str())
        .unwrap_or("");
    let requires: Vec<&str> = get(&doc, &["build-system", "requires"])
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    let requires_any = |name: &str| requires.iter().any(|r| r.to_ascii_lowercase().starts_with(name));
    if maturin || backend == "maturin" {
        let manifest = get(&doc, &["tool", "maturin", "manifest-path"])
            .and_then(|v| v.as_str())
            .map(|m| rel(dir, m.trim_start_matches("./")))
            .unwrap_or_else(|| rel(dir, "Cargo.toml"));
        let dynamic = get(&doc, &["project", "dynamic"])
            .and_then(|v| v.as_array())
            .is_some_and(|a| a.iter().any(|v| v.as_str() == Some("version")));
        let because = if dynamic {
            format!("{pyproject} declares the version dynamic")
        } else {
            format!("{pyproject} has no [project] version")
        };
        return match cargo_source(root, &manifest) {
            Source::File {
                path, entry, version, ..
            } => Source::File {
                path,
                entry,
                version,
                because: Some(because),
            },
            other => other,
        };
    }
    if backend.starts_with("poetry") {
        let plugin_enabled =
            get(&doc, &["tool", "poetry-dynamic-versioning", "enable"]).and_then(|v| v.as_bool()) == Some(true);
        if requires_any("poetry-dynamic-versioning") || plugin_enabled {
            return Source::Tag {
                how: "poetry-dynamic-versioning".into(),
            };
        }
        if let Some(v) = get(&doc, &["tool", "poetry", "version"]).and_then(|v| v.as_str()) {
            return Source::File {
                path: pyproject,
                entry: "`[tool.poetry] version`".into(),
                version: Some(v.to_string()),
                because: None,
            };
        }
    }
    if backend.starts_with("hatchling") {
        match get(&doc, &["tool", "hatch", "version"]).and_then(|v| v.as_table()) {
            Some(t) if t.get("source").and_then(|s| s.as_str()) == Some("vcs") => {
                return Source::Tag {
                    how: "hatch-vcs".into(),
                };
            }
            Some(t) => {
                if let Some(p) = t.get("path").and_then(|p| p.as_str()) {
                    return Source::File {
                        path: rel(dir, p.trim_start_matches("./")),
                        entry: "the version variable".into(),
                        version: None,
                        because: None,
                    };
                }
            }
            None => {}
        }
    }
    if backend.starts_with("setuptools") {
        if requires_any("setuptools-scm") || requires_any("setuptools_scm") {
            return Source::Tag {
                how: "setuptools-scm".into(),
            };
        }
        if let Some(file) = get(&doc, &["tool", "setuptools", "dynamic", "version", "file"]) {
            let f = file
                .as_str()
                .or_else(|| file.as_array().and_then(|a| a.first()).and_then(|v| v.as_str()));
            if let Some(f) = f {
                return Source::File {
                    path: rel(dir, f.trim_start_matches("./")),
                    entry: "the text".into(),
                    version: None,
                    because: None,
                };
            }
        }
    }
    if backend.starts_with("pdm") {
        match get(&doc, &["tool", "pdm", "version", "source"]).and_then(|v| v.as_str()) {
            Some("scm") => {
                return Source::Tag {
                    how: "PDM's scm source".into(),
                };
            }
            Some("file") => {
                if let Some(p) = get(&doc, &["tool", "pdm", "version", "path"]).and_then(|v| v.as_str()) {
                    return Source::File {
                        path: rel(dir, p.trim_start_matches("./")),
                        entry: "the version variable".into(),
                        version: None,
                        because: None,
                    };
                }
            }
            _ => {}
        }
    }
    Source::Unknown {
        why: format!("`{pyproject}` has no static version and its backend `{backend}` is not one wfgen reads"),
    }
}

/// The version source of a Cargo manifest: its `[package] version`, or with
/// `version.workspace = true` the `[workspace.package] version` of its
/// workspace root (the same file, or the nearest parent Cargo.toml with
/// `[workspace]` inside the repository).
fn cargo_source(root: &Path, manifest: &str) -> Source {
    let Some(doc) = read_toml(&root.join(manifest)) else {
        return Source::Unknown {
            why: format!("no readable `{manifest}`"),
        };
    };
    match get(&doc, &["package", "version"]) {
        Some(v) if v.is_str() => Source::File {
            path: manifest.to_string(),
            entry: "`[package] version`".into(),
            version: v.as_str().map(str::to_string),
            because: None,
        },
        Some(v) if v.get("workspace").and_then(|w| w.as_bool()) == Some(true) => {
            let mut dir: PathBuf = Path::new(manifest).parent().map(Path::to_path_buf).unwrap_or_default();
            loop {
                let candidate = dir.join("Cargo.toml");
                let text = candidate.to_string_lossy().replace('\\', "/");
                if let Some(d) = read_toml(&root.join(&candidate))
                    && d.contains_key("workspace")
                {
                    return Source::File {
                        path: text,
                        entry: "`[workspace.package] version`".into(),
                        version: get(&d, &["workspace", "package", "version"])
                            .and_then(|v| v.as_str())
                            .map(str::to_string),
                        because: None,
                    };
                }
                if !dir.pop() {
                    break;
                }
            }
            Source::Unknown {
                why: format!("`{manifest}` inherits its version from a workspace wfgen cannot find"),
            }
        }
        None if !doc.contains_key("package") => match get(&doc, &["workspace", "package", "version"]) {
            // A virtual manifest: the release reads its workspace version.
            Some(v) if v.is_str() => Source::File {
                path: manifest.to_string(),
                entry: "`[workspace.package] version`".into(),
                version: v.as_str().map(str::to_string),
                because: None,
            },
            _ => Source::Unknown {
                why: format!("`{manifest}` has no `[package] version` (nor `[workspace.package] version`)"),
            },
        },
        _ => Source::Unknown {
            why: format!("`{manifest}` has no `[package] version`"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn each_backend_names_its_source() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        write(
            r,
            "Cargo.toml",
            "[workspace]\nmembers=['py']\n[workspace.package]\nversion='1.2.3'\n",
        );
        write(
            r,
            "py/pyproject.toml",
            "[project]\nname='a'\ndynamic=['version']\n[build-system]\nbuild-backend='maturin'\n",
        );
        write(r, "py/Cargo.toml", "[package]\nname='a'\nversion.workspace = true\n");
        assert_eq!(
            python_source(r, "py", true),
            Source::File {
                path: "Cargo.toml".into(),
                entry: "`[workspace.package] version`".into(),
                version: Some("1.2.3".into()),
                because: Some("py/pyproject.toml declares the version dynamic".into()),
            }
        );
        write(r, "static/pyproject.toml", "[project]\nname='b'\nversion='1.2.3'\n");
        assert!(
            matches!(python_source(r, "static", false), Source::File { path, .. } if path == "static/pyproject.toml")
        );
        write(
            r,
            "poetry/pyproject.toml",
            "[tool.poetry]\nversion='1.2.3'\n[build-system]\nbuild-backend='poetry.core.masonry.api'\n",
        );
        assert!(
            matches!(python_source(r, "poetry", false), Source::File { entry, .. } if entry.contains("tool.poetry"))
        );
        write(
            r,
            "scm/pyproject.toml",
            "[project]\nname='c'\ndynamic=['version']\n[build-system]\nrequires=['setuptools>=64','setuptools-scm>=8']\nbuild-backend='setuptools.build_meta'\n",
        );
        assert!(matches!(python_source(r, "scm", false), Source::Tag { .. }));
        write(
            r,
            "hatch/pyproject.toml",
            "[project]\nname='d'\ndynamic=['version']\n[tool.hatch.version]\npath='src/d/__about__.py'\n[build-system]\nbuild-backend='hatchling.build'\n",
        );
        assert!(
            matches!(python_source(r, "hatch", false), Source::File { path, .. } if path == "hatch/src/d/__about__.py")
        );
        assert!(matches!(python_source(r, "missing", false), Source::Unknown { .. }));
        write(
            r,
            "pdv/pyproject.toml",
            "[tool.poetry]\nversion='0.0.0'\n[tool.poetry-dynamic-versioning]\nenable=true\n[build-system]\nbuild-backend='poetry.core.masonry.api'\n",
        );
        assert!(matches!(python_source(r, "pdv", false), Source::Tag { .. }));
    }

    #[test]
    fn a_virtual_workspace_has_its_workspace_version_and_sources_read_as_one_line() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        write(r, "Cargo.toml", "[workspace]\n[workspace.package]\nversion='0.4.0'\n");
        let s = cargo_package_source(r, "./Cargo.toml");
        assert_eq!(s.describe(), "Cargo.toml [workspace.package] version");
        assert!(matches!(s, Source::File { version: Some(v), .. } if v == "0.4.0"));
        write(
            r,
            "py/pyproject.toml",
            "[project]\nname='a'\n[build-system]\nbuild-backend='maturin'\n",
        );
        write(r, "py/Cargo.toml", "[package]\nname='a'\nversion.workspace = true\n");
        assert_eq!(
            package_source(r, "./py/", true).describe(),
            "Cargo.toml [workspace.package] version (py/pyproject.toml has no [project] version)"
        );
        assert_eq!(
            Source::Tag {
                how: "hatch-vcs".into()
            }
            .describe(),
            "the tag (hatch-vcs)"
        );
    }
}
