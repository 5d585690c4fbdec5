//! The identity check of release.yml (job `verify-identity`, verify stage):
//! before anything is published, every file the run built is opened and
//! compared with the release manifest of the tag. A wheel's and an sdist's
//! distribution name and version (file name and METADATA / PKG-INFO) must be
//! the package's and the tag's version in PEP 440 normal form; each
//! package's wheels must be exactly the planned platforms and ABI tags; each
//! binary's archive and checksum file must be the planned one (and the
//! checksum that of the archive); each packaged chart's `version` and
//! `appVersion` must be the planned ones; each image build's
//! `org.opencontainers.image.version` label, which the build job reads back
//! from the registry into its digest artifact, must be the tag's version.
//! One line per artifact that differs,
//! saying what was expected and what was found; the job fails, and every
//! publish job waits for it.
//!
//! The expectation is the manifest's `files`, `charts` and image builds, which do not
//! depend on the version but through it: the workflow carries them once,
//! with `${VERSION}`, `${PYTHON_VERSION}`, `${CHART_VERSION_<i>}` and
//! `${CHART_APP_VERSION_<i>}` where the version goes, and the job fills them
//! in from the plan job's outputs (the tag script, which agrees with `wfgen
//! plan` on every tag).
//!
//! Script contract:
//! - env in: `EXPECTED` (JSON lines: `{"file": {kind, name, glob, package,
//!   version, artifact}}`, `{"chart": {chart, version, app_version,
//!   artifact}}` or `{"image": {image, platform, version, artifact, built}}`
//!   (`built` empty: the tag builds no such image), with the placeholders
//!   above and `${IMAGE_TAGS_<n>}` (a tags output of the plan job); `$$` is
//!   a `$`), `BUILT` (the
//!   directory holding each downloaded artifact in `BUILT/<artifact>/`), and
//!   the placeholders' values.
//! - bash running `python3 -I -`; one `::error title=Identity check::...`
//!   line per mismatch, exit 1 when any; else a summary line.
//! - No `${{ }}` anywhere; shellcheck-clean.

use serde::Serialize;

use super::Plan;
use super::manifest::{self, FileKind};

/// What release.yml's identity check is given.
#[derive(Debug, Clone, Serialize)]
pub struct IdentityCheck {
    /// The expectation, one JSON object a line (see the module doc).
    pub expected: String,
    /// The artifacts to download: a download-artifact `pattern`.
    pub pattern: String,
    /// The env values of the placeholders: (name, plan output).
    pub values: Vec<(String, String)>,
    /// What it checks, for `wfgen plan`: a phrase per kind.
    pub summary: String,
    pub script: &'static str,
}

impl IdentityCheck {
    /// The plan job outputs that the values come from, beside `version`
    /// (which the plan job always has).
    pub fn plan_outputs(&self) -> impl Iterator<Item = &str> {
        self.values.iter().map(|(_, o)| o.as_str()).filter(|o| *o != "version")
    }
}

/// The placeholder of the tag's version.
const VERSION: &str = "${VERSION}";
/// The placeholder of the Python files' version.
const PYTHON_VERSION: &str = "${PYTHON_VERSION}";

