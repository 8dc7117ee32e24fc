//! The operations a core runs ([`crate::api::cores::Core::call`]), named once here. The page
//! passes an operation as its number, the variant's index; js/ops.js, which the JS classes
//! import, is generated from this list (see the test below), so that neither side spells the
//! other's names.

named_enum! {
    /// An operation of one of the cores, in the order of the JS classes that run them
    /// (`wiring` is shared by three). What each one reads and answers is documented where its
    /// core runs it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[repr(u8)]
    pub enum Op {
        /// `track` of TelemetryCollector.
        Track = "track",
        /// `trackMetric` of TelemetryCollector.
        TrackMetric = "trackMetric",
        /// `submit` of TelemetryCollector.
        Submit = "submit",
        /// `revise` of TelemetryCollector.
        Revise = "revise",
        /// `dropHeld` of TelemetryCollector.
        DropHeld = "dropHeld",
        /// `trackError` of TelemetryCollector.
        TrackError = "trackError",
        /// `buffered` of TelemetryCollector.
        Buffered = "buffered",
        /// `batchLength` of TelemetryCollector.
        BatchLength = "batchLength",
        /// `waitMs` of TelemetryCollector.
        WaitMs = "waitMs",
        /// `otlpSent` of TelemetryCollector.
        OtlpSent = "otlpSent",
        /// `mayRecover` of TelemetryCollector.
        MayRecover = "mayRecover",
        /// `body` of TelemetryCollector.
        Body = "body",
        /// `settle` of TelemetryCollector.
        Settle = "settle",
        /// `requestStart` of TelemetryCollector.
        RequestStart = "requestStart",
        /// `requestEnd` of TelemetryCollector.
        RequestEnd = "requestEnd",
        /// `spanStart` of TelemetryCollector.
        SpanStart = "spanStart",
        /// `spanEnter` of TelemetryCollector.
        SpanEnter = "spanEnter",
        /// `spanLeave` of TelemetryCollector.
        SpanLeave = "spanLeave",
        /// `spanEnd` of TelemetryCollector.
        SpanEnd = "spanEnd",
        /// `pageLoaded` of TelemetryCollector.
        PageLoaded = "pageLoaded",
        /// `config` of TelemetryCollector.
        Config = "config",
        /// `updateConfig` of TelemetryCollector.
        UpdateConfig = "updateConfig",
        /// `status` of TelemetryCollector.
        Status = "status",
        /// `sessionId` of TelemetryCollector.
        SessionId = "sessionId",
        /// `consent` of TelemetryCollector.
        Consent = "consent",
        /// `lastRefusal` of TelemetryCollector.
        LastRefusal = "lastRefusal",
        /// `identify` of TelemetryCollector.
        Identify = "identify",
        /// `userHash` of TelemetryCollector.
        UserHash = "userHash",
        /// `setConsent` of TelemetryCollector.
        SetConsent = "setConsent",
        /// `followConsent` of TelemetryCollector.
        FollowConsent = "followConsent",
        /// `preview` of TelemetryCollector.
        Preview = "preview",
        /// `nextBatch` of TelemetryCollector.
        NextBatch = "nextBatch",
        /// `takeJournal` of TelemetryCollector.
        TakeJournal = "takeJournal",
        /// `resetUser` of TelemetryCollector.
        ResetUser = "resetUser",
        /// `destroy` of TelemetryCollector.
        Destroy = "destroy",
        /// `setOnline` of TelemetryCollector.
        SetOnline = "setOnline",
        /// `journalWritten` of TelemetryCollector.
        JournalWritten = "journalWritten",
        /// `storagePurged` of TelemetryCollector.
        StoragePurged = "storagePurged",
        /// `adopt` of TelemetryCollector.
        Adopt = "adopt",
        /// `patterns` of TelemetryCollector.
        Patterns = "patterns",
        /// `wiring` of ErrorTracking and PerformanceMetrics and HealthCheck.
        Wiring = "wiring",
        /// `takeEvent` of ErrorTracking.
        TakeEvent = "takeEvent",
        /// `groups` of ErrorTracking.
        Groups = "groups",
        /// `stats` of ErrorTracking.
        Stats = "stats",
        /// `capture` of ErrorTracking.
        Capture = "capture",
        /// `breadcrumb` of ErrorTracking.
        Breadcrumb = "breadcrumb",
        /// `http` of ErrorTracking.
        Http = "http",
        /// `navigated` of ErrorTracking.
        Navigated = "navigated",
        /// `recovery` of ErrorTracking.
        Recovery = "recovery",
        /// `paint` of PerformanceMetrics.
        Paint = "paint",
        /// `lcp` of PerformanceMetrics.
        Lcp = "lcp",
        /// `shift` of PerformanceMetrics.
        Shift = "shift",
        /// `eventsDone` of PerformanceMetrics.
        EventsDone = "eventsDone",
        /// `shiftsDone` of PerformanceMetrics.
        ShiftsDone = "shiftsDone",
        /// `stopLcp` of PerformanceMetrics.
        StopLcp = "stopLcp",
        /// `ttfb` of PerformanceMetrics.
        Ttfb = "ttfb",
        /// `hidden` of PerformanceMetrics.
        Hidden = "hidden",
        /// `restore` of PerformanceMetrics.
        Restore = "restore",
        /// `restoredFrame` of PerformanceMetrics.
        RestoredFrame = "restoredFrame",
        /// `vitals` of PerformanceMetrics.
        Vitals = "vitals",
        /// `resources` of PerformanceMetrics.
        Resources = "resources",
        /// `aiSummary` of PerformanceMetrics.
        AiSummary = "aiSummary",
        /// `longTask` of PerformanceMetrics.
        LongTask = "longTask",
        /// `trackAI` of PerformanceMetrics.
        TrackAI = "trackAI",
        /// `event` of PerformanceMetrics.
        Event = "event",
        /// `report` of HealthCheck.
        Report = "report",
        /// `unregister` of HealthCheck.
        Unregister = "unregister",
        /// `register` of HealthCheck.
        Register = "register",
        /// `isHealthy` of HealthCheck.
        IsHealthy = "isHealthy",
        /// `record` of HealthCheck.
        Record = "record",
        /// `startConversation` of UsageAnalytics.
        StartConversation = "startConversation",
        /// `trackMessage` of UsageAnalytics.
        TrackMessage = "trackMessage",
        /// `endConversation` of UsageAnalytics.
        EndConversation = "endConversation",
        /// `trackProactiveSuggestion` of UsageAnalytics.
        TrackProactiveSuggestion = "trackProactiveSuggestion",
        /// `trackProactiveAcceptance` of UsageAnalytics.
        TrackProactiveAcceptance = "trackProactiveAcceptance",
        /// `trackProactiveDismissal` of UsageAnalytics.
        TrackProactiveDismissal = "trackProactiveDismissal",
        /// `featureStats` of UsageAnalytics.
        FeatureStats = "featureStats",
        /// `conversationStats` of UsageAnalytics.
        ConversationStats = "conversationStats",
        /// `proactiveMetrics` of UsageAnalytics.
        ProactiveMetrics = "proactiveMetrics",
        /// `trackFeature` of UsageAnalytics.
        TrackFeature = "trackFeature",
        /// `trackProviderRequest` of UsageAnalytics.
        TrackProviderRequest = "trackProviderRequest",
        /// `alertIntervalMs` of LlmTelemetry.
        AlertIntervalMs = "alertIntervalMs",
        /// `takeEvents` of LlmTelemetry.
        TakeEvents = "takeEvents",
        /// `takeSpend` of LlmTelemetry.
        TakeSpend = "takeSpend",
        /// `setPricing` of LlmTelemetry.
        SetPricing = "setPricing",
        /// `estimateCost` of LlmTelemetry.
        EstimateCost = "estimateCost",
        /// `trackCall` of LlmTelemetry.
        TrackCall = "trackCall",
        /// `summary` of LlmTelemetry.
        Summary = "summary",
        /// `budgetStatus` of LlmTelemetry.
        BudgetStatus = "budgetStatus",
        /// `forecast` of LlmTelemetry.
        Forecast = "forecast",
        /// `checkAlerts` of LlmTelemetry.
        CheckAlerts = "checkAlerts",
        /// `triggeredAlerts` of LlmTelemetry.
        TriggeredAlerts = "triggeredAlerts",
        /// `push` of an LLM stream accumulator.
        Push = "push",
        /// `usage` of an LLM stream accumulator.
        Usage = "usage",
        /// `isPartial` of an LLM stream accumulator.
        IsPartial = "isPartial",
    }
}

