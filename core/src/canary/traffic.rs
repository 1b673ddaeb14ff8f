//! How a CodeDeploy deployment type shifts traffic, in numbers and in words.

use std::fmt;

/// The traffic-shifting schedule named by a `deploymentSettings.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrafficShift {
    /// Everything moves to the new version at once.
    AllAtOnce,
    /// `percent` moves first; the rest follows after `minutes`.
    Canary {
        /// Share of traffic on the new version during the bake.
        percent: u32,
        /// Bake time before the rest moves.
        minutes: u32,
    },
    /// `percent` more moves every `minutes` until all traffic has moved.
    Linear {
        /// Share added at each step.
        percent: u32,
        /// Minutes between steps.
        minutes: u32,
    },
}

/// The nine deployment configurations CodeDeploy predefines for Lambda
/// (`CodeDeployDefault.Lambda<type>`).
pub const PREDEFINED: [&str; 9] = [
    "Canary10Percent5Minutes",
    "Canary10Percent10Minutes",
    "Canary10Percent15Minutes",
    "Canary10Percent30Minutes",
    "Linear10PercentEvery1Minute",
    "Linear10PercentEvery2Minutes",
    "Linear10PercentEvery3Minutes",
    "Linear10PercentEvery10Minutes",
    "AllAtOnce",
];

/// Why a deployment type cannot be a CodeDeploy deployment configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShiftError {
    /// Not a name canaria can read, nor an object of the documented shape.
    Unreadable,
    /// Readable, but CodeDeploy would refuse the numbers: the message says why.
    OutOfRange(String),
}

/// The keys of the object form of `type`, as CodeDeploy names them.
pub const CANARY_KEYS: [&str; 2] = ["canaryPercentage", "canaryInterval"];
/// The keys of the object form of a linear `type`.
pub const LINEAR_KEYS: [&str; 2] = ["linearPercentage", "linearInterval"];

impl TrafficShift {
    /// Reads a `type` name: a [`PREDEFINED`] one, or a custom one written
    /// exactly in the same pattern (`Canary25Percent20Minutes`,
    /// `Linear5PercentEvery1Minute`: no leading zeros, `Minute` for one). The
    /// numbers are not judged here.
    pub fn parse(type_name: &str) -> Option<Self> {
        Self::read(type_name).filter(|shift| shift.name() == type_name)
    }

    fn read(type_name: &str) -> Option<Self> {
        if type_name == "AllAtOnce" {
            return Some(Self::AllAtOnce);
        }
        let number = |text: &str| {
            (!text.is_empty() && text.chars().all(|c| c.is_ascii_digit())).then(|| text.parse::<u32>().ok()).flatten()
        };
        let minutes =
            |text: &'_ str| text.strip_suffix("Minutes").or_else(|| text.strip_suffix("Minute")).and_then(number);
        if let Some(rest) = type_name.strip_prefix("Canary") {
            let (percent, rest) = rest.split_once("Percent")?;
            return Some(Self::Canary { percent: number(percent)?, minutes: minutes(rest)? });
        }
        let rest = type_name.strip_prefix("Linear")?;
        let (percent, rest) = rest.split_once("PercentEvery")?;
        Some(Self::Linear { percent: number(percent)?, minutes: minutes(rest)? })
    }

