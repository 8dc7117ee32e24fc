//! `wasm-telemetry-collector sourcemaps upload`: uploads a build's scripts and source maps to a
//! collector's release file store, each under its path relative to the build folder as the URL
//! path the page loads it from.
//!
//! ```text
//! wasm-telemetry-collector sourcemaps upload --url <collector> --token <admin> \
//!     --release <release> [--url-prefix /app] <dist-dir>
//! ```
//!
//! Every `.js` with a `.js.map` beside it is uploaded with its map; a `.js` without one is not.
//! It speaks plain HTTP/1.1, as the collector serves it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The command's usage, printed on a wrong invocation.
pub const USAGE: &str = "usage: wasm-telemetry-collector sourcemaps upload --url <collector> --token <admin token> --release <release> [--url-prefix /app] <dist-dir>";

/// How long one request may take.
const TIMEOUT: Duration = Duration::from_secs(120);

/// What the command was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The collector, `http://host:port`.
    pub url: String,
    /// The admin token.
    pub token: String,
    /// The release the files belong to.
    pub release: String,
    /// Prepended to every path (`/app` for a site served under `/app/`).
    pub url_prefix: String,
    /// The build folder.
    pub dir: PathBuf,
}

impl Upload {
    /// Reads the arguments after `sourcemaps upload`; `Err` says what is wrong.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut url = None;
        let mut token = None;
        let mut release = None;
        let mut url_prefix = String::new();
        let mut dir = None;
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| {
                args.next()
                    .cloned()
                    .ok_or_else(|| format!("{name} needs a value"))
            };
            match arg.as_str() {
                "--url" => url = Some(value("--url")?),
                "--token" => token = Some(value("--token")?),
                "--release" => release = Some(value("--release")?),
                "--url-prefix" => url_prefix = value("--url-prefix")?,
                flag if flag.starts_with("--") => return Err(format!("unknown argument {flag}")),
                folder if dir.is_none() => dir = Some(PathBuf::from(folder)),
                extra => return Err(format!("one build folder only, not also {extra}")),
            }
        }
        let url = url.ok_or("--url is required")?;
        if !url.starts_with("http://") {
            return Err(format!(
                "--url must be an http:// address of the collector, not {url}"
            ));
        }
        let release = release.ok_or("--release is required")?;
        if !wasm_telemetry_rules::release::is_release_name(&release) {
            return Err("--release must be 1 to 200 characters without control characters".into());
        }
        let url_prefix = url_prefix.trim_end_matches('/').to_string();
        if !url_prefix.is_empty() && !url_prefix.starts_with('/') {
            return Err(format!(
                "--url-prefix must start with '/', not {url_prefix}"
            ));
        }
        Ok(Self {
            url: url.trim_end_matches('/').to_string(),
            token: token.ok_or("--token is required")?,
            release,
            url_prefix,
            dir: dir.ok_or("the build folder is required")?,
        })
    }
}

