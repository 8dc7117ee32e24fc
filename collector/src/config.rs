//! Settings from command-line flags, each also readable from a `TELEMETRY_*` environment variable
//! (a flag wins over its variable).

use crate::log::Level;
use std::path::PathBuf;

/// How the collector runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Address to listen on.
    pub host: String,
    /// Port (0 picks a free one).
    pub port: u16,
    /// SQLite file.
    pub db: PathBuf,
    /// Keys accepted on ingest; empty means ingest is open (development).
    pub ingest_keys: Vec<String>,
    /// Bearer token of the read and erase APIs; `None` means they are open (development).
    pub admin_token: Option<String>,
    /// Origins allowed to send; `None` allows any.
    pub allowed_origins: Option<Vec<String>>,
    /// Events older than this many days are deleted (0 keeps everything).
    pub retention_days: u32,
    /// Ingest requests per second per key (0: unlimited).
    pub rate_limit: f64,
    /// Least severe log level written.
    pub log_level: Level,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 8787,
            db: PathBuf::from("telemetry.db"),
            ingest_keys: Vec::new(),
            admin_token: None,
            allowed_origins: None,
            retention_days: 90,
            rate_limit: 100.0,
            log_level: Level::Info,
        }
    }
}

/// Every flag, its value's meaning and default, for `--help`.
pub const USAGE: &str = "usage: wasm-telemetry-collector [flags]
  --host <address>          listen address (TELEMETRY_HOST, default 127.0.0.1)
  --port <port>             port, 0 picks one (TELEMETRY_PORT, default 8787)
  --db <file>               SQLite file (TELEMETRY_DB, default telemetry.db)
  --ingest-key <keys>       comma-separated ingest keys; unset: ingest is open (TELEMETRY_INGEST_KEY)
  --admin-token <token>     bearer token of the /api read and erase routes; unset: open (TELEMETRY_ADMIN_TOKEN)
  --allowed-origins <list>  comma-separated origins allowed to send, or * (TELEMETRY_ALLOWED_ORIGINS, default *)
  --retention-days <days>   delete events older than this, 0 keeps all (TELEMETRY_RETENTION_DAYS, default 90)
  --rate-limit <per second> ingest requests per second per key, 0 unlimited (TELEMETRY_RATE_LIMIT, default 100)
  --log-level <level>       debug, info, warn or error (TELEMETRY_LOG_LEVEL, default info)

wasm-telemetry-collector sourcemaps upload --url <collector> --token <admin token> --release <release> [--url-prefix /app] <dist-dir>
  uploads every .js with a .js.map beside it, and the map, to the release file store";

const FLAGS: [&str; 9] = [
    "host",
    "port",
    "db",
    "ingest-key",
    "admin-token",
    "allowed-origins",
    "retention-days",
    "rate-limit",
    "log-level",
];

fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

impl Settings {
    /// Reads flags from `args` (without the program name), falling back to `env` for each flag
    /// not given. `Err` holds the message to print (empty for `--help`).
    pub fn parse(
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, String> {
        let mut given: Vec<(&str, String)> = Vec::new();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "--help" || arg == "-h" {
                return Err(String::new());
            }
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) => (flag.to_string(), Some(value.to_string())),
                None => (arg.clone(), None),
            };
            let name = flag
                .strip_prefix("--")
                .and_then(|name| FLAGS.iter().find(|known| **known == name))
                .ok_or_else(|| format!("unknown argument {arg}"))?;
            let value = match inline {
                Some(value) => value,
                None => args.next().ok_or_else(|| format!("{flag} needs a value"))?,
            };
            given.push((name, value));
        }
        let mut settings = Settings::default();
        for name in FLAGS {
            let variable = format!("TELEMETRY_{}", name.to_uppercase().replace('-', "_"));
            let value = given
                .iter()
                .rev()
                .find(|(flag, _)| *flag == name)
                .map(|(_, value)| value.clone())
                .or_else(|| env(&variable));
            let Some(value) = value else { continue };
            let bad = |rule: &str| format!("--{name} ({variable}) {rule}");
            match name {
                "host" => settings.host = value,
                "port" => settings.port = value.parse().map_err(|_| bad("must be 0 to 65535"))?,
                "db" => settings.db = PathBuf::from(value),
                "ingest-key" => settings.ingest_keys = list(&value),
                "admin-token" => settings.admin_token = Some(value).filter(|t| !t.is_empty()),
                "allowed-origins" => {
                    let origins = list(&value);
                    settings.allowed_origins =
                        (!origins.iter().any(|o| o == "*")).then_some(origins);
                }
                "retention-days" => {
                    settings.retention_days = value
                        .parse()
                        .map_err(|_| bad("must be a whole number of days"))?
                }
                "rate-limit" => {
                    settings.rate_limit = value
                        .parse::<f64>()
                        .ok()
                        .filter(|r| r.is_finite() && *r >= 0.0)
                        .ok_or_else(|| bad("must be a number of requests per second ≥ 0"))?
                }
                _ => {
                    settings.log_level = Level::parse(&value)
                        .ok_or_else(|| bad("must be debug, info, warn or error"))?
                }
            }
        }
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str], env: &[(&str, &str)]) -> Result<Settings, String> {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::parse(args.iter().map(|a| a.to_string()), |name| {
            env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn flags_win_over_environment_variables_which_win_over_defaults() {
        let settings = parse(
            &[
                "--port",
                "9000",
                "--ingest-key=a, b",
                "--allowed-origins",
                "http://x.test",
            ],
            &[
                ("TELEMETRY_PORT", "1"),
                ("TELEMETRY_ADMIN_TOKEN", "t"),
                ("TELEMETRY_RATE_LIMIT", "2.5"),
            ],
        )
        .unwrap();
        assert_eq!(settings.port, 9000);
        assert_eq!(settings.ingest_keys, ["a", "b"]);
        assert_eq!(settings.admin_token.as_deref(), Some("t"));
        assert_eq!(
            settings.allowed_origins,
            Some(vec!["http://x.test".to_string()])
        );
        assert_eq!(settings.rate_limit, 2.5);
        assert_eq!(settings.retention_days, 90);
        assert_eq!(
            parse(&["--allowed-origins", "*"], &[])
                .unwrap()
                .allowed_origins,
            None
        );
    }

    #[test]
    fn bad_values_name_the_flag_and_its_variable() {
        assert_eq!(
            parse(&["--port", "x"], &[]).unwrap_err(),
            "--port (TELEMETRY_PORT) must be 0 to 65535"
        );
        assert!(parse(&[], &[("TELEMETRY_RATE_LIMIT", "-1")])
            .unwrap_err()
            .starts_with("--rate-limit"));
        assert_eq!(
            parse(&["--nope", "1"], &[]).unwrap_err(),
            "unknown argument --nope"
        );
        assert_eq!(parse(&["--db"], &[]).unwrap_err(), "--db needs a value");
        assert_eq!(parse(&["--help"], &[]).unwrap_err(), "");
    }
}
