//! Progress on stderr for long runs: only when stderr is a terminal (never in CI logs or
//! pipes), and only for work worth waiting for.

use std::io::{self, IsTerminal};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// Inputs at least this large get a progress display (a 16 MiB file takes about 0.2 s).
pub const BIG_INPUT: usize = 16 << 20;

/// The display for one large input; does nothing when there is none. Cleared when dropped,
/// so nothing of it is left above the results.
pub struct InputProgress(Option<ProgressBar>);

impl InputProgress {
    /// A bar over the bytes of the input, for work that knows how far it got (`parse`).
    pub fn bytes(name: &str, len: usize, verb: &str) -> Self {
        let Some(bar) = shown_for(len).then(|| ProgressBar::new(len as u64)) else {
            return InputProgress(None);
        };
        let template = format!("{{bar:25}} {{bytes}}/{{total_bytes}} {{eta}} {verb} {{wide_msg}}");
        bar.set_style(style(&template));
        bar.set_message(name.to_string());
        InputProgress(Some(bar))
    }

    /// A spinner with the time spent, for work that does not (`lint`, `migrate`, `generate`).
    pub fn spinner(name: &str, len: usize, verb: &str) -> Self {
        if !shown_for(len) {
            return InputProgress(None);
        }
        let bar = ProgressBar::new_spinner();
        bar.set_style(style(&format!(
            "{{spinner}} {{elapsed}} {verb} {{wide_msg}}"
        )));
        bar.set_message(format!("{name} ({} MiB)", len >> 20));
        bar.enable_steady_tick(Duration::from_millis(100));
        InputProgress(Some(bar))
    }

    /// Moves a byte bar to `offset`.
    pub fn at(&self, offset: usize) {
        if let Some(bar) = &self.0 {
            bar.set_position(offset as u64);
        }
    }
}

impl Drop for InputProgress {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

fn shown_for(len: usize) -> bool {
    len >= BIG_INPUT && io::stderr().is_terminal()
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}
