//! Declarations kept, emptied, to lower the next ones in. A streamed parse makes a backend's
//! box and a handful of strings for every declaration and drops them as soon as the backend
//! is handed on; filling the last one's instead saves most of a backend's allocations and
//! frees, and the memory written is memory just used, still in cache.
//!
//! Each thread that lowers declarations has its own spares, refilled with what it made once
//! the admitting thread is done with it (when a large text is read in pieces on every core).

use std::borrow::Cow;

use crate::ast::BackendDecl;
use crate::lower::api_name;
use crate::lower::backend::{BACKEND_PROPERTIES, Destination, PropertyBits};
use crate::lower::declaration::{Declared, DeclaredBackend};
use crate::lower::keys::{Keys, Prehashed};
use crate::model::Backend;
use crate::span::Span;

/// A few pieces' worth of backends (a piece of a large text holds a few hundred): what a
/// worker's pieces in flight hold comes back to spares; more would only hold memory.
const MAX_BACKENDS: usize = 1024;

/// A few strings for each spare backend.
const MAX_STRINGS: usize = 8 * MAX_BACKENDS;

/// A string with more room than this is freed rather than kept: one long value must not
/// keep its memory for the rest of the run.
const MAX_KEPT_CAPACITY: usize = 256;

/// Emptied declarations and strings, to be filled again.
pub struct Spares<'a> {
    /// The boxes themselves are what is reused: declarations are handed on boxed.
    #[allow(clippy::vec_box)]
    backends: Vec<Box<DeclaredBackend<'a>>>,
    strings: Vec<String>,
    /// The list of a piece's declarations, emptied (see [`Spares::list`]).
    list: Vec<Declared<'a>>,
    /// Room for the lines of a probe's `.request`.
    request_lines: Vec<Cow<'a, str>>,
    /// How many backends may be kept: [`MAX_BACKENDS`], or 0 to keep none (for tests that
    /// compare against lowering without spares).
    limit: usize,
}

impl Default for Spares<'_> {
    fn default() -> Self {
        Spares::keeping(MAX_BACKENDS)
    }
}

impl<'a> Spares<'a> {
    /// Spares that keep at most `limit` backends.
    pub fn keeping(limit: usize) -> Self {
        Spares {
            backends: Vec::new(),
            strings: Vec::new(),
            list: Vec::new(),
            request_lines: Vec::new(),
            limit,
        }
    }

    /// The declaration to lower `decl` into: a kept one or a new one, with the declaration's
    /// name and spans set and everything else empty.
    pub fn backend(&mut self, decl: &BackendDecl<'a>, keys: &Keys) -> Box<DeclaredBackend<'a>> {
        let ident = decl.name.text;
        let mut d = self.backends.pop().unwrap_or_else(|| Box::new(empty()));
        debug_assert!(is_empty(&d), "a spare backend was not emptied");
        d.ident = keys.name(ident);
        d.name_span = decl.name.span;
        d.model.name = Some(self.text(api_name(ident)));
        d.source.ident = self.text(ident);
        d.source.span = decl.span;
        d.source.name_span = decl.name.span;
        d
    }

    /// Takes back a declaration the admitting thread is done with (what it kept, it took).
    pub fn keep(&mut self, mut d: Box<DeclaredBackend<'a>>) {
        if self.backends.len() >= self.limit {
            return;
        }
        self.empty_model(&mut d.model, d.stored);
        d.stored = 0;
        let source = &mut d.source;
        self.keep_string(std::mem::take(&mut source.ident));
        if let Some(reason) = source.unrepresentable_probe.take() {
            self.keep_string(reason);
        }
        if let Some(dropped) = source.dummy_probe.take() {
            self.keep_string(dropped);
        }
        source.host_header_only_without_host = None;
        source.probe_span = None;
        clear_small(&mut source.vcl_only);
        if let Some((name, _)) = d.probe_use.take() {
            self.keep_string(name);
        }
        d.probe = None;
        d.probe_key = None;
        d.failed = false;
        d.unprefixed = false;
        clear_small(&mut d.diagnostics);
        self.backends.push(d);
    }

    /// An empty list for a piece's declarations: the last one given back, which had room
    /// for a piece (a new one would grow by doubling, copying as it goes).
    pub fn list(&mut self) -> Vec<Declared<'a>> {
        std::mem::take(&mut self.list)
    }