/// The identity check of `plan`; None when the release builds no file, no
/// chart and no image.
pub fn plan(plan: &Plan) -> Option<IdentityCheck> {
    // `$` of a name is `$$` (string.Template): the placeholders are the
    // only `${`. Names are file names of the spec, which hold no `$` today.
    let files = manifest::files_of(plan, VERSION, PYTHON_VERSION);
    let charts: Vec<&super::helm::ChartPlan> = plan.helm.iter().flat_map(|h| &h.charts).collect();
    let images = image_builds(plan);
    if files.is_empty() && charts.is_empty() && images.is_empty() {
        return None;
    }
    let mut lines = Vec::new();
    let mut artifacts: Vec<String> = Vec::new();
    let mut values = vec![("VERSION".to_string(), "version".to_string())];
    if !plan.python.is_empty() {
        values.push(("PYTHON_VERSION".into(), "python-version".into()));
    }
    for f in &files {
        lines.push(serde_json::json!({"file": {
            "kind": f.kind,
            "name": f.name,
            "glob": f.glob,
            "package": f.package,
            "version": f.version,
            "artifact": f.artifact,
        }}));
        if !artifacts.contains(&f.artifact) {
            artifacts.push(f.artifact.clone());
        }
    }
    for c in &charts {
        let (v, a) = (
            format!("CHART_VERSION_{}", c.index),
            format!("CHART_APP_VERSION_{}", c.index),
        );
        lines.push(serde_json::json!({"chart": {
            "chart": c.chart,
            "version": format!("${{{v}}}"),
            "app_version": format!("${{{a}}}"),
            "artifact": c.artifact,
        }}));
        values.push((v, c.version_output.clone()));
        values.push((a, c.app_version_output.clone()));
        artifacts.push(c.artifact.clone());
    }
    // An image build's digest artifact holds the version label that the
    // build job read back from the registry; a variant builds only when the
    // tag gives it tags (`${IMAGE_TAGS_<n>}`, one per tags output of the
    // plan job; all empty: not built).
    let mut tags_outputs: Vec<&str> = Vec::new();
    for b in &images {
        let mut when = String::new();
        for o in &b.tags_outputs {
            let n = tags_outputs.iter().position(|t| t == o).unwrap_or_else(|| {
                tags_outputs.push(o);
                values.push((format!("IMAGE_TAGS_{}", tags_outputs.len() - 1), o.clone()));
                tags_outputs.len() - 1
            });
            when.push_str(&format!("${{IMAGE_TAGS_{n}}}"));
        }
        lines.push(serde_json::json!({"image": {
            "image": b.title,
            "platform": b.platform,
            "version": VERSION,
            "artifact": b.artifact,
            "built": when,
        }}));
        artifacts.push(b.artifact.clone());
    }
    let pattern = if artifacts.len() == 1 {
        artifacts[0].clone()
    } else {
        format!("{{{}}}", artifacts.join(","))
    };
    let count = |k: FileKind| files.iter().filter(|f| f.kind == k).count();
    let mut parts = Vec::new();
    let mut part = |n: usize, one: &str, many: &str| {
        if n > 0 {
            parts.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    };
    part(
        count(FileKind::Archive) + count(FileKind::Executable),
        "binary file",
        "binary files",
    );
    part(count(FileKind::Checksum), "checksum file", "checksum files");
    part(count(FileKind::Sbom), "SBOM", "SBOMs");
    part(count(FileKind::Wheel), "wheel", "wheels");
    part(count(FileKind::Sdist), "sdist", "sdists");
    part(charts.len(), "chart", "charts");
    part(images.len(), "image build", "image builds");
    Some(IdentityCheck {
        expected: lines.iter().map(|l| l.to_string()).collect::<Vec<_>>().join("\n"),
        pattern,
        values,
        summary: parts.join(", "),
        script: SCRIPT,
    })
}

/// One platform build of an image variant, as the identity check sees it.
struct ImageBuild {
    /// `image [variant]`.
    title: String,
    platform: String,
    /// The digest artifact of the build (its file holds the version label).
    artifact: String,
    /// The plan outputs whose tags make the variant build: one, or per-arch
    /// one per platform (any non-empty builds every platform).
    tags_outputs: Vec<String>,
}

fn image_builds(plan: &Plan) -> Vec<ImageBuild> {
    let Some(d) = &plan.docker else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for im in &d.images {
        for v in &im.variants {
            let tags_outputs: Vec<String> = if im.per_arch {
                v.platforms.iter().map(|p| p.tags_output.clone()).collect()
            } else {
                vec![v.tags_output.clone()]
            };
            for p in &v.platforms {
                out.push(ImageBuild {
                    title: v.title.clone(),
                    platform: p.platform.clone(),
                    artifact: p.digest_artifact.clone(),
                    tags_outputs: tags_outputs.clone(),
                });
            }
        }
    }
    out
}

const SCRIPT: &str = r#"# Checks every file the run built against the release plan, generated by
# wfgen: names, versions (wheel METADATA, sdist PKG-INFO, Chart.yaml, the
# images' version labels), the set of wheels of each package, the checksums.
# Nothing is published when one differs.
# env: EXPECTED (one JSON object a line, with ${VERSION}-style placeholders),
# BUILT (the directory of the downloaded artifacts) and the placeholders.
set -euo pipefail
python3 -I - <<'PY'
import email.parser
import fnmatch
import hashlib
import json
import os
import re
import string
import sys
import tarfile
import zipfile
from pathlib import Path

problems = {}  # "artifact: file" -> what differs, one line each


def data(s):
    """Escapes workflow-command data."""
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def problem(artifact, message, file=None):
    problems.setdefault(f"{artifact}: {file}" if file else artifact, []).append(message)


def normalize(name):
    """A distribution name as PyPI compares it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def headers(text):
    h = email.parser.HeaderParser().parsestr(text)
    return h.get("Name"), h.get("Version")


def wheel_identity(path):
    """(name, version) of a wheel's METADATA, or raises ValueError."""
    with zipfile.ZipFile(path) as z:
        metas = [n for n in z.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
        if len(metas) != 1:
            raise ValueError(f"has {len(metas)} .dist-info/METADATA files, a wheel has one")
        return headers(z.read(metas[0]).decode("utf-8", "replace"))


def sdist_identity(path):
    """(name, version) of an sdist's PKG-INFO, or raises ValueError."""
    with tarfile.open(path, "r:gz") as t:
        infos = [m for m in t.getmembers() if m.isfile() and re.fullmatch(r"[^/]+/PKG-INFO", m.name)]
        if len(infos) != 1:
            raise ValueError(f"has {len(infos)} top-level PKG-INFO files, an sdist has one")
        return headers(t.extractfile(infos[0]).read().decode("utf-8", "replace"))


def scalar(text, key):
    """A top-level `key: value` of a YAML file (quotes and comments stripped)."""
    for line in text.splitlines():
        m = re.match(rf"{key}:\s*(.*)$", line)
        if m:
            value = re.sub(r"\s+#.*$", "", m.group(1)).strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            return value
    return None


def chart_identity(path):
    """(name, version, appVersion) of a packaged chart's Chart.yaml."""
    with tarfile.open(path, "r:gz") as t:
        charts = [m for m in t.getmembers() if m.isfile() and re.fullmatch(r"[^/]+/Chart\.yaml", m.name)]
        if len(charts) != 1:
            raise ValueError(f"has {len(charts)} top-level Chart.yaml files, a chart package has one")
        text = t.extractfile(charts[0]).read().decode("utf-8", "replace")
        return scalar(text, "name"), scalar(text, "version"), scalar(text, "appVersion")


values = {k: v for k, v in os.environ.items()}
built = Path(os.environ["BUILT"])
expected = {"file": [], "chart": [], "image": []}
for line in os.environ["EXPECTED"].splitlines():
    if not line.strip():
        continue
    entry = json.loads(line)
    for kind, item in entry.items():
        item = {k: string.Template(v).substitute(values) if isinstance(v, str) else v for k, v in item.items()}
        expected[kind].append(item)
files, charts, images = expected["file"], expected["chart"], expected["image"]


def found(artifact):
    """The files of an artifact: base name -> path."""
    root = built / artifact
    if not root.is_dir():
        return None
    return {p.name: p for p in sorted(root.rglob("*")) if p.is_file()}


checked = 0
by_artifact = {}
for f in files:
    by_artifact.setdefault(f["artifact"], []).append(f)
for artifact, expected in by_artifact.items():
    have = found(artifact)
    if have is None:
        problem(artifact, "the artifact is missing: expected " + ", ".join(f["name"] for f in expected))
        continue
    left = dict(have)
    matched, missing = [], []
    for f in expected:
        # An sdist may spell its name with `-` (older build backends).
        spellings = [f["name"]]
        if f["kind"] == "sdist":
            dist, _, rest = f["name"].partition("-" + f["version"])
            spellings.append(dist.replace("_", "-") + "-" + f["version"] + rest)
        hits = [n for n in left if any(fnmatch.fnmatchcase(n, s) if f["glob"] else n == s for s in spellings)]
        if len(hits) == 1:
            matched.append((f, left.pop(hits[0])))
        elif hits:
            problem(artifact, f"expected one file {f['name']}, found {len(hits)}: {', '.join(hits)}")
            for n in hits:
                left.pop(n)
        else:
            missing.append(f)
    extra = sorted(left)
    if len(missing) == 1 and len(extra) == 1:
        problem(artifact, f"expected {missing[0]['name']}, found {extra[0]}")
    else:
        for f in missing:
            problem(artifact, f"expected {f['name']}, found no such file")
        for n in extra:
            problem(artifact, f"found {n}, which the release does not plan")
    names = {f["name"]: p for f, p in matched}
    for f, path in matched:
        checked += 1
        kind, want_version, package = f["kind"], f["version"], f["package"]
        try:
            if kind in ("wheel", "sdist"):
                name, version = (wheel_identity if kind == "wheel" else sdist_identity)(path)
                what = "METADATA" if kind == "wheel" else "PKG-INFO"
                if name is None or normalize(name) != normalize(package):
                    problem(artifact, f"{what} names the distribution {name!r}, expected {package!r}", path.name)
                if version != want_version:
                    problem(artifact, f"{what} has version {version!r}, expected {want_version!r}", path.name)
            elif kind == "checksum":
                target = f["name"][: -len(".sha256")]
                fields = path.read_text(encoding="utf-8", errors="replace").split()
                sums = names.get(target)
                if sums is None:
                    continue  # reported as missing above
                digest = hashlib.sha256(sums.read_bytes()).hexdigest()
                if not fields or fields[0].lower() != digest:
                    problem(artifact, f"holds {fields[0] if fields else 'nothing'}, but the sha256 of {target} is {digest}", path.name)
                elif len(fields) > 1 and fields[1].lstrip("*") != target:
                    problem(artifact, f"names {fields[1]}, expected {target}", path.name)
        except (OSError, ValueError, zipfile.BadZipFile, tarfile.TarError) as e:
            problem(artifact, f"cannot be read as a {kind}: {e}", path.name)

for c in charts:
    artifact = c["artifact"]
    have = found(artifact)
    if have is None:
        problem(artifact, f"the artifact is missing: expected the package of {c['chart']}")
        continue
    packages = [n for n in have if n.endswith(".tgz")]
    for n in sorted(set(have) - set(packages)):
        problem(artifact, f"found {n}, which the release does not plan")
    if len(packages) != 1:
        problem(artifact, f"expected one chart package of {c['chart']}, found {len(packages)}: {', '.join(packages) or 'none'}")
        continue
    path = have[packages[0]]
    checked += 1
    try:
        name, version, app = chart_identity(path)
    except (OSError, ValueError, tarfile.TarError) as e:
        problem(artifact, f"cannot be read as a chart package: {e}", path.name)
        continue
    if version != c["version"] or app != c["app_version"] or path.name != f"{name}-{c['version']}.tgz":
        problem(
            artifact,
            f"expected {name}-{c['version']}.tgz of version {c['version']}, appVersion {c['app_version']}; "
            f"found {path.name} of version {version}, appVersion {app}",
        )

# An image build's digest artifact: one file, named by the digest, holding
# the org.opencontainers.image.version label read back from the registry.
images_checked = 0
for i in images:
    if not i["built"]:
        continue  # the tag gives the variant no tags: nothing was built
    artifact, what = i["artifact"], f"{i['image']} ({i['platform']})"
    have = found(artifact)
    if have is None:
        problem(artifact, f"the artifact is missing: expected the digest of {what}")
        continue
    digests = [n for n in have if re.fullmatch(r"[0-9a-f]{64}", n)]
    for n in sorted(set(have) - set(digests)):
        problem(artifact, f"found {n}, which the release does not plan")
    if len(digests) != 1:
        problem(artifact, f"expected the digest of {what}, found {len(digests)}")
        continue
    images_checked += 1
    label = have[digests[0]].read_text(encoding="utf-8", errors="replace").strip()
    if label != i["version"]:
        problem(
            artifact,
            f"{what}, sha256:{digests[0][:12]}: expected the org.opencontainers.image.version label "
            f"{i['version']}, found {label or 'no such label'}",
        )

for where, what in problems.items():
    print(f"::error title=Identity check::{data(where + ': ' + '; '.join(what))}", flush=True)
if problems:
    print(f"{len(problems)} difference(s) between what was built and the release plan: nothing is published", file=sys.stderr)
    sys.exit(1)
images_part = f" and {images_checked} image builds" if images_checked else ""
print(f"Identity check: {checked} files{images_part} of version {values.get('VERSION', '')}, as planned")
PY
"#;

/// The script of the identity check (its contract is the module doc).
pub fn script() -> &'static str {
    SCRIPT
}