impl Op {
    /// The operation numbered `number` (its index in [`Op::ALL`]), if there is one.
    pub fn from_number(number: u32) -> Option<Op> {
        // SAFETY: `Op` is a `u8` whose values are 0 to `ALL.len() - 1`, checked here.
        (number < Self::ALL.len() as u32).then(|| unsafe { core::mem::transmute(number as u8) })
    }
}

/// js/ops.js: each operation's number, exported under its name.
#[cfg(test)]
fn js_module() -> alloc::string::String {
    let mut out = alloc::string::String::from(
        "// The numbers of the wasm cores' operations, generated from src/api/op.rs by its test\n\
         // (`WT_WRITE_OPS=1 cargo test -p wasm-telemetry --lib op::` rewrites it). Do not edit.\n",
    );
    for (number, name) in Op::LIST.iter().enumerate() {
        out += &alloc::format!("export const {name} = {number};\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_name_the_variants_in_order() {
        for (number, op) in Op::ALL.iter().enumerate() {
            assert_eq!(Op::from_number(number as u32), Some(*op));
            assert_eq!(
                Op::parse(op.name()),
                Some(*op),
                "each name is one operation's"
            );
        }
        assert_eq!(Op::from_number(Op::ALL.len() as u32), None);
        assert_eq!(Op::from_number(u32::MAX), None);
    }

    #[test]
    fn the_js_module_is_generated_from_the_list() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/js/ops.js");
        let expected = js_module();
        let actual = std::fs::read_to_string(path).unwrap_or_default();
        if actual != expected && std::env::var_os("WT_WRITE_OPS").is_some() {
            std::fs::write(path, &expected).unwrap();
        } else {
            assert!(
                actual == expected,
                "js/ops.js differs from src/api/op.rs; rewrite it with WT_WRITE_OPS=1"
            );
        }
    }
}
