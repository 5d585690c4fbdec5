//! Images: every Dockerfile the walk found, named and grouped by what the
//! existing workflows build from it; without workflows, by the layout
//! (`docker/<variant>/Dockerfile` is one image with variants, other
//! Dockerfiles are images of their own) and, for a Dockerfile whose `ARG`
//! names a directory of packages (`ARG RUNTIMES` and `runtimes/*`), one
//! variant per package.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;

use super::python::Package;
use super::repo::{self, Repo, is_dockerfile};
use super::workflows::{Build, Evidence};
use crate::spec::names::DOCKER_PLATFORMS;

/// Directory names that hold one image's variants.
const VARIANT_DIRS: &[&str] = &[
    "docker",
    "dockerfiles",
    "images",
    "containers",
    "distros",
    "distro",
    "variants",
    "flavors",
    "flavours",
    "official",
];
/// Names that read as base-image variants of one image.
const DISTROS: &[&str] = &[
    "ubuntu",
    "debian",
    "alpine",
    "rocky",
    "rockylinux",
    "centos",
    "fedora",
    "distroless",
    "scratch",
    "slim",
    "ubi",
    "ubi8",
    "ubi9",
    "rhel",
    "almalinux",
    "bookworm",
    "bullseye",
    "buster",
    "trixie",
    "jammy",
    "focal",
    "noble",
    "amazonlinux",
    "al2023",
    "wolfi",
    "chainguard",
    "busybox",
    "cuda",
    "gpu",
    "cpu",
];

static ARG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=("[^"]*"|'[^']*'|\S*))?"#).expect("regex")
});
/// Dockerfiles for development, tests and CI rather than releases.
const DEV_NAMES: &[&str] = &[
    "dev",
    "develop",
    "development",
    "devcontainer",
    "test",
    "tests",
    "testing",
    "e2e",
    "local",
    "debug",
    "ci",
    "bench",
];

static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\{([^{}]*)\}").expect("regex"));
static TAG_LITERAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$").expect("regex"));
static BUILD_ARG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[A-Za-z_][A-Za-z0-9_]*$").expect("regex"));

pub struct Variant {
    pub name: String,
    pub dockerfile: Option<String>,
    pub build_args: Vec<(String, String)>,
    pub tags: Option<Vec<String>>,
    /// Platforms of this variant when they differ from the image's.
    pub platforms: Option<Vec<String>>,
    pub why: String,
}

pub struct Image {
    pub image: String,
    pub image_why: String,
    pub context: String,
    pub dockerfile: String,
    pub dockerfile_why: String,
    pub build_args: Vec<(String, String)>,
    pub build_args_why: String,
    /// The Dockerfile stage the workflows build.
    pub target: Option<String>,
    pub platforms: Vec<String>,
    pub platforms_why: String,
    pub tags: Vec<String>,
    pub tags_why: String,
    pub per_arch: bool,
    pub variants: Vec<Variant>,
    /// Variants written as a list (same Dockerfile pattern and tags).
    pub variants_list: bool,
    pub variants_why: String,
    /// (image, why) of the names that get the same tags.
    pub mirrors: Vec<(String, String)>,
    /// The workflow files that build or push it.
    pub workflows: BTreeSet<String>,
    pub notes: Vec<String>,
}

/// A name as an image path component: lowercase letters and digits with
/// single `.`, `_`, `-` between.
pub fn component(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_ascii_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with(['-', '.', '_']) {
            out.push(if c == '.' || c == '_' { c } else { '-' });
        }
    }
    out.trim_end_matches(['-', '.', '_']).to_string()
}

/// Variant names: lowercase letters, digits, `.`, `_` and `-`.
fn variant_name(s: &str) -> String {
    let c = component(s);
    if c.is_empty() { "default".into() } else { c }
}

/// Whether every `{placeholder}` of `s` is one of `allowed`, and the rest
/// can stand in a Docker tag.
fn tag_ok(s: &str, allowed: &[&str]) -> bool {
    if !PLACEHOLDER.captures_iter(s).all(|c| allowed.contains(&&c[1])) {
        return false;
    }
    let lit = PLACEHOLDER.replace_all(s, "x");
    // A fixed version (`1.2.3`) would be pushed again by every release.
    let fixed_version = !s.contains('{') && s.trim_start_matches('v').starts_with(|c: char| c.is_ascii_digit());
    !lit.contains(['{', '}']) && TAG_LITERAL.is_match(&lit) && !fixed_version
}

