//! The release file store: minified scripts and their source maps (v3), uploaded per release
//! under the URL path the page loads them from, so that error frames can be resolved with them.
//! Every route needs the admin token. The collector only stores what is uploaded; it never
//! fetches a script or a map itself.
//!
//! - `PUT /api/releases/{release}/files?name=/assets/app.js` stores one file (up to 50 MB),
//!   replacing one of the same name. A name ending in `.map` must be a source map.
//! - `GET /api/releases/{release}/files` lists the files.
//! - `DELETE /api/releases/{release}/files?name=…` removes one.

use crate::ingest::response;
use crate::routes::{failure, now_ms, with_store, App};
use axum::body::{to_bytes, Body};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;
use wasm_telemetry_rules::release::{is_release_name, MAX_RELEASE_CHARS};

/// Largest file the store takes.
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;

/// Longest file name (a URL path).
pub const MAX_NAME_BYTES: usize = 2048;

/// What a stored file is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A script (any name not ending in `.map`).
    Script,
    /// A source map (a name ending in `.map`).
    SourceMap,
}

impl FileKind {
    /// The kind as the API writes it.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Script => "script",
            FileKind::SourceMap => "sourcemap",
        }
    }
}

/// A stored file, as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// The URL path it is stored under.
    pub name: String,
    /// Bytes.
    pub size: u64,
    /// Script or source map.
    pub kind: FileKind,
    /// When it was uploaded, ms since the epoch.
    pub uploaded_at: i64,
}

/// Why a file was refused: the field and a message that says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// `release`, `name` or `body`.
    pub field: &'static str,
    /// What is wrong, for the uploader.
    pub message: String,
}

fn refused(field: &'static str, message: impl Into<String>) -> Refused {
    Refused {
        field,
        message: message.into(),
    }
}

/// Checks a release name.
pub fn check_release(release: &str) -> Result<(), Refused> {
    if is_release_name(release) {
        Ok(())
    } else {
        Err(refused(
            "release",
            format!("a release is 1 to {MAX_RELEASE_CHARS} characters without control characters"),
        ))
    }
}

/// Checks a file name: the URL path a page loads the file from (`/assets/app.js`).
pub fn check_name(name: Option<&str>) -> Result<&str, Refused> {
    let name =
        name.ok_or_else(|| refused("name", "give the file's URL path as ?name=/assets/app.js"))?;
    let path = name.starts_with('/') && !name.starts_with("//");
    let plain = !name.chars().any(|c| c.is_control() || c.is_whitespace());
    if path && plain && name.len() <= MAX_NAME_BYTES {
        Ok(name)
    } else {
        Err(refused(
            "name",
            format!("a file name is a URL path: starting with '/', without spaces, at most {MAX_NAME_BYTES} bytes"),
        ))
    }
}

/// The kind of file `body` is under `name`, or why it is refused: a `.map` must be a source
/// map of version 3 that decodes.
pub fn check_file(name: &str, body: &[u8]) -> Result<FileKind, Refused> {
    if !name.ends_with(".map") {
        return Ok(FileKind::Script);
    }
    let not_a_map =
        |why: String| refused("body", format!("{name} is not a source map (v3): {why}"));
    let json: Value =
        serde_json::from_slice(body).map_err(|e| not_a_map(format!("not JSON ({e})")))?;
    if json.get("version").and_then(Value::as_u64) != Some(3) {
        return Err(not_a_map(String::from("its \"version\" is not 3")));
    }
    sourcemap::decode_slice(body).map_err(|e| not_a_map(e.to_string()))?;
    Ok(FileKind::SourceMap)
}

type Params = Query<HashMap<String, String>>;

fn answer(refused: Refused) -> Response {
    failure(
        StatusCode::BAD_REQUEST,
        "VALIDATION_ERROR",
        &refused.message,
        refused.field,
    )
}

/// The file a request names: its release checked, then its `?name=`.
fn file_of(release: &str, params: &HashMap<String, String>) -> Result<String, Refused> {
    check_release(release)?;
    check_name(params.get("name").map(String::as_str)).map(String::from)
}

