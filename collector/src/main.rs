//! `wasm-telemetry-collector [flags]`: see `--help`.

use serde_json::json;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use wasm_telemetry_collector::config::USAGE;
use wasm_telemetry_collector::log::{log, set_level, Level};
use wasm_telemetry_collector::routes::now_ms;
use wasm_telemetry_collector::upload;
use wasm_telemetry_collector::{router, App, Settings, Store};

/// How often the retention job runs.
const RETENTION_INTERVAL: Duration = Duration::from_secs(3600);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("sourcemaps") {
        return sourcemaps(&args[1..]);
    }
    serve()
}

/// `sourcemaps upload …` (see [`upload`]).
fn sourcemaps(args: &[String]) -> ExitCode {
    let parsed = match args.split_first() {
        Some((command, rest)) if command == "upload" => upload::Upload::parse(rest),
        _ => Err(String::from(
            "the sourcemaps command is `sourcemaps upload`",
        )),
    };
    let upload = match parsed {
        Ok(upload) => upload,
        Err(message) => {
            eprintln!("{message}\n{}", upload::USAGE);
            return ExitCode::from(2);
        }
    };
    match upload::run(&upload, &mut std::io::stdout()) {
        Ok(count) => {
            println!("{count} files uploaded");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("sourcemaps upload failed: {message}");
            ExitCode::FAILURE
        }
    }
}

#[tokio::main]
async fn serve() -> ExitCode {
    let settings = match Settings::parse(std::env::args().skip(1), |name| std::env::var(name).ok())
    {
        Ok(settings) => settings,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("{message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    set_level(settings.log_level);
    let store = match Store::open(&settings.db) {
        Ok(store) => Arc::new(store),
        Err(error) => {
            eprintln!("cannot open database {}: {error}", settings.db.display());
            return ExitCode::FAILURE;
        }
    };
    let address: SocketAddr = match format!("{}:{}", settings.host, settings.port).parse() {
        Ok(address) => address,
        Err(_) => {
            eprintln!("--host must be an IP address");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("cannot listen on {address}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let bound = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    if settings.ingest_keys.is_empty() {
        log(
            Level::Warn,
            "config.open_ingest",
            json!({ "hint": "set --ingest-key" }),
        );
    }
    if settings.admin_token.is_none() {
        log(
            Level::Warn,
            "config.open_admin",
            json!({ "hint": "set --admin-token" }),
        );
    }
    log(
        Level::Info,
        "collector.started",
        json!({ "address": bound, "db": settings.db.display().to_string(),
                "retentionDays": settings.retention_days, "rateLimit": settings.rate_limit }),
    );
    let retention = (settings.retention_days > 0).then(|| {
        let store = store.clone();
        let days = i64::from(settings.retention_days);
        tokio::spawn(async move {
            let mut every = tokio::time::interval(RETENTION_INTERVAL);
            loop {
                every.tick().await;
                let store = store.clone();
                let cutoff = now_ms() - days * 86_400_000;
                match tokio::task::spawn_blocking(move || store.delete_before(cutoff)).await {
                    Ok(Ok(deleted)) => {
                        log(Level::Info, "retention.ran", json!({ "deleted": deleted }))
                    }
                    Ok(Err(e)) => log(
                        Level::Error,
                        "retention.failed",
                        json!({ "message": e.to_string() }),
                    ),
                    Err(e) => log(
                        Level::Error,
                        "retention.failed",
                        json!({ "message": e.to_string() }),
                    ),
                }
            }
        })
    });
    // Tests and the demo script read this line to learn the port.
    println!("wasm-telemetry-collector listening on http://{bound}");
    let served = axum::serve(listener, router(App::new(store, settings)))
        .with_graceful_shutdown(shutdown_signal())
        .await;
    if let Some(job) = retention {
        job.abort();
    }
    match served {
        Ok(()) => {
            log(Level::Info, "collector.stopped", json!({}));
            ExitCode::SUCCESS
        }
        Err(error) => {
            log(
                Level::Error,
                "collector.failed",
                json!({ "message": error.to_string() }),
            );
            ExitCode::FAILURE
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests (and their writes) then finish before the
/// process exits.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {},
        _ = terminate => {},
    }
    log(Level::Info, "collector.stopping", json!({}));
}