fn value_ok(s: &str, allowed: &[&str]) -> bool {
    PLACEHOLDER.captures_iter(s).all(|c| allowed.contains(&&c[1]))
        && !PLACEHOLDER.replace_all(s, "").contains(['{', '}'])
}

const TAG_PH: &[&str] = &["version", "major", "minor", "patch", "prerelease", "sha7"];

/// `name` replaced by `with` where it stands as a whole `-`/`_`/`.` word.
fn replace_word(s: &str, name: &str, with: &str) -> String {
    if name.is_empty() {
        return s.to_string();
    }
    let re = Regex::new(&format!(r"(^|[-_.]){}($|[-_.])", regex::escape(name))).expect("regex");
    // Twice: adjacent matches share a separator.
    let once = re.replace_all(s, |c: &regex::Captures| format!("{}{with}{}", &c[1], &c[2]));
    re.replace_all(&once, |c: &regex::Captures| format!("{}{with}{}", &c[1], &c[2]))
        .into_owned()
}

fn arch_of(platform: &str) -> &str {
    platform.split('/').nth(1).unwrap_or("")
}

fn sort_platforms(p: &mut Vec<String>) {
    p.sort_by_key(|x| DOCKER_PLATFORMS.iter().position(|d| d == x).unwrap_or(usize::MAX));
    p.dedup();
}

/// What distinguishes a Dockerfile among its siblings: the directory of
/// `P/<v>/Dockerfile`, the `<v>` of `Dockerfile.<v>` or `<v>.Dockerfile`.
fn distinct_part(path: &str) -> String {
    let file = path.rsplit('/').next().unwrap_or(path);
    let lower = file.to_ascii_lowercase();
    if let Some(v) = lower
        .strip_prefix("dockerfile.")
        .or_else(|| lower.strip_prefix("containerfile."))
    {
        return v.to_string();
    }
    if let Some(v) = lower.strip_suffix(".dockerfile") {
        return v.to_string();
    }
    let dir = repo::dir_of(path);
    if dir == "." {
        String::new()
    } else {
        dir.rsplit('/').next().unwrap_or("").to_string()
    }
}

pub struct Inputs<'a> {
    pub repo: &'a Repo,
    pub evidence: &'a Evidence,
    /// Image name component of the project.
    pub project: &'a str,
    /// Lowercase GitHub owner for ghcr.io names, if known.
    pub owner: Option<&'a str>,
    pub python: &'a [Package],
}

