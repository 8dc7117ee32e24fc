//! The collector binary as operators run it: settings from environment variables, structured
//! logs, and a graceful shutdown that finishes the write in flight.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

fn temp_db(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "wt-collector-process-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("events.db")
}

fn batch(n: usize) -> String {
    let events: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"id":"e{i}","type":"load.test","timestamp":1700000000000,"sessionId":"s","data":{{"i":{i},"pad":"{}"}},"context":{{}}}}"#,
                "x".repeat(200)
            )
        })
        .collect();
    format!(r#"{{"batchId":"b","events":[{}]}}"#, events.join(","))
}

#[test]
fn sigterm_during_a_write_finishes_it_and_the_events_are_in_the_file() {
    let db = temp_db("shutdown");
    let mut child = Command::new(env!("CARGO_BIN_EXE_wasm-telemetry-collector"))
        .args(["--port", "0", "--db"])
        .arg(&db)
        .env("TELEMETRY_INGEST_KEY", "env-key")
        .env("TELEMETRY_LOG_LEVEL", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let address = line.trim().rsplit("http://").next().unwrap().to_string();

    // The key comes from the environment: a request without it is refused.
    let body = batch(1000);
    let head = |key: &str| {
        format!(
            "POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
    };
    let mut refused = TcpStream::connect(&address).unwrap();
    write!(refused, "{}{body}", head("wrong")).unwrap();
    let mut answer = String::new();
    refused.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");

    // SIGTERM arrives while a 1,000-event batch is half uploaded.
    let mut in_flight = TcpStream::connect(&address).unwrap();
    let (first, second) = body.split_at(body.len() / 2);
    write!(in_flight, "{}{first}", head("env-key")).unwrap();
    in_flight.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    std::thread::sleep(std::time::Duration::from_millis(100));
    in_flight.write_all(second.as_bytes()).unwrap();
    let mut answer = String::new();
    in_flight.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""accepted":1000"#), "{answer}");
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");

    let mut logs = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();
    let events: Vec<serde_json::Value> = logs
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let names: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"collector.started") && names.contains(&"collector.stopping"),
        "{names:?}"
    );
    assert_eq!(names.last(), Some(&"collector.stopped"));
    assert!(events
        .iter()
        .all(|e| e["ts"].is_u64() && e["level"].is_string()));

    let connection = rusqlite::Connection::open(&db).unwrap();
    let stored: i64 = connection
        .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, 1000);
}

#[test]
fn bad_settings_exit_with_a_message_naming_the_flag() {
    let output = Command::new(env!("CARGO_BIN_EXE_wasm-telemetry-collector"))
        .env("TELEMETRY_RETENTION_DAYS", "soon")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.starts_with(
            "--retention-days (TELEMETRY_RETENTION_DAYS) must be a whole number of days"
        ),
        "{message}"
    );
}

#[test]
fn the_retention_job_runs_at_start_and_deletes_what_is_older_than_the_retention() {
    let db = temp_db("retention");
    {
        let store = wasm_telemetry_collector::Store::open(&db).unwrap();
        let old = wasm_telemetry_collector::ingest::parse_batch(
            br#"{"events":[{"id":"old","type":"t","timestamp":1000,"sessionId":"s"},{"id":"new","type":"t","timestamp":4102444800000,"sessionId":"s"}]}"#,
        )
        .unwrap();
        // Received 3 days ago; the second event's own time is in 2100.
        let three_days_ago = wasm_telemetry_collector::routes::now_ms() - 3 * 86_400_000;
        store.insert(&old, three_days_ago).unwrap();
        let fresh = wasm_telemetry_collector::ingest::parse_batch(
            br#"{"events":[{"id":"fresh","type":"t","timestamp":4102444800000,"sessionId":"s"}]}"#,
        )
        .unwrap();
        store
            .insert(&fresh, wasm_telemetry_collector::routes::now_ms())
            .unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_wasm-telemetry-collector"))
        .args(["--port", "0", "--retention-days", "2", "--db"])
        .arg(&db)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut ran = None;
    let mut line = String::new();
    while stderr.read_line(&mut line).unwrap() > 0 {
        let event: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
        if event["event"] == "retention.ran" {
            ran = Some(event["deleted"].as_u64().unwrap());
            break;
        }
        line.clear();
    }
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    child.wait().unwrap();
    assert_eq!(
        ran,
        Some(2),
        "both events received three days ago go; the fresh one stays"
    );
    let connection = rusqlite::Connection::open(&db).unwrap();
    let ids: Vec<String> = connection
        .prepare("SELECT id FROM events")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(ids, ["fresh"]);
}

/// A collector binary on a free port with admin token `admin`; its address.
fn serve(name: &str) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wasm-telemetry-collector"))
        .args(["--port", "0", "--admin-token", "admin", "--db"])
        .arg(temp_db(name))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line.trim().rsplit("http://").next().unwrap().to_string();
    (child, address)
}

