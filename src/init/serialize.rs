//! The proposed spec as YAML text: every key in the order of the
//! reference, each guessed value with a comment saying where it came from.

use super::*;

pub(super) fn render(f: &Found) -> String {
    let mut d = Doc::default();
    d.comment(
        0,
        "Starter release spec written by `wfgen init` from what this repository holds.",
    );
    d.comment(
        0,
        "Each value it guessed says where it came from: review them, then run `wfgen generate`.",
    );
    d.comment(0, "Every key: `wfgen schema`.");
    for n in &f.notes {
        d.comment(0, n);
    }
    d.line(0, "wfgen: 1", None);
    d.line(0, "project:", None);
    d.kv(2, "name", &scalar(&f.name), Some(&f.name_why));
    if let Some((r, why)) = &f.repository {
        d.kv(2, "repository", &scalar(r), Some(why));
    }

    render_versioning(&mut d, f);

    if !f.toolchains.is_empty() {
        d.line(
            0,
            "toolchains:",
            Some("the versions the repository pins for its developers"),
        );
        for t in &f.toolchains {
            d.kv(2, t.key, &scalar(&t.value), Some(&t.why));
        }
    }

    if f.gates.is_empty() {
        if let Some(n) = &f.gates_note {
            d.comment(0, &format!("gates: {n}"));
        }
    } else {
        d.line(0, "gates:", None);
        for g in &f.gates {
            d.line(2, &format!("- name: {}", scalar(&g.name)), Some(&g.why));
            d.kv(4, "run", &scalar(&g.run), None);
        }
    }

    render_binaries(&mut d, f);
    render_python(&mut d, f);

    if !f.docker.is_empty() || !f.docker_notes.is_empty() {
        if f.docker.is_empty() {
            d.comment(0, "docker:");
        } else {
            d.line(0, "docker:", None);
        }
        for n in &f.docker_notes {
            d.comment(2, n);
        }
        for i in &f.docker {
            render_image(&mut d, i);
        }
    }

    if !f.registries.is_empty() {
        d.line(0, "registries:", None);
        for (host, (u, p, why)) in &f.registries {
            d.kv(
                2,
                &scalar(host),
                &format!("{{ username-secret: {}, password-secret: {} }}", scalar(u), scalar(p)),
                Some(why),
            );
        }
    }

    if !f.helm.is_empty() {
        d.line(0, "helm:", None);
        for c in &f.helm {
            let why = format!("from {}", repo::join(&c.path, "Chart.yaml"));
            d.line(2, &format!("- chart: {}", scalar(&c.path)), Some(&why));
            d.kv(4, "registry", &scalar(&c.registry), Some(&c.registry_why));
        }
    }

    d.line(
        0,
        "release:",
        Some("github-release, checksums and provenance as wfgen does by default"),
    );
    d.kv(2, "github-release", "stable", None);
    let set = |k: &str| f.release.iter().find(|(key, _)| *key == k).map(|(_, w)| w.as_str());
    if let Some(why) = set("draft") {
        d.kv(2, "draft", "true", Some(why));
    }
    d.kv(2, "checksums", "true", None);
    if let Some(why) = set("sign") {
        d.kv(2, "sign", "true", Some(why));
    }
    if let Some(why) = set("sbom") {
        d.kv(2, "sbom", "true", Some(why));
    }
    d.kv(2, "provenance", "true", None);
    d.finish()
}

/// `versioning:` and where each published package's version comes from.
fn render_versioning(d: &mut Doc, f: &Found) {
    let v = &f.versioning;
    d.line(0, "versioning:", None);
    let scheme = match v.scheme {
        Scheme::Semver => "semver",
        Scheme::Pep440 => "pep440",
    };
    d.kv(2, "scheme", scheme, Some(&v.scheme_why));
    d.kv(2, "tag-prefix", &scalar(&v.prefix), Some(&v.prefix_why));
    d.kv(2, "prereleases", &flow(&v.prereleases), Some(&v.prereleases_why));
    if let Some((s, why)) = &v.stable_suffix {
        d.kv(2, "stable-suffix", &scalar(s), Some(why));
    }
    if !f.version_files.is_empty() {
        d.line(
            2,
            "version-files:",
            Some("each must hold the tag's version; the release checks it"),
        );
        for (file, why) in &f.version_files {
            d.line(4, &format!("- {}", scalar(file)), Some(why));
        }
    }
    if !f.version_sources.is_empty() {
        d.comment(2, "where the version of each published package comes from:");
        for l in &f.version_sources {
            d.comment(2, &format!("- {l}"));
        }
    }
    for n in &v.notes {
        d.comment(2, n);
    }
}