/// The images, and notes on the Dockerfiles that are not among them.
pub fn scan(inp: &Inputs) -> (Vec<Image>, Vec<String>) {
    let dockerfiles: Vec<&String> = inp
        .repo
        .files
        .iter()
        .filter(|f| is_dockerfile(f.rsplit('/').next().unwrap_or(f)))
        .collect();
    let owner = inp.owner.unwrap_or("owner");
    let base = format!("ghcr.io/{owner}/{}", inp.project);
    // Why an image is named `<base><suffix>`.
    let why_for = |suffix: &str| match inp.owner {
        Some(_) => format!("ghcr.io/<owner>/<project>{suffix} of the GitHub remote"),
        None => format!("ghcr.io/<owner>/<project>{suffix}: replace `owner`, no GitHub remote found"),
    };
    let base_why = why_for("");

    // 1. Dockerfiles the workflows build: each to the image most of its builds push.
    let (mut images, unassigned) = images_of_builds(inp, &dockerfiles);

    // 2. Dockerfiles no workflow builds.
    let used: BTreeSet<String> = images.iter().map(|i| i.image.clone()).collect();
    // Images the workflows name without a build we could read.
    let mut named: Vec<&(String, String)> = inp.evidence.images.iter().filter(|(n, _)| !used.contains(n)).collect();
    let mut families: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for d in &unassigned {
        let dir = repo::dir_of(d);
        let file = d.rsplit('/').next().unwrap_or(d);
        if dir != "." && file.eq_ignore_ascii_case("Dockerfile") {
            families.entry(repo::dir_of(&dir)).or_default().push(d);
        }
    }
    let mut done: BTreeSet<&String> = BTreeSet::new();
    let mut skipped: Vec<String> = Vec::new();
    for (parent, members) in &families {
        let names: Vec<String> = members.iter().map(|d| distinct_part(d)).collect();
        let variant_like = parent
            .split('/')
            .any(|s| VARIANT_DIRS.contains(&s.to_ascii_lowercase().as_str()))
            || names.iter().all(|n| DISTROS.contains(&n.to_ascii_lowercase().as_str()));
        if members.len() < 2 || !variant_like {
            continue;
        }
        done.extend(members.iter().copied());
        let root_dockerfile = dockerfiles.iter().any(|d| *d == "Dockerfile" || *d == "Containerfile");
        let (name, name_why) = if root_dockerfile || used.contains(&base) || images.iter().any(|i| i.image == base) {
            let p = component(parent.rsplit('/').next().unwrap_or(""));
            let p = if p.is_empty() { "variants".to_string() } else { p };
            (format!("{base}-{p}"), why_for(&format!("-{p}")))
        } else {
            (base.clone(), base_why.clone())
        };
        let vnames: Vec<String> = names.iter().map(|n| variant_name(n)).collect();
        let unique: BTreeSet<&String> = vnames.iter().collect();
        if unique.len() != vnames.len() {
            continue;
        }
        let mut img = plain_image(&name, &name_why, &repo::join(parent, "{variant}/Dockerfile"));
        img.dockerfile_why = format!(
            "one image, a variant per directory of {parent}/ ({})",
            vnames.join(", ")
        );
        img.tags = vec!["{version}-{variant}".into(), "{major}.{minor}-{variant}".into()];
        img.tags_why = "the default for variants: each tag names its variant".into();
        img.variants = vnames
            .iter()
            .map(|n| Variant {
                name: n.clone(),
                dockerfile: None,
                build_args: Vec::new(),
                tags: None,
                platforms: None,
                why: String::new(),
            })
            .collect();
        img.variants_list = true;
        img.variants_why = format!("{parent}/<variant>/Dockerfile");
        images.push(img);
    }
    for d in unassigned.into_iter().filter(|d| !done.contains(d)) {
        let part = distinct_part(d);
        if DEV_NAMES.contains(&part.to_ascii_lowercase().as_str()) {
            skipped.push(format!("{d}: a {part} Dockerfile, not a release image: not added"));
            continue;
        }
        let root_like = d.as_str() == "Dockerfile" || d.as_str() == "Containerfile";
        // A name the workflows push, for the root Dockerfile.
        let from_workflows = if root_like {
            let pos = named
                .iter()
                .position(|(n, _)| n.rsplit('/').next() == Some(inp.project))
                .or((named.len() == 1).then_some(0));
            pos.map(|p| named.remove(p))
        } else {
            None
        };
        let (mut name, mut why) = match from_workflows {
            Some((n, src)) => (n.clone(), format!("pushed in {src}")),
            None if root_like || part.is_empty() => (base.clone(), base_why.clone()),
            // `cmd/<project>/Dockerfile` is the project's image, `<project>-x/` is x's.
            None if component(&part) == inp.project => (base.clone(), base_why.clone()),
            None => match component(&part).strip_prefix(&format!("{}-", inp.project)) {
                Some(rest) if !rest.is_empty() => (format!("{base}-{rest}"), why_for(&format!("-{rest}"))),
                _ => (
                    format!("{base}-{}", component(&part)),
                    why_for(&format!("-{}", component(&part))),
                ),
            },
        };
        if images.iter().any(|i| i.image == name) {
            // Another Dockerfile took the name: the whole directory path names this one.
            let long = component(&repo::dir_of(d).replace('/', "-"));
            let long = if long.is_empty() { component(&part) } else { long };
            name = format!("{base}-{long}");
            why = why_for(&format!("-{long}"));
            if long.is_empty() || images.iter().any(|i| i.image == name) {
                skipped.push(format!("{d}: no image name left for it: not added"));
                continue;
            }
        }
        let mut img = plain_image(&name, &why, d);
        arg_variants(&mut img, d, inp);
        images.push(img);
    }
    for i in images.iter_mut() {
        finish(i, inp);
    }
    (images, skipped)
}