    /// Reads the object form, `{canaryPercentage, canaryInterval}` or
    /// `{linearPercentage, linearInterval}`, with whole numbers.
    pub fn from_object(object: &serde_json::Map<String, serde_json::Value>) -> Result<Self, ShiftError> {
        let whole = |key: &str| -> Result<u32, ShiftError> {
            let value = object.get(key).ok_or_else(|| ShiftError::OutOfRange(format!("`{key}` is missing")))?;
            value
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .or_else(|| {
                    value
                        .as_f64()
                        .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= f64::from(u32::MAX))
                        .map(|f| f as u32)
                })
                .ok_or_else(|| ShiftError::OutOfRange(format!("`{key}` must be a whole number, found {value}")))
        };
        let canary = CANARY_KEYS.iter().any(|k| object.contains_key(*k));
        let linear = LINEAR_KEYS.iter().any(|k| object.contains_key(*k));
        let shift = match (canary, linear) {
            (true, false) => Self::Canary { percent: whole(CANARY_KEYS[0])?, minutes: whole(CANARY_KEYS[1])? },
            (false, true) => Self::Linear { percent: whole(LINEAR_KEYS[0])?, minutes: whole(LINEAR_KEYS[1])? },
            _ => return Err(ShiftError::Unreadable),
        };
        shift.check()?;
        Ok(shift)
    }

    /// The limits CodeDeploy puts on a time-based configuration: a whole
    /// percentage from 1 to 99 (100 would be `AllAtOnce`) and an interval of
    /// at least one minute.
    pub fn check(self) -> Result<(), ShiftError> {
        let (percent, minutes, what) = match self {
            Self::AllAtOnce => return Ok(()),
            Self::Canary { percent, minutes } => (percent, minutes, "canary"),
            Self::Linear { percent, minutes } => (percent, minutes, "linear"),
        };
        if !(1..=99).contains(&percent) {
            return Err(ShiftError::OutOfRange(format!("the {what} percentage must be from 1 to 99, found {percent}")));
        }
        if minutes == 0 {
            return Err(ShiftError::OutOfRange(format!("the {what} interval must be at least 1 minute, found 0")));
        }
        Ok(())
    }

    /// The name in the predefined pattern: `Canary25Percent20Minutes`,
    /// `Linear10PercentEvery1Minute`, `AllAtOnce`.
    pub fn name(self) -> String {
        let unit = |m: u32| if m == 1 { "Minute" } else { "Minutes" };
        match self {
            Self::AllAtOnce => "AllAtOnce".to_owned(),
            Self::Canary { percent, minutes } => format!("Canary{percent}Percent{minutes}{}", unit(minutes)),
            Self::Linear { percent, minutes } => format!("Linear{percent}PercentEvery{minutes}{}", unit(minutes)),
        }
    }

    /// Whether CodeDeploy predefines this configuration for Lambda.
    pub fn is_predefined(self) -> bool {
        PREDEFINED.contains(&self.name().as_str())
    }

    /// `TrafficRoutingConfig` of an `AWS::CodeDeploy::DeploymentConfig`.
    pub fn traffic_routing_config(self) -> serde_json::Value {
        use serde_json::json;
        match self {
            Self::AllAtOnce => json!({"Type": "AllAtOnce"}),
            Self::Canary { percent, minutes } => json!({
                "Type": "TimeBasedCanary",
                "TimeBasedCanary": {"CanaryPercentage": percent, "CanaryInterval": minutes}
            }),
            Self::Linear { percent, minutes } => json!({
                "Type": "TimeBasedLinear",
                "TimeBasedLinear": {"LinearPercentage": percent, "LinearInterval": minutes}
            }),
        }
    }

    /// Reads one of the [`PREDEFINED`] type names; `None` for anything else.
    pub fn predefined(type_name: &str) -> Option<Self> {
        if !PREDEFINED.contains(&type_name) {
            return None;
        }
        if type_name == "AllAtOnce" {
            return Some(Self::AllAtOnce);
        }
        let number = |text: &str| text.parse::<u32>().ok();
        if let Some(rest) = type_name.strip_prefix("Canary") {
            let (percent, minutes) = rest.strip_suffix("Minutes")?.split_once("Percent")?;
            return Some(Self::Canary { percent: number(percent)?, minutes: number(minutes)? });
        }
        let rest = type_name.strip_prefix("Linear")?;
        let (percent, minutes) = rest.split_once("PercentEvery")?;
        let minutes = minutes.strip_suffix("Minutes").or_else(|| minutes.strip_suffix("Minute"))?;
        Some(Self::Linear { percent: number(percent)?, minutes: number(minutes)? })
    }

    /// Minutes from the start of the deployment until all traffic has moved.
    pub fn total_minutes(self) -> u32 {
        match self {
            Self::AllAtOnce => 0,
            Self::Canary { minutes, .. } => minutes,
            // Each step shifts at its start, the first at minute 0.
            Self::Linear { percent, minutes } => (100u32.div_ceil(percent.max(1)) - 1) * minutes,
        }
    }

    /// The schedule as `(minute, percent on the new version)` points, one per
    /// shift: the first at minute 0, the last at 100%. CodeDeploy checks the
    /// deployment's alarms before each shift after the first.
    pub fn steps(self) -> Vec<(u32, u32)> {
        match self {
            Self::AllAtOnce => vec![(0, 100)],
            Self::Canary { percent, minutes } => vec![(0, percent.min(100)), (minutes, 100)],
            Self::Linear { percent, minutes } => {
                let count = 100u32.div_ceil(percent.max(1));
                (1..=count).map(|n| ((n - 1) * minutes, (n * percent).min(100))).collect()
            }
        }
    }
}

fn minutes(n: u32) -> String {
    if n == 1 { "1 minute".to_owned() } else { format!("{n} minutes") }
}

