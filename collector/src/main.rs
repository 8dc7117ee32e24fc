//! `wasm-telemetry-collector --port <port> --db <file> [--host <addr>]`

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use wasm_telemetry_collector::{router, Store};

const USAGE: &str = "usage: wasm-telemetry-collector [--port <port, default 8787; 0 picks one>] \
[--db <file, default telemetry.db>] [--host <address, default 127.0.0.1>]";

struct Options {
    port: u16,
    db: PathBuf,
    host: String,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        port: 8787,
        db: PathBuf::from("telemetry.db"),
        host: "127.0.0.1".into(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--port" => {
                options.port = value()?
                    .parse()
                    .map_err(|_| "--port must be 0 to 65535".to_string())?
            }
            "--db" => options.db = PathBuf::from(value()?),
            "--host" => options.host = value()?,
            "--help" | "-h" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(options)
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("{message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let store = match Store::open(&options.db) {
        Ok(store) => Arc::new(store),
        Err(error) => {
            eprintln!("cannot open database {}: {error}", options.db.display());
            return ExitCode::FAILURE;
        }
    };
    let address: SocketAddr = match format!("{}:{}", options.host, options.port).parse() {
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
    // Tests and the demo script read this line to learn the port.
    println!("wasm-telemetry-collector listening on http://{bound}");
    let served = axum::serve(listener, router(store))
        .with_graceful_shutdown(shutdown_signal())
        .await;
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("server error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish before the process exits.
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
}
