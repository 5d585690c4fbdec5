//! Registry credentials, shared by docker.yml and helm-publish.yml: which
//! secrets log in to a registry host. ghcr.io takes the workflow's
//! GITHUB_TOKEN; any other host needs an entry in the spec's `registries:`
//! (or, for an image's own host, the image's `login:` shorthand). Validation
//! refuses a spec that pushes to a host without credentials.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::spec::registry::{chart_host, image_host, is_chart_registry};
use crate::spec::validate::{ChartCheck, ImageCheck, Problems, Section};
use crate::spec::{DockerImage, Login, Spec};
use crate::ypath;
use crate::ypath::{Part, YPath};

/// The host whose login is the workflow's GITHUB_TOKEN.
pub const GHCR: &str = "ghcr.io";

/// How a job logs in to one registry host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoginPlan {
    pub registry: String,
    /// None: ghcr.io with GITHUB_TOKEN.
    pub username_secret: Option<String>,
    pub password_secret: Option<String>,
}

impl LoginPlan {
    /// The secrets this login reads, by name.
    pub fn secrets(&self) -> impl Iterator<Item = &String> {
        self.username_secret.iter().chain(&self.password_secret)
    }
}

/// The login of `host`: `own` (an image's `login:`, for its own host), then
/// `registries.<host>`, then GITHUB_TOKEN on ghcr.io. None: the spec gives no
/// credentials for the host (validation refuses such a spec).
pub fn login(spec: &Spec, host: &str, own: Option<&Login>) -> Option<LoginPlan> {
    let with = |l: &Login| LoginPlan {
        registry: host.to_string(),
        username_secret: Some(l.username_secret.clone()),
        password_secret: Some(l.password_secret.clone()),
    };
    if let Some(l) = own.or_else(|| spec.registries.get(host)) {
        return Some(with(l));
    }
    (host == GHCR).then(|| LoginPlan {
        registry: host.to_string(),
        username_secret: None,
        password_secret: None,
    })
}

/// The host an image's `login:` is for: its own host; for an image on
/// ghcr.io (which needs no login), the one other host of its mirrors, as in
/// specs written before `registries:` existed.
pub fn login_host(image: &DockerImage) -> String {
    let own = image_host(&image.image);
    if own != GHCR {
        return own;
    }
    let others: BTreeSet<String> = image
        .mirrors
        .iter()
        .map(|m| image_host(m))
        .filter(|h| h != GHCR)
        .collect();
    match others.len() {
        1 => others.into_iter().next().expect("one host"),
        _ => own,
    }
}

/// The secret names a registry host's credentials conventionally get:
/// `DOCKERHUB_USERNAME`/`_TOKEN` for docker.io, `QUAY_USERNAME`/`_TOKEN` for
/// quay.io, `REGISTRY_…` when the host gives no usable word (a secret name
/// cannot start with a digit or GITHUB_).
pub fn secret_names(host: &str) -> (String, String) {
    let stem: String = host
        .split(['.', ':'])
        .find(|s| !s.is_empty() && *s != "docker" && *s != "registry")
        .unwrap_or("")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    let stem = if host == "docker.io" {
        "DOCKERHUB".to_string()
    } else if stem.is_empty() || stem.starts_with(|c: char| c.is_ascii_digit()) || stem.starts_with("GITHUB") {
        "REGISTRY".to_string()
    } else {
        stem
    };
    (format!("{stem}_USERNAME"), format!("{stem}_TOKEN"))
}

/// The `registries:` entry of a host as a user would write it, for help texts.
pub fn example(host: &str) -> String {
    let (user, password) = secret_names(host);
    format!("registries: {{ {host}: {{ username-secret: {user}, password-secret: {password} }} }}")
}

/// Validation of the spec (`spec::validate`) by the logins: every host an
/// image is pushed to needs credentials. ghcr.io has GITHUB_TOKEN, the
/// image's own host may use `login`, the others their `registries` entry.
pub fn check_image_logins(spec: &Spec, c: &mut Problems) {
    for (i, d) in spec.docker.iter().enumerate() {
        c.section(Section::Image(i, ImageCheck::Logins));
        image_logins(spec, c, &ypath!["docker", i], d);
    }
}

fn image_logins(spec: &Spec, c: &mut Problems, p: &YPath, d: &DockerImage) {
    let own_host = login_host(d);
    let hosts: BTreeSet<String> = std::iter::once(&d.image)
        .chain(&d.mirrors)
        .map(|n| image_host(n))
        .collect();
    for h in &hosts {
        let own = d.login.as_ref().filter(|_| *h == own_host);
        if login(spec, h, own).is_some() {
            continue;
        }
        let (at, help) = if *h == own_host {
            (
                p.key("image"),
                format!(
                    "add `{}` with the names of your secrets (or `login:` on this image); ghcr.io needs none",
                    example(h)
                ),
            )
        } else {
            let j = d.mirrors.iter().position(|m| image_host(m) == *h).unwrap_or(0);
            (
                p.key("mirrors").index(j),
                format!(
                    "add `{}` with the names of your secrets; `login:` is for one host ({own_host})",
                    example(h)
                ),
            )
        };
        c.err(at, Part::Value, format!("pushing to {h} needs a registry login"), help);
    }
}

/// Validation of the spec (`spec::validate`) by the logins: the host of
/// every chart registry needs credentials (ghcr.io has GITHUB_TOKEN).
pub fn check_chart_logins(spec: &Spec, c: &mut Problems) {
    for (i, h) in spec.helm.iter().enumerate() {
        // A registry that is not one is a problem of its own.
        if !is_chart_registry(&h.registry) {
            continue;
        }
        c.section(Section::Chart(i, ChartCheck::Login));
        let host = chart_host(&h.registry);
        if login(spec, &host, None).is_none() {
            c.err(
                ypath!["helm", i, "registry"],
                Part::Value,
                format!("pushing charts to {host} needs a registry login"),
                format!(
                    "add `{}` with the names of your secrets; ghcr.io needs none",
                    example(&host)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_name_secrets_after_the_host() {
        assert_eq!(
            example("docker.io"),
            "registries: { docker.io: { username-secret: DOCKERHUB_USERNAME, password-secret: DOCKERHUB_TOKEN } }"
        );
        assert!(example("quay.io").contains("QUAY_USERNAME"));
        assert!(example("registry.example.com").contains("EXAMPLE_TOKEN"));
        assert_eq!(secret_names("10.0.0.1:5000").0, "REGISTRY_USERNAME");
    }

    fn problems(text: &str) -> Vec<String> {
        match crate::parse_spec("wfgen.yaml", text) {
            Ok(_) => vec![],
            Err(p) => p.oneline(),
        }
    }
    const HEAD: &str = "wfgen: 1\nproject: { name: demo }\n";

    #[test]
    fn docker_hub_needs_login() {
        let l = problems(&format!("{HEAD}docker:\n  - image: acme/app\n"));
        assert_eq!(l, ["wfgen.yaml:4:12: pushing to docker.io needs a registry login"]);
    }

    #[test]
    fn a_chart_registry_needs_login() {
        let l = problems(&format!(
            "{HEAD}helm:\n  - {{ chart: charts/a, registry: \"oci://quay.io/acme\" }}\n"
        ));
        assert_eq!(l, ["wfgen.yaml:4:34: pushing charts to quay.io needs a registry login"]);
    }
}