impl fmt::Display for TrafficShift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::AllAtOnce => f.write_str("all traffic at once"),
            Self::Canary { percent, minutes: m } => {
                write!(f, "{percent}% of traffic for {}, then the rest", minutes(m))
            }
            Self::Linear { percent, minutes: m } => {
                write!(
                    f,
                    "{percent}% more traffic every {}, all of it after {}",
                    minutes(m),
                    minutes(self.total_minutes())
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_predefined_type_reads() {
        for name in PREDEFINED {
            assert!(TrafficShift::predefined(name).is_some(), "{name}");
        }
        assert_eq!(
            TrafficShift::predefined("Canary10Percent5Minutes"),
            Some(TrafficShift::Canary { percent: 10, minutes: 5 })
        );
        assert_eq!(
            TrafficShift::predefined("Linear10PercentEvery1Minute"),
            Some(TrafficShift::Linear { percent: 10, minutes: 1 })
        );
        assert_eq!(TrafficShift::predefined("Canary25Percent20Minutes"), None, "not predefined");
        assert_eq!(TrafficShift::predefined("canary10percent5minutes"), None);
    }

    #[test]
    fn described_in_words() {
        let describe = |name| TrafficShift::predefined(name).map(|t| t.to_string());
        assert_eq!(describe("Canary10Percent5Minutes").as_deref(), Some("10% of traffic for 5 minutes, then the rest"));
        assert_eq!(
            describe("Linear10PercentEvery3Minutes").as_deref(),
            Some("10% more traffic every 3 minutes, all of it after 27 minutes")
        );
        assert_eq!(
            describe("Linear10PercentEvery1Minute").as_deref(),
            Some("10% more traffic every 1 minute, all of it after 9 minutes")
        );
        assert_eq!(describe("AllAtOnce").as_deref(), Some("all traffic at once"));
    }

    #[test]
    fn steps_end_at_full_traffic_at_the_total_time() {
        let steps = |name| TrafficShift::predefined(name).map(TrafficShift::steps);
        assert_eq!(steps("AllAtOnce"), Some(vec![(0, 100)]));
        assert_eq!(steps("Canary10Percent15Minutes"), Some(vec![(0, 10), (15, 100)]));
        assert_eq!(
            steps("Linear10PercentEvery2Minutes"),
            Some((0..10).map(|n| (n * 2, (n + 1) * 10)).collect::<Vec<_>>())
        );
        for shift in PREDEFINED.iter().filter_map(|name| TrafficShift::predefined(name)) {
            assert_eq!(shift.steps().last(), Some(&(shift.total_minutes(), 100)), "{shift:?}");
        }
        assert_eq!(PREDEFINED.iter().filter_map(|name| TrafficShift::predefined(name)).count(), PREDEFINED.len());
    }

    #[test]
    fn custom_names_read_and_name_back() {
        let canary = TrafficShift::parse("Canary25Percent20Minutes");
        assert_eq!(canary, Some(TrafficShift::Canary { percent: 25, minutes: 20 }));
        assert_eq!(canary.map(TrafficShift::name).as_deref(), Some("Canary25Percent20Minutes"));
        let linear = TrafficShift::parse("Linear5PercentEvery1Minute");
        assert_eq!(linear, Some(TrafficShift::Linear { percent: 5, minutes: 1 }));
        for name in PREDEFINED {
            assert!(TrafficShift::parse(name).is_some_and(TrafficShift::is_predefined), "{name}");
        }
        for bad in [
            "Canary10Percent5Minute",
            "Linear5PercentEvery1Minutes",
            "Canary05Percent5Minutes",
            "Canary",
            "Canary-5Percent5Minutes",
            "Canary5Percent5",
            "Linear5Percent5Minutes",
            "canary5percent5minutes",
        ] {
            assert_eq!(TrafficShift::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn codedeploy_limits() {
        let check = |name| TrafficShift::parse(name).map(TrafficShift::check);
        assert_eq!(check("Canary99Percent1Minute"), Some(Ok(())));
        assert!(matches!(check("Canary0Percent5Minutes"), Some(Err(ShiftError::OutOfRange(_)))));
        assert!(matches!(check("Linear100PercentEvery5Minutes"), Some(Err(ShiftError::OutOfRange(_)))));
        assert!(matches!(check("Linear10PercentEvery0Minutes"), Some(Err(ShiftError::OutOfRange(_)))));
        let object = |v: serde_json::Value| TrafficShift::from_object(v.as_object().unwrap_or(&serde_json::Map::new()));
        assert_eq!(
            object(serde_json::json!({"linearPercentage": 5, "linearInterval": 3})),
            Ok(TrafficShift::Linear { percent: 5, minutes: 3 })
        );
        assert!(matches!(
            object(serde_json::json!({"canaryPercentage": 2.5, "canaryInterval": 3})),
            Err(ShiftError::OutOfRange(_))
        ));
        assert!(matches!(object(serde_json::json!({"canaryPercentage": 5})), Err(ShiftError::OutOfRange(_))));
        assert_eq!(
            object(serde_json::json!({"canaryPercentage": 5, "linearInterval": 3})),
            Err(ShiftError::Unreadable)
        );
    }
}