/// Every file under `dir`, sorted, as (path relative to `dir` with `/` separators, full path).
fn files(dir: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                found.push((parts.join("/"), path));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// The scripts that have a map beside them, and their maps, as (URL path, file), script first.
pub fn pairs(dir: &Path, url_prefix: &str) -> std::io::Result<Vec<(String, PathBuf)>> {
    let all = files(dir)?;
    let names: std::collections::HashSet<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    let mut pairs = Vec::new();
    for (name, path) in &all {
        let map = format!("{name}.map");
        if name.ends_with(".js") && names.contains(map.as_str()) {
            pairs.push((format!("{url_prefix}/{name}"), path.clone()));
            pairs.push((format!("{url_prefix}/{map}"), dir.join(&map)));
        }
    }
    Ok(pairs)
}

/// `text` with everything but unreserved characters (and `/` in a path) percent-encoded.
fn encode(text: &str, path: bool) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) || (path && byte == b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// One HTTP/1.1 PUT; the status and the body of the answer.
fn put(url: &str, path: &str, token: &str, body: &[u8]) -> Result<(u16, String), String> {
    let host = url.strip_prefix("http://").unwrap_or(url);
    let host = host.split('/').next().unwrap_or(host);
    let address = if host.contains(':') {
        host.to_string()
    } else {
        format!("{host}:80")
    };
    let mut stream =
        TcpStream::connect(&address).map_err(|e| format!("cannot reach {url}: {e}"))?;
    stream.set_read_timeout(Some(TIMEOUT)).ok();
    stream.set_write_timeout(Some(TIMEOUT)).ok();
    let head = format!(
        "PUT {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let sent = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body));
    let mut answer = Vec::new();
    let read = stream.read_to_end(&mut answer);
    // The collector may refuse (413, 401) before reading all of a large body.
    if answer.is_empty() {
        let error = sent
            .err()
            .or(read.err())
            .map_or_else(|| "no answer".to_string(), |e| e.to_string());
        return Err(format!("{url} did not answer: {error}"));
    }
    let text = String::from_utf8_lossy(&answer);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("{url} answered without HTTP status"))?;
    Ok((status, body.to_string()))
}

/// The message of an API error answer, if it has one.
fn api_message(body: &str) -> Option<String> {
    let json: serde_json::Value = serde_json::from_str(body).ok()?;
    json["errors"][0]["message"].as_str().map(String::from)
}

/// Runs the upload, printing each file; `Err` is the message to print before exiting non-zero.
pub fn run(upload: &Upload, out: &mut dyn Write) -> Result<usize, String> {
    let pairs = pairs(&upload.dir, &upload.url_prefix)
        .map_err(|e| format!("cannot read {}: {e}", upload.dir.display()))?;
    if pairs.is_empty() {
        return Err(format!(
            "no .js with a .js.map beside it under {}",
            upload.dir.display()
        ));
    }
    let files = format!(
        "/api/releases/{}/files?name=",
        encode(&upload.release, false)
    );
    for (name, path) in &pairs {
        let body =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let (status, answer) = put(
            &upload.url,
            &format!("{files}{}", encode(name, true)),
            &upload.token,
            &body,
        )?;
        if !(200..300).contains(&status) {
            let why = api_message(&answer).unwrap_or(answer);
            return Err(format!("{name}: the collector answered {status}: {why}"));
        }
        writeln!(
            out,
            "uploaded {name} ({} bytes) to release {}",
            body.len(),
            upload.release
        )
        .ok();
    }
    Ok(pairs.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn arguments_are_read_and_each_mistake_named() {
        let upload = Upload::parse(&args(&[
            "--url",
            "http://127.0.0.1:8787/",
            "--token",
            "t",
            "--release",
            "shop@1",
            "--url-prefix",
            "/app/",
            "dist",
        ]))
        .unwrap();
        assert_eq!(
            upload,
            Upload {
                url: "http://127.0.0.1:8787".into(),
                token: "t".into(),
                release: "shop@1".into(),
                url_prefix: "/app".into(),
                dir: "dist".into()
            }
        );
        for (list, message) in [
            (
                &["--token", "t", "--release", "r", "d"][..],
                "--url is required",
            ),
            (
                &["--url", "https://x", "--token", "t", "--release", "r", "d"][..],
                "--url must be an http:// address of the collector, not https://x",
            ),
            (
                &["--url", "http://x", "--release", "r", "d"][..],
                "--token is required",
            ),
            (
                &["--url", "http://x", "--token", "t", "d"][..],
                "--release is required",
            ),
            (
                &["--url", "http://x", "--token", "t", "--release", "r"][..],
                "the build folder is required",
            ),
            (
                &[
                    "--url",
                    "http://x",
                    "--token",
                    "t",
                    "--release",
                    "r",
                    "--url-prefix",
                    "app",
                    "d",
                ][..],
                "--url-prefix must start with '/', not app",
            ),
            (&["--url"][..], "--url needs a value"),
            (&["--nope"][..], "unknown argument --nope"),
        ] {
            assert_eq!(Upload::parse(&args(list)).unwrap_err(), message);
        }
    }

    #[test]
    fn scripts_with_a_map_beside_them_are_paired_under_their_relative_paths() {
        let dir = std::env::temp_dir().join(format!("wt-upload-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("assets/nested")).unwrap();
        for file in [
            "index.html",
            "assets/app-1.js",
            "assets/app-1.js.map",
            "assets/vendor.js",
            "assets/nested/b.js",
            "assets/nested/b.js.map",
        ] {
            std::fs::write(dir.join(file), file).unwrap();
        }
        let names: Vec<String> = pairs(&dir, "/app")
            .unwrap()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(
            names,
            [
                "/app/assets/app-1.js",
                "/app/assets/app-1.js.map",
                "/app/assets/nested/b.js",
                "/app/assets/nested/b.js.map"
            ]
        );
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(encode("shop@1.4 +x/y", false), "shop%401.4%20%2Bx%2Fy");
        assert_eq!(encode("/assets/a b.js", true), "/assets/a%20b.js");
    }
}