/// The images of the Dockerfiles the workflows build, each Dockerfile to
/// the image most of its builds push; and the Dockerfiles no workflow
/// builds.
fn images_of_builds<'a>(inp: &Inputs<'a>, dockerfiles: &[&'a String]) -> (Vec<Image>, Vec<&'a String>) {
    let mut by_image: BTreeMap<String, Vec<&Build>> = BTreeMap::new();
    let mut first_seen: Vec<String> = Vec::new();
    let mut unassigned: Vec<&String> = Vec::new();
    let mut notes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in dockerfiles {
        let builds: Vec<&Build> = inp.evidence.builds.iter().filter(|b| &b.dockerfile == *d).collect();
        if builds.is_empty() {
            unassigned.push(d);
            continue;
        }
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for b in &builds {
            *count.entry(b.image.as_str()).or_default() += 1;
        }
        let score = |i: &str| {
            let last = i.rsplit('/').next().unwrap_or(i);
            (last == inp.project, count[i])
        };
        let primary = count
            .keys()
            .copied()
            .max_by_key(|i| score(i))
            .expect("a build")
            .to_string();
        for other in count.keys().filter(|i| **i != primary) {
            let src: Vec<&Build> = builds.iter().filter(|b| b.image == *other).copied().collect();
            let src = sources_of(&src);
            notes
                .entry(primary.clone())
                .or_default()
                .push(format!("{d} also builds {other} in {src}: not added"));
        }
        if !first_seen.contains(&primary) {
            first_seen.push(primary.clone());
        }
        by_image
            .entry(primary.clone())
            .or_default()
            .extend(builds.into_iter().filter(|b| b.image == primary));
    }
    let images: Vec<Image> = first_seen
        .iter()
        .map(|name| {
            let mut img = from_builds(name, &by_image[name]);
            img.notes.extend(notes.remove(name).unwrap_or_default());
            img
        })
        .collect();
    (images, unassigned)
}

/// An image without workflow evidence: default platforms and tags.
fn plain_image(name: &str, why: &str, dockerfile: &str) -> Image {
    Image {
        image: name.to_string(),
        image_why: why.to_string(),
        context: ".".into(),
        dockerfile: dockerfile.to_string(),
        dockerfile_why: String::new(),
        build_args: Vec::new(),
        build_args_why: String::new(),
        target: None,
        platforms: vec!["linux/amd64".into(), "linux/arm64".into()],
        platforms_why: "the default (native amd64 and arm64 runners)".into(),
        tags: vec!["{version}".into(), "{major}.{minor}".into(), "latest".into()],
        tags_why: "the default".into(),
        per_arch: false,
        variants: Vec::new(),
        variants_list: false,
        variants_why: String::new(),
        mirrors: Vec::new(),
        workflows: BTreeSet::new(),
        notes: Vec::new(),
    }
}