/// `PUT /api/releases/{release}/files?name=<URL path>`: stores one file of the release.
pub async fn put(
    State(app): State<Arc<App>>,
    Path(release): Path<String>,
    Query(params): Params,
    body: Body,
) -> Response {
    let name = match file_of(&release, &params) {
        Ok(name) => name,
        Err(refused) => return answer(refused),
    };
    let Ok(body) = to_bytes(body, MAX_FILE_BYTES).await else {
        let message = format!("a release file is at most {} MB", MAX_FILE_BYTES >> 20);
        return failure(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            &message,
            "body",
        );
    };
    let kind = match check_file(&name, &body) {
        Ok(kind) => kind,
        Err(refused) => return answer(refused),
    };
    let size = body.len();
    let (stored_release, stored_name) = (release.clone(), name.clone());
    let put = move |store: &crate::Store| {
        store.put_release_file(&stored_release, &stored_name, kind, &body, now_ms())
    };
    let stored = with_store(&app, put).await;
    app.symbolicator.forget(&release, &name);
    match stored {
        Ok(replaced) => {
            let status = if replaced {
                StatusCode::OK
            } else {
                StatusCode::CREATED
            };
            let data = json!({ "release": release, "name": name, "size": size, "kind": kind.name(), "replaced": replaced });
            (status, Json(response(true, data, &[]))).into_response()
        }
        Err(response) => response,
    }
}

/// `GET /api/releases/{release}/files`: the release's files, by name.
pub async fn list(State(app): State<Arc<App>>, Path(release): Path<String>) -> Response {
    if let Err(refused) = check_release(&release) {
        return answer(refused);
    }
    let listed = release.clone();
    match with_store(&app, move |store| store.release_files(&listed)).await {
        Ok(files) => {
            let files: Vec<Value> = files
                .iter()
                .map(|file| {
                    json!({ "name": file.name, "size": file.size, "kind": file.kind.name(), "uploadedAt": file.uploaded_at })
                })
                .collect();
            let data = json!({ "release": release, "count": files.len(), "files": files });
            Json(response(true, data, &[])).into_response()
        }
        Err(response) => response,
    }
}

/// `DELETE /api/releases/{release}/files?name=<URL path>`: removes one file; 404 when there is
/// none of that name.
pub async fn delete(
    State(app): State<Arc<App>>,
    Path(release): Path<String>,
    Query(params): Params,
) -> Response {
    let name = match file_of(&release, &params) {
        Ok(name) => name,
        Err(refused) => return answer(refused),
    };
    let (deleted_release, deleted_name) = (release.clone(), name.clone());
    let delete =
        move |store: &crate::Store| store.delete_release_file(&deleted_release, &deleted_name);
    let deleted = with_store(&app, delete).await;
    app.symbolicator.forget(&release, &name);
    match deleted {
        Ok(true) => {
            let data = json!({ "release": release, "name": name, "deleted": true });
            Json(response(true, data, &[])).into_response()
        }
        Ok(false) => failure(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "the release has no file of that name",
            "name",
        ),
        Err(response) => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAP: &str =
        r#"{"version":3,"sources":["src/app.ts"],"names":["boom"],"mappings":"AAAA,SAASA"}"#;

    #[test]
    fn a_map_must_be_a_version_3_source_map_and_the_refusal_says_why() {
        assert_eq!(
            check_file("/assets/app.js.map", MAP.as_bytes()),
            Ok(FileKind::SourceMap)
        );
        assert_eq!(
            check_file("/assets/app.js", b"not even js"),
            Ok(FileKind::Script)
        );
        for (body, why) in [
            ("<html>", "not JSON"),
            (r#"{"version":2,"mappings":""}"#, "\"version\" is not 3"),
            (
                r#"{"version":3,"sources":[],"mappings":"!!!"}"#,
                "source map (v3): ",
            ),
        ] {
            let refusal = check_file("/assets/app.js.map", body.as_bytes()).unwrap_err();
            assert_eq!(refusal.field, "body");
            assert!(
                refusal
                    .message
                    .starts_with("/assets/app.js.map is not a source map (v3): "),
                "{}",
                refusal.message
            );
            assert!(refusal.message.contains(why), "{}", refusal.message);
        }
    }

    #[test]
    fn names_are_url_paths_and_releases_follow_the_sdk_rule() {
        assert_eq!(
            check_name(Some("/assets/index-3f2a9c.js")),
            Ok("/assets/index-3f2a9c.js")
        );
        for bad in [
            None,
            Some(""),
            Some("assets/a.js"),
            Some("//cdn/a.js"),
            Some("/a b.js"),
            Some("/a\n.js"),
        ] {
            assert_eq!(check_name(bad).unwrap_err().field, "name", "{bad:?}");
        }
        assert!(check_name(Some(&format!("/{}", "a".repeat(MAX_NAME_BYTES)))).is_err());
        assert!(check_release("shop@1.4.2").is_ok());
        assert!(check_release("").is_err() && check_release("a\tb").is_err());
    }
}