fn upload(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_wasm-telemetry-collector"))
        .args(["sourcemaps", "upload"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn sourcemaps_upload_sends_each_script_and_map_of_a_build_and_fails_clearly() {
    let (mut child, address) = serve("upload");
    let url = format!("http://{address}");
    let dist = temp_db("upload-dist").with_file_name("dist");
    std::fs::create_dir_all(dist.join("assets")).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<script src=/app/assets/index-3f.js></script>",
    )
    .unwrap();
    std::fs::write(dist.join("assets/index-3f.js"), "function a(){throw 1}\n").unwrap();
    let map = r#"{"version":3,"sources":["../src/a.ts"],"names":[],"mappings":"AAAA"}"#;
    std::fs::write(dist.join("assets/index-3f.js.map"), map).unwrap();
    std::fs::write(dist.join("assets/vendor.js"), "var v;\n").unwrap();
    let dir = dist.to_str().unwrap();

    let done = upload(&[
        "--url",
        &url,
        "--token",
        "admin",
        "--release",
        "shop@1.4.2",
        "--url-prefix",
        "/app",
        dir,
    ]);
    let printed = String::from_utf8_lossy(&done.stdout);
    assert!(
        done.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert_eq!(
        printed.lines().collect::<Vec<_>>(),
        [
            "uploaded /app/assets/index-3f.js (22 bytes) to release shop@1.4.2",
            &format!(
                "uploaded /app/assets/index-3f.js.map ({} bytes) to release shop@1.4.2",
                map.len()
            ),
            "2 files uploaded",
        ]
    );
    let mut list = TcpStream::connect(&address).unwrap();
    write!(list, "GET /api/releases/shop%401.4.2/files HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer admin\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    list.read_to_string(&mut answer).unwrap();
    assert!(
        answer.contains(r#""name":"/app/assets/index-3f.js.map""#)
            && answer.contains(r#""count":2"#),
        "{answer}"
    );

    let refused = upload(&[
        "--url",
        &url,
        "--token",
        "wrong",
        "--release",
        "shop@1.4.2",
        dir,
    ]);
    assert_eq!(refused.status.code(), Some(1));
    let error = String::from_utf8_lossy(&refused.stderr);
    assert!(
        error.contains("the collector answered 401: send Authorization: Bearer <admin token>"),
        "{error}"
    );

    std::fs::write(dist.join("assets/index-3f.js.map"), "not a map").unwrap();
    let bad = String::from_utf8_lossy(
        &upload(&["--url", &url, "--token", "admin", "--release", "r", dir]).stderr,
    )
    .to_string();
    assert!(bad.contains("/assets/index-3f.js.map: the collector answered 400: /assets/index-3f.js.map is not a source map (v3)"), "{bad}");

    let _ = child.kill();
    let _ = child.wait();
    let unreachable = upload(&["--url", &url, "--token", "admin", "--release", "r", dir]);
    assert_eq!(unreachable.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unreachable.stderr).contains("cannot reach"));
    let usage = upload(&["--token", "admin", dir]);
    assert_eq!(usage.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&usage.stderr)
        .contains("--url is required\nusage: wasm-telemetry-collector sourcemaps upload"));
}