/// MLServer-style images: `ARG <NAME>` in the Dockerfile names a directory
/// of Python packages (`ARG RUNTIMES`, `runtimes/*/pyproject.toml`): the
/// ARG's default is one variant, each package another.
fn arg_variants(img: &mut Image, dockerfile: &str, inp: &Inputs) {
    let Some(text) = inp.repo.read(dockerfile) else { return };
    for c in ARG.captures_iter(&text) {
        let arg = &c[1];
        let dir = arg.to_ascii_lowercase();
        let pkgs: Vec<&Package> = inp.python.iter().filter(|p| repo::dir_of(&p.path) == dir).collect();
        if pkgs.is_empty() {
            continue;
        }
        let default = c
            .get(2)
            .map(|m| m.as_str().trim_matches(['"', '\'']).to_string())
            .unwrap_or_default();
        let mut variants = Vec::new();
        if !default.is_empty() && value_ok(&default, &[]) {
            variants.push(Variant {
                name: variant_name(&default),
                dockerfile: None,
                build_args: vec![(arg.to_string(), default.clone())],
                tags: Some(vec!["{version}".into(), "latest".into()]),
                platforms: None,
                why: format!("the default of ARG {arg} in {dockerfile}"),
            });
        }
        for p in pkgs {
            let v = variant_name(p.path.rsplit('/').next().unwrap_or(&p.name));
            if variants.iter().any(|x: &Variant| x.name == v) {
                continue;
            }
            variants.push(Variant {
                name: v,
                dockerfile: None,
                build_args: vec![(arg.to_string(), p.name.clone())],
                tags: None,
                platforms: None,
                why: format!("{}: package {}", p.path, p.name),
            });
        }
        img.variants_why = format!("ARG {arg} of {dockerfile} selects the packages of {dir}/");
        img.tags = vec!["{version}-{variant}".into()];
        img.tags_why = "each runtime's image is tagged with its name".into();
        img.variants = variants;
        return;
    }
}

/// Builds of one variant of an image: same Dockerfile and build arguments.
struct Key<'a> {
    dockerfile: String,
    args: Vec<(String, String)>,
    builds: Vec<&'a Build>,
}

/// Where builds come from, short: `file (jobs a, b)`, at most two files.
fn sources_of(builds: &[&Build]) -> String {
    let mut files: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for b in builds {
        files.entry(b.workflow.as_str()).or_default().insert(b.job.as_str());
    }
    let mut parts: Vec<String> = files
        .iter()
        .take(2)
        .map(|(f, jobs)| {
            let jobs: Vec<&str> = jobs.iter().copied().collect();
            let s = if jobs.len() == 1 { "" } else { "s" };
            format!("{f} (job{s} {})", jobs.join(", "))
        })
        .collect();
    if files.len() > 2 {
        parts.push(format!("{} more", files.len() - 2));
    }
    parts.join(", ")
}

fn from_builds(name: &str, builds: &[&Build]) -> Image {
    let sources = sources_of(builds);
    let workflows: BTreeSet<String> = builds.iter().map(|b| b.workflow.clone()).collect();
    let manifest = builds.iter().any(|b| b.manifest);
    let keys = keys_of(builds);
    let mut platforms: Vec<String> = builds.iter().flat_map(|b| b.platforms.clone()).collect();
    sort_platforms(&mut platforms);
    let contexts: BTreeSet<&str> = builds.iter().map(|b| b.context.as_str()).collect();
    let (key_tags, per_arch) = tags_of_keys(&keys, manifest, platforms.len());

    let mut img = plain_image(name, &format!("built in {sources}"), &keys[0].dockerfile);
    img.context = if contexts.len() == 1 {
        contexts.into_iter().next().unwrap_or(".").to_string()
    } else {
        ".".into()
    };
    if !platforms.is_empty() {
        img.platforms = platforms;
        img.platforms_why = "the platforms the workflows build".into();
    }
    img.per_arch = per_arch;
    img.workflows = workflows;
    let targets: BTreeSet<&Option<String>> = builds.iter().map(|b| &b.target).collect();
    match targets.into_iter().collect::<Vec<_>>().as_slice() {
        [Some(t)] => img.target = Some(t.clone()),
        [None] => {}
        _ => img.notes.push(
            "the workflows build different Dockerfile stages (--target) for this image: set `target` yourself".into(),
        ),
    }
    let allowed: Vec<&str> = TAG_PH.iter().copied().chain(per_arch.then_some("arch")).collect();

    if keys.len() == 1 {
        img.build_args = keys[0].args.clone();
        img.build_args_why = "as the workflows pass them".into();
        let tags: Vec<String> = key_tags[0].iter().filter(|t| tag_ok(t, &allowed)).cloned().collect();
        if !tags.is_empty() {
            img.tags = tags;
            img.tags_why = "the release tags the workflows push".into();
        } else if per_arch {
            img.tags = vec!["{version}-{arch}".into()];
        }
        return img;
    }

    // Several keys: variants.
    variants(&mut img, &keys, &key_tags, &allowed, per_arch);
    img
}