/// `binaries:`, or a comment with the notes when none was added.
fn render_binaries(d: &mut Doc, f: &Found) {
    if !f.bins.is_empty() || !f.bins_notes.is_empty() {
        if f.bins.is_empty() {
            d.comment(0, "binaries:");
        } else {
            d.line(0, "binaries:", None);
        }
        for n in &f.bins_notes {
            d.comment(2, n);
        }
        for b in &f.bins {
            d.line(2, &format!("- name: {}", scalar(&b.name)), Some(&b.why));
            d.kv(4, "kind", b.kind, None);
            d.kv(4, "package", &scalar(&b.package), None);
            if !b.features.is_empty() {
                d.kv(4, "features", &flow(&b.features), Some("the bin's required-features"));
            }
            d.kv(4, "targets", &flow(&b.targets), Some(&b.targets_why));
        }
    }
}

/// `python:`, or a comment with the notes when no package was added.
fn render_python(d: &mut Doc, f: &Found) {
    if !f.python.is_empty() || !f.python_notes.is_empty() {
        if f.python.is_empty() {
            d.comment(0, "python:");
        } else {
            d.line(0, "python:", None);
        }
        for n in &f.python_notes {
            d.comment(2, n);
        }
        let pure = f.python.iter().filter(|p| p.build == python::Build::Pure).count();
        for p in &f.python {
            d.line(
                2,
                &format!("- name: {}", scalar(&p.name)),
                Some(&format!("from {}", p.why)),
            );
            if p.build == python::Build::Pure && pure > 1 {
                d.kv(
                    4,
                    "workflow",
                    "release-python",
                    Some("the pure packages build in one workflow"),
                );
            }
            d.kv(4, "path", &scalar(&p.path), None);
            match p.build {
                python::Build::Maturin => {
                    d.kv(4, "build", "maturin", None);
                    if p.abi3 {
                        let why = format!(
                            "from {}: one wheel per platform",
                            p.abi3_why.as_deref().unwrap_or("pyo3")
                        );
                        d.kv(4, "abi3", "true", Some(&why));
                    } else if !p.python.is_empty() {
                        d.kv(4, "python", &flow(&p.python), p.python_why.as_deref());
                    }
                }
                python::Build::Pure => {
                    d.kv(4, "build", "pure", None);
                    if let Some((builder, why)) = &p.builder {
                        d.kv(4, "builder", builder, Some(why));
                    }
                }
            }
        }
    }
}

fn render_image(d: &mut Doc, i: &docker::Image) {
    d.line(2, &format!("- image: {}", scalar(&i.image)), Some(&i.image_why));
    if i.context != "." {
        d.kv(4, "context", &scalar(&i.context), None);
    }
    let df_why = (!i.dockerfile_why.is_empty()).then_some(i.dockerfile_why.as_str());
    d.kv(4, "dockerfile", &scalar(&i.dockerfile), df_why);
    if let Some(t) = &i.target {
        d.kv(
            4,
            "target",
            &scalar(t),
            Some("the Dockerfile stage the workflows build"),
        );
    }
    if !i.build_args.is_empty() {
        d.line(4, "build-args:", Some(&i.build_args_why));
        for (k, v) in &i.build_args {
            d.kv(6, &scalar(k), &scalar(v), None);
        }
    }
    d.kv(4, "platforms", &flow(&i.platforms), Some(&i.platforms_why));
    if i.per_arch {
        d.kv(
            4,
            "per-arch",
            "true",
            Some("the workflows push a tag per architecture, no multi-arch manifest"),
        );
    }
    d.kv(4, "tags", &flow(&i.tags), Some(&i.tags_why));
    if !i.variants.is_empty() {
        if i.variants_list {
            let names: Vec<&str> = i.variants.iter().map(|v| v.name.as_str()).collect();
            d.kv(4, "variants", &flow(&names), Some(&i.variants_why));
        } else {
            d.line(4, "variants:", Some(&i.variants_why));
            for v in &i.variants {
                let why = (!v.why.is_empty()).then_some(v.why.as_str());
                if v.dockerfile.is_none() && v.build_args.is_empty() && v.tags.is_none() && v.platforms.is_none() {
                    d.kv(6, &scalar(&v.name), "{}", why);
                    continue;
                }
                d.line(6, &format!("{}:", scalar(&v.name)), why);
                if let Some(df) = &v.dockerfile {
                    d.kv(8, "dockerfile", &scalar(df), None);
                }
                if !v.build_args.is_empty() {
                    d.line(8, "build-args:", None);
                    for (k, val) in &v.build_args {
                        d.kv(10, &scalar(k), &scalar(val), None);
                    }
                }
                if let Some(t) = &v.tags {
                    d.kv(8, "tags", &flow(t), None);
                }
                if let Some(p) = &v.platforms {
                    d.kv(
                        8,
                        "platforms",
                        &flow(p),
                        Some("the platforms the workflows build this variant for"),
                    );
                }
            }
        }
    }
    if !i.mirrors.is_empty() {
        d.line(4, "mirrors:", None);
        for (m, why) in &i.mirrors {
            d.line(6, &format!("- {}", scalar(m)), Some(why));
        }
    }
    for n in &i.notes {
        d.comment(4, n);
    }
}
