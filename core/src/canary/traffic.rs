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

impl TrafficShift {
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
}