/// The builds of one image by Dockerfile and build arguments: each such
/// key is one variant.
fn keys_of<'a>(builds: &[&'a Build]) -> Vec<Key<'a>> {
    let mut keys: Vec<Key> = Vec::new();
    for b in builds {
        let mut args: Vec<(String, String)> = b
            .build_args
            .iter()
            .filter(|(k, v)| BUILD_ARG.is_match(k) && value_ok(v, TAG_PH))
            .cloned()
            .collect();
        args.sort();
        args.dedup();
        match keys.iter_mut().find(|k| k.dockerfile == b.dockerfile && k.args == args) {
            Some(k) => k.builds.push(b),
            None => keys.push(Key {
                dockerfile: b.dockerfile.clone(),
                args,
                builds: vec![b],
            }),
        }
    }
    keys
}

/// The tags of each key, with the platform's arch as {arch}, and whether
/// the image is pushed per arch (tags with the arch, no manifest, several
/// platforms): then only the tags with `{arch}`, else only those without.
fn tags_of_keys(keys: &[Key], manifest: bool, platforms: usize) -> (Vec<Vec<String>>, bool) {
    let tags_of = |k: &Key| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for b in &k.builds {
            for t in &b.tags {
                let mut t = t.clone();
                if b.platforms.len() == 1 {
                    t = replace_word(&t, arch_of(&b.platforms[0]), "{arch}");
                }
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        out
    };
    let mut key_tags: Vec<Vec<String>> = keys.iter().map(tags_of).collect();
    let arch_tags = key_tags.iter().flatten().any(|t| t.contains("{arch}"));
    let per_arch = arch_tags && !manifest && platforms > 1;
    for t in key_tags.iter_mut() {
        if !per_arch {
            t.retain(|x| !x.contains("{arch}"));
        } else {
            t.retain(|x| x.contains("{arch}"));
        }
    }
    (key_tags, per_arch)
}

/// An image of several keys: a variant each, with the build arguments,
/// Dockerfile pattern and tags they share on the image.
fn variants(img: &mut Image, keys: &[Key], key_tags: &[Vec<String>], allowed: &[&str], per_arch: bool) {
    let dockerfiles: BTreeSet<&str> = keys.iter().map(|k| k.dockerfile.as_str()).collect();
    let by_file = dockerfiles.len() == keys.len();
    let names = variant_names(keys, key_tags, by_file);

    // Build arguments common to every variant belong to the image.
    let common: Vec<(String, String)> = keys[0]
        .args
        .iter()
        .filter(|a| keys.iter().all(|k| k.args.contains(a)))
        .cloned()
        .collect();
    img.build_args = common.clone();
    img.build_args_why = "as the workflows pass them to every variant".into();

    // One Dockerfile pattern for all variants, when the paths differ only by the name.
    let pattern = if by_file {
        let pats: BTreeSet<String> = keys
            .iter()
            .zip(&names)
            .map(|(k, n)| replace_word_path(&k.dockerfile, n))
            .collect();
        (pats.len() == 1 && pats.iter().all(|p| p.contains("{variant}")))
            .then(|| pats.into_iter().next().expect("one pattern"))
    } else {
        None
    };
    if let Some(p) = &pattern {
        img.dockerfile = p.clone();
    }
    let (general, shared) = shared_tags(key_tags, &names, allowed);
    img.tags = shared.clone().unwrap_or_else(|| {
        if per_arch {
            vec!["{variant}-{arch}-{version}".into()]
        } else {
            vec!["{version}-{variant}".into()]
        }
    });
    img.tags_why = if shared.is_some() {
        "the release tags the workflows push".to_string()
    } else {
        "the default for variants: each tag names its variant".into()
    };
    img.variants_why = if by_file {
        "one variant per Dockerfile the workflows build for this image".into()
    } else {
        "one variant per set of build arguments the workflows use for this image".into()
    };
    let mut list = pattern.is_some() && common.len() == keys[0].args.len();
    img.variants = keys
        .iter()
        .zip(names)
        .zip(general.iter().zip(key_tags))
        .map(|((k, n), (g, literal))| {
            let own_tags = if !g.is_empty() && Some(g) == shared.as_ref() {
                None
            } else {
                let lit: Vec<String> = literal.iter().filter(|t| tag_ok(t, allowed)).cloned().collect();
                (!lit.is_empty()).then_some(lit)
            };
            let args: Vec<(String, String)> = k.args.iter().filter(|a| !common.contains(a)).cloned().collect();
            if own_tags.is_some() || !args.is_empty() {
                list = false;
            }
            Variant {
                dockerfile: if pattern.is_some() {
                    None
                } else {
                    Some(k.dockerfile.clone())
                },
                build_args: args,
                tags: own_tags,
                platforms: None,
                why: String::new(),
                name: n,
            }
        })
        .collect();
    if pattern.is_none() && dockerfiles.len() == 1 {
        for v in img.variants.iter_mut() {
            v.dockerfile = None;
        }
    }
    // A variant the workflows build for fewer platforms keeps to those.
    for (k, v) in keys.iter().zip(img.variants.iter_mut()) {
        let mut p: Vec<String> = k.builds.iter().flat_map(|b| b.platforms.clone()).collect();
        sort_platforms(&mut p);
        if !p.is_empty() && p != img.platforms {
            v.platforms = Some(p);
            list = false;
        }
    }
    img.variants_list = list;
}

/// The name of each key's variant: its Dockerfile's distinct part
/// (`by_file`), the words its tags add to the version, or the build
/// argument that differs; each once.
fn variant_names(keys: &[Key], key_tags: &[Vec<String>], by_file: bool) -> Vec<String> {
    let names: Vec<String> = keys
        .iter()
        .zip(key_tags)
        .enumerate()
        .map(|(i, (k, tags))| {
            if by_file {
                return variant_name(&distinct_part(&k.dockerfile));
            }
            // The words a tag adds to the version, or the build argument that differs.
            let words: Vec<String> = tags
                .iter()
                .map(|t| {
                    let t = t.replace("{version}", "").replace("{arch}", "");
                    t.split(['-', '_', '.'])
                        .filter(|w| !w.is_empty())
                        .collect::<Vec<_>>()
                        .join("-")
                })
                .filter(|w| !w.is_empty() && !w.contains(['{', '}']))
                .collect();
            if let Some(w) = words.first() {
                return variant_name(w);
            }
            let differing = k.args.iter().find(|a| keys.iter().any(|o| !o.args.contains(a)));
            match differing {
                Some((_, v)) if !v.is_empty() => variant_name(v),
                _ if i == 0 => "default".into(),
                _ => format!("v{i}"),
            }
        })
        .collect();
    let mut seen_names = BTreeSet::new();
    names
        .into_iter()
        .enumerate()
        .map(|(i, n)| {
            if seen_names.insert(n.clone()) {
                n
            } else {
                format!("{n}-{i}")
            }
        })
        .collect()
}

/// The tags of each variant with its name as `{variant}` (those a variant
/// may have), and the tags most variants share, when they name the variant.
fn shared_tags(
    key_tags: &[Vec<String>],
    names: &[String],
    allowed: &[&str],
) -> (Vec<Vec<String>>, Option<Vec<String>>) {
    let mut vallowed = allowed.to_vec();
    vallowed.push("variant");
    let general: Vec<Vec<String>> = key_tags
        .iter()
        .zip(names)
        .map(|(ts, n)| {
            ts.iter()
                .map(|t| replace_word(t, n, "{variant}"))
                .filter(|t| tag_ok(t, &vallowed))
                .collect()
        })
        .collect();
    // The image's tags: the generalised tags most variants share, if they name the variant.
    let mut counts: BTreeMap<&Vec<String>, usize> = BTreeMap::new();
    for g in general
        .iter()
        .filter(|g| !g.is_empty() && g.iter().all(|t| t.contains("{variant}")))
    {
        *counts.entry(g).or_default() += 1;
    }
    let shared = counts.iter().max_by_key(|(_, n)| **n).map(|(g, _)| (*g).clone());
    (general, shared)
}

/// A Dockerfile path with the variant's name (as a whole path segment or
/// `.`/`-` word) as `{variant}`.
fn replace_word_path(path: &str, name: &str) -> String {
    path.split('/')
        .map(|seg| {
            if variant_name(seg) == name {
                "{variant}".to_string()
            } else {
                replace_word(seg, name, "{variant}")
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Mirrors, `latest`, and tags no two variants share.
fn finish(img: &mut Image, inp: &Inputs) {
    // Mirrors: names the workflows give this image (`docker tag`) and push.
    for (src, dst, from) in &inp.evidence.retags {
        if *src == img.image
            && *dst != img.image
            && inp.evidence.pushed.contains(dst)
            && !img.mirrors.iter().any(|(m, _)| m == dst)
        {
            img.mirrors.push((dst.clone(), format!("tagged and pushed in {from}")));
            img.workflows
                .insert(from.split(" (job ").next().unwrap_or(from).to_string());
        }
    }
    // `latest` beside the plain version tag (wfgen moves it for the newest release only).
    if !img.per_arch {
        if img.variants.is_empty() {
            if img.tags.iter().any(|t| t == "{version}") && !img.tags.iter().any(|t| t == "latest") {
                img.tags.push("latest".into());
                img.tags_why.push_str("; latest added");
            }
        } else {
            for v in img.variants.iter_mut() {
                if let Some(t) = v.tags.as_mut()
                    && t.iter().any(|x| x == "{version}")
                    && !t.iter().any(|x| x == "latest")
                {
                    t.push("latest".into());
                }
            }
        }
    }
    // No two variants may push the same tag.
    let mut pushed: BTreeSet<String> = BTreeSet::new();
    for v in img.variants.iter_mut() {
        let effective = v.tags.clone().unwrap_or_else(|| img.tags.clone());
        let literal: Vec<&String> = effective.iter().filter(|t| !t.contains("{variant}")).collect();
        if literal.iter().any(|t| pushed.contains(*t)) {
            v.tags = None;
            img.variants_list = false;
        } else {
            pushed.extend(literal.into_iter().cloned());
        }
    }
    if !img.variants.is_empty() && img.tags.iter().any(|t| !t.contains("{variant}")) {
        img.tags = vec!["{version}-{variant}".into()];
    }
    img.platforms.retain(|p| DOCKER_PLATFORMS.contains(&p.as_str()));
    if img.platforms.is_empty() {
        img.platforms = vec!["linux/amd64".into()];
    }
    img.build_args
        .retain(|(k, v)| BUILD_ARG.is_match(k) && value_ok(v, TAG_PH));
    let args = img
        .build_args
        .iter()
        .chain(img.variants.iter().flat_map(|v| v.build_args.iter()));
    let mut seen = BTreeSet::new();
    for (k, v) in args {
        let path = v.trim_start_matches("./");
        if (v.starts_with("./") || v.starts_with('/'))
            && !v.contains('{')
            && seen.insert(k.clone())
            && !inp.repo.root.join(path).exists()
        {
            img.notes.push(format!(
                "{k}={v}: a path the workflows prepare before the build (it is not in the repository)"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!(
            replace_word("ubuntu-amd64-{version}", "amd64", "{arch}"),
            "ubuntu-{arch}-{version}"
        );
        assert_eq!(replace_word("small-all", "all", "{variant}"), "small-{variant}");
        assert_eq!(
            replace_word_path("docker/official/rocky/Dockerfile", "rocky"),
            "docker/official/{variant}/Dockerfile"
        );
        assert_eq!(component("My_Project!!"), "my_project");
        assert_eq!(component("--"), "");
        assert_eq!(distinct_part("agent.Dockerfile"), "agent");
        assert_eq!(distinct_part("Dockerfile.alpine"), "alpine");
        assert_eq!(distinct_part("validators/deployment/Dockerfile"), "deployment");
        assert!(tag_ok("{version}-slim", TAG_PH));
        assert!(!tag_ok("{variant}-x", TAG_PH));
        assert!(!tag_ok("-x", TAG_PH));
        assert!(!tag_ok("1.2.3", TAG_PH));
        assert!(tag_ok("latest", TAG_PH));
    }
}