    /// Takes back the list of a piece whose declarations were all admitted.
    pub fn keep_list(&mut self, mut list: Vec<Declared<'a>>) {
        list.clear();
        if list.capacity() > self.list.capacity() {
            self.list = list;
        }
    }

    /// Room for the lines of a probe's `.request`, kept from the last probe: lowering a
    /// probe splits its request into lines, and each probe would otherwise allocate a list.
    pub fn request_lines(&mut self) -> &mut Vec<Cow<'a, str>> {
        if self.request_lines.capacity() > 64 {
            // A hostile request of thousands of lines does not keep its room.
            self.request_lines = Vec::new();
        }
        &mut self.request_lines
    }

    /// `value` in a kept string when one has room, else in a new one.
    pub fn text(&mut self, value: &str) -> String {
        match self.strings.pop() {
            Some(mut s) if s.capacity() >= value.len() => {
                s.push_str(value);
                s
            }
            // Too short: freed, so that the next value finds a longer one.
            _ => value.to_string(),
        }
    }

    /// [`Spares::text`] of a value that may be owned already.
    pub fn text_of(&mut self, value: Cow<'_, str>) -> String {
        match value {
            Cow::Borrowed(value) => self.text(value),
            Cow::Owned(value) => value,
        }
    }

    /// Empties the fields of the model lowering set (the name, healthcheck, `use_ssl`, and
    /// the properties in `stored`), keeping their strings. Only those: the rest of the model
    /// is never written, and a declaration comes back after its piece has left this core's
    /// cache, so each line touched is a miss.
    fn empty_model(&mut self, model: &mut Backend, stored: PropertyBits) {
        for field in [&mut model.name, &mut model.healthcheck] {
            if let Some(s) = field.take() {
                self.keep_string(s);
            }
        }
        model.use_ssl = None;
        let mut stored = stored;
        while stored != 0 {
            let index = stored.trailing_zeros() as usize;
            stored &= stored - 1;
            match BACKEND_PROPERTIES[index].destination {
                Destination::Text(field) => {
                    if let Some(s) = (field.set)(model).take() {
                        self.keep_string(s);
                    }
                }
                Destination::Flag(field) => *(field.set)(model) = None,
                Destination::Millis(field)
                | Destination::Seconds(field)
                | Destination::Count(field) => *(field.set)(model) = None,
                Destination::Port => model.port = None,
                Destination::SslCheckCert => model.ssl_check_cert = None,
                Destination::Probe | Destination::AlwaysUseHostHeader | Destination::VclOnly => {}
            }
        }
    }

    fn keep_string(&mut self, mut s: String) {
        if s.capacity() > 0 && s.capacity() <= MAX_KEPT_CAPACITY && self.strings.len() < MAX_STRINGS
        {
            s.clear();
            self.strings.push(s);
        }
    }
}

/// Empties a list, keeping its room unless a hostile declaration made it large.
fn clear_small<T>(list: &mut Vec<T>) {
    if list.capacity() > 32 {
        *list = Vec::new();
    } else {
        list.clear();
    }
}

/// A declaration with nothing in it.
fn empty<'a>() -> DeclaredBackend<'a> {
    DeclaredBackend {
        ident: Prehashed::default(),
        name_span: Span::default(),
        failed: false,
        unprefixed: false,
        probe_key: None,
        stored: 0,
        diagnostics: Vec::new(),
        probe: None,
        probe_use: None,
        source: Default::default(),
        model: Backend::default(),
    }
}

/// True when `d` holds nothing a declaration sets but its name, hash and spans.
fn is_empty(d: &DeclaredBackend<'_>) -> bool {
    let source = &d.source;
    !d.failed
        && !d.unprefixed
        && d.probe_key.is_none()
        && d.stored == 0
        && d.diagnostics.is_empty()
        && d.probe.is_none()
        && d.probe_use.is_none()
        && source.ident.is_empty()
        && source.probe_span.is_none()
        && source.vcl_only.is_empty()
        && source.unrepresentable_probe.is_none()
        && source.dummy_probe.is_none()
        && source.host_header_only_without_host.is_none()
        && d.model == Backend::default()
}
