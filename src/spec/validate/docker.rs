//! `docker:` and `registries:`: image names and their hosts' logins,
//! platforms, labels, the release binaries an image takes, tags, build
//! arguments and variants.

use super::*;

/// An image name without a tag.
const IMAGE: &str =
    r"^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)+$|^[a-z0-9]+([._-][a-z0-9]+)*$";

/// A variant's name.
const VARIANT: &str = r"^[a-z0-9][a-z0-9._-]*$";

/// `registries:`: each a host the spec pushes an image or a chart to, with
/// secret names.
pub(super) fn registries(spec: &Spec, c: &mut Problems) {
    let used: BTreeSet<String> = spec
        .docker
        .iter()
        .flat_map(|d| std::iter::once(&d.image).chain(&d.mirrors))
        .map(|n| image_host(n))
        .chain(spec.helm.iter().map(|h| chart_host(&h.registry)))
        .collect();
    let host_re = re(r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$");
    for (host, l) in &spec.registries {
        let p = ypath!["registries", host.as_str()];
        if !host_re.is_match(host) {
            c.err(
                p.clone(),
                Part::Key,
                format!("`{host}` is not a registry host"),
                "write the host alone, without a scheme or path, e.g. `docker.io`, `quay.io`, `registry.example.com:5000`"
                    .into(),
            );
        } else if !used.contains(host) {
            let hosts: Vec<&str> = used.iter().map(String::as_str).collect();
            c.err(
                p.clone(),
                Part::Key,
                format!("no image or chart is pushed to {host}"),
                if hosts.is_empty() {
                    "remove the entry: the spec pushes no image and no chart".into()
                } else {
                    format!(
                        "the spec pushes to {}; Docker Hub is `docker.io`; remove the entry or fix its host",
                        hosts.join(", ")
                    )
                },
            );
        }
        login_secrets(c, &p, l);
    }
}

/// The secret names of a registry login: valid names, none of GitHub's.
fn login_secrets(c: &mut Problems, at: &YPath, l: &Login) {
    for (key, s) in [
        ("username-secret", &l.username_secret),
        ("password-secret", &l.password_secret),
    ] {
        c.name(
            at.key(key),
            s,
            SECRET,
            "secret name",
            "secret names use letters, digits and `_`",
        );
        if s.to_ascii_uppercase().starts_with("GITHUB_") {
            c.err(
                at.key(key),
                Part::Value,
                format!("`{s}`: secret names cannot start with GITHUB_"),
                "GitHub reserves the GITHUB_ prefix; ghcr.io needs no login".into(),
            );
        }
    }
}

/// `docker:`: every image, then no image twice. The plan checks the
/// logins of an image's hosts and the legs of its binaries
/// (`plan::registries`, `plan::imagebins`).
pub(super) fn images(spec: &Spec, c: &mut Problems) {
    for (i, d) in spec.docker.iter().enumerate() {
        let p = ypath!["docker", i];
        c.section(Section::Image(i, ImageCheck::Names));
        image_names(c, &p, d);
        c.section(Section::Image(i, ImageCheck::Settings));
        image_settings(c, &p, d);
        c.section(Section::Image(i, ImageCheck::Tags));
        image_tags(c, &p, d);
    }
    c.section(Section::Images);
    c.unique(
        spec.docker
            .iter()
            .enumerate()
            .map(|(i, d)| (ypath!["docker", i, "image"], d.image.as_str())),
        "image",
    );
}

/// The image's name and its mirrors'.
fn image_names(c: &mut Problems, p: &YPath, d: &DockerImage) {
    c.name(
        p.key("image"),
        &d.image,
        IMAGE,
        "image name",
        "an image name without a tag, lowercase, e.g. `ghcr.io/owner/app` or `owner/app` (docker.io)",
    );
    for (j, m) in d.mirrors.iter().enumerate() {
        c.name(
            p.key("mirrors").index(j),
            m,
            IMAGE,
            "image name",
            "an image name without a tag, lowercase",
        );
    }
}

/// The image's `login`, platforms, Dockerfile stage and labels, and the
/// platforms of its variants.
fn image_settings(c: &mut Problems, p: &YPath, d: &DockerImage) {
    if let Some(l) = &d.login {
        login_secrets(c, &p.key("login"), l);
    }
    platforms(c, &d.platforms, p.key("platforms"));
    if let Some(t) = &d.target {
        c.name(
            p.key("target"),
            t,
            r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
            "Dockerfile stage",
            "the name after `AS` in a `FROM ... AS <stage>` line of the Dockerfile, e.g. `runtime`",
        );
    }
    labels(c, p, d);
    if let Variants::Map(m) = &d.variants {
        for (name, var) in m {
            if let Some(pl) = &var.platforms {
                platforms(c, pl, p.key("variants").key(name.as_str()).key("platforms"));
            }
        }
    }
}

/// The platforms of an image or a variant, at `at`: some, known, each once.
fn platforms(c: &mut Problems, platforms: &[String], at: YPath) {
    if platforms.is_empty() {
        c.err(
            at.clone(),
            Part::Value,
            "an image needs at least one platform".into(),
            "e.g. `platforms: [linux/amd64, linux/arm64]`".into(),
        );
    }
    for (j, pl) in platforms.iter().enumerate() {
        c.known(at.index(j), pl, names::DOCKER_PLATFORMS, "Docker platform");
    }
    c.unique(
        platforms.iter().enumerate().map(|(j, t)| (at.index(j), t.as_str())),
        "platform",
    );
}

/// `labels`: reverse-DNS names, one-line values with a version's
/// placeholders (and `{variant}` in an image with variants).
fn labels(c: &mut Problems, p: &YPath, d: &DockerImage) {
    let label_key = re(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$");
    let mut label_ph: Vec<&str> = names::VERSION_PLACEHOLDERS.to_vec();
    if !d.variants.is_empty() {
        label_ph.push("variant");
    }
    for (k, val) in &d.labels {
        let lp = p.key("labels").key(k.as_str());
        if !label_key.is_match(k) {
            c.err(
                lp.clone(),
                Part::Key,
                format!("`{k}` is not a valid label name"),
                "label names are reverse-DNS words of letters, digits, `.`, `_` and `-`, e.g. `org.opencontainers.image.vendor`".into(),
            );
        }
        if val.contains(['\n', '\r']) {
            c.err(
                lp.clone(),
                Part::Value,
                format!("the label `{k}` holds a line break"),
                "a label value is one line".into(),
            );
        }
        c.placeholders(lp, val, &label_ph, &|n| {
            if n == "variant" {
                "there are no `variants` in this image".into()
            } else {
                "a label is the same for every platform".into()
            }
        });
    }
}

fn no_variants_why(_: &str) -> String {
    "there are no `variants` in this image".to_string()
}

/// The image's tags, Dockerfile, build arguments and variants.
fn image_tags(c: &mut Problems, p: &YPath, d: &DockerImage) {
    let has_variants = !d.variants.is_empty();
    tags(c, d, &d.tags, p.key("tags"));
    c.placeholders(
        p.key("dockerfile"),
        &d.dockerfile_path(),
        if has_variants { &["variant"] } else { &[] },
        &|n| {
            if n == "variant" {
                no_variants_why(n)
            } else {
                "the Dockerfile path is the same for every version".into()
            }
        },
    );
    for (k, val) in &d.build_args {
        c.name(
            p.key("build-args").key(k.as_str()),
            k,
            names::BUILD_ARG,
            "build argument name",
            "build argument names use letters, digits and `_`",
        );
        build_arg(c, d, p.key("build-args").key(k.as_str()), val);
    }
    match &d.variants {
        Variants::Map(m) => variants_map(c, p, d, m),
        Variants::List(l) => variants_list(c, p, d, l),
    }
}

/// The placeholders of a build argument's value at `at`: a version's, and
/// `{variant}` in an image with variants.
fn build_arg(c: &mut Problems, d: &DockerImage, at: YPath, value: &str) {
    let mut arg_ph: Vec<&str> = names::VERSION_PLACEHOLDERS.to_vec();
    if !d.variants.is_empty() {
        arg_ph.push("variant");
    }
    c.placeholders(at, value, &arg_ph, &|n| {
        if n == "arch" {
            "buildx passes the platform as the TARGETARCH build argument".to_string()
        } else {
            no_variants_why(n)
        }
    });
}

/// Tag templates at `base` of the image `d` (or of one of its variants):
/// some, each a Docker tag once expanded, with `{arch}` when `per-arch`.
fn tags(c: &mut Problems, d: &DockerImage, tags: &[String], base: YPath) {
    let mut tag_ph: Vec<&str> = names::VERSION_PLACEHOLDERS.to_vec();
    if !d.variants.is_empty() {
        tag_ph.push("variant");
    }
    if d.per_arch {
        tag_ph.push("arch");
    }
    let tag_why = |n: &str| match n {
        "arch" => {
            "`{arch}` tags exist only with `per-arch: true`; a multi-arch manifest serves every platform under one tag"
                .to_string()
        }
        "variant" => no_variants_why(n),
        _ => String::new(),
    };
    for (j, t) in tags.iter().enumerate() {
        let tp = base.index(j);
        c.placeholders(tp.clone(), t, &tag_ph, &tag_why);
        let literal = placeholders(t).map(|ps| {
            let mut s = t.clone();
            for (_, r) in ps.into_iter().rev() {
                s.replace_range(r, "x");
            }
            s
        });
        if let Ok(lit) = literal
            && !re(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$").is_match(&lit)
        {
            c.err(
                tp.clone(),
                Part::Value,
                format!("`{t}` cannot become a Docker tag"),
                "tags use letters, digits, `_`, `.` and `-`, and do not start with `.` or `-`".into(),
            );
        }
        if d.per_arch && !t.contains("{arch}") {
            c.err(
                tp,
                Part::Value,
                format!(
                    "with `per-arch: true` the tag `{t}` would be pushed once per platform, each overwriting the last"
                ),
                "put `{arch}` in every tag, e.g. `{version}-{arch}`".into(),
            );
        }
    }
    if tags.is_empty() {
        c.err(
            base,
            Part::Value,
            "an image needs at least one tag".into(),
            "e.g. `tags: [\"{version}\"]`".into(),
        );
    }
}

/// `variants` as a map: names, each variant's Dockerfile, build arguments
/// and tags, and no tag that two variants push.
fn variants_map(c: &mut Problems, p: &YPath, d: &DockerImage, m: &BTreeMap<String, Variant>) {
    let mut effective: BTreeMap<String, String> = BTreeMap::new();
    for (name, var) in m {
        let vp = p.key("variants").key(name.as_str());
        c.name(
            vp.clone(),
            name,
            VARIANT,
            "variant name",
            "variant names are lowercase letters, digits, `.`, `_` and `-` (they become part of tags)",
        );
        if let Some(df) = &var.dockerfile {
            c.placeholders(vp.key("dockerfile"), df, &["variant"], &|_| {
                "the Dockerfile path is the same for every version".into()
            });
        }
        for (k, val) in &var.build_args {
            build_arg(c, d, vp.key("build-args").key(k.as_str()), val);
        }
        if let Some(t) = &var.tags {
            tags(c, d, t, vp.key("tags"));
        }
        for t in var.tags.as_ref().unwrap_or(&d.tags) {
            if !t.contains("{variant}")
                && let Some(other) = effective.insert(t.clone(), name.clone())
            {
                c.err(
                    vp.clone(),
                    Part::Key,
                    format!("variants `{other}` and `{name}` both push the tag `{t}`"),
                    "put `{variant}` in the image's tags, or give each variant its own `tags`".into(),
                );
            }
        }
    }
}

/// `variants` as a list of names: valid, each once, and tags that tell
/// them apart.
fn variants_list(c: &mut Problems, p: &YPath, d: &DockerImage, l: &[String]) {
    for (j, name) in l.iter().enumerate() {
        c.name(
            p.key("variants").index(j),
            name,
            VARIANT,
            "variant name",
            "variant names are lowercase letters, digits, `.`, `_` and `-` (they become part of tags)",
        );
    }
    if l.len() > 1
        && let Some((j, t)) = d.tags.iter().enumerate().find(|(_, t)| !t.contains("{variant}"))
    {
        c.err(
            p.key("tags").index(j),
            Part::Value,
            format!("every variant would push the tag `{t}`"),
            "put `{variant}` in each tag, or write `variants` as a map with each variant's own `tags`".into(),
        );
    }
    c.unique(
        l.iter()
            .enumerate()
            .map(|(j, t)| (p.key("variants").index(j), t.as_str())),
        "variant",
    );
}
