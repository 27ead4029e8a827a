//! Inputs whose memory grows with what they make rather than with their size, for
//! `benches/memory.rs` and `examples/gen_memory_inputs.rs` (docs/design.md §11).

/// API JSON of `n` backends that all name one healthcheck whose path is `path_len` bytes:
/// each backend's block repeats the path, so the VCL is about `n * path_len` bytes.
pub fn shared_healthcheck_json(n: usize, path_len: usize) -> String {
    let path = format!("/{}", "p".repeat(path_len.saturating_sub(1)));
    let mut out = String::with_capacity(n * 80 + path_len + 200);
    out.push_str("{\"backends\":[");
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            "{{\"name\":\"b{i}\",\"address\":\"o{i}.example\",\"share_key\":\"k\",\"healthcheck\":\"hc\"}}"
        ));
    }
    out.push_str("],\"healthchecks\":[{\"name\":\"hc\",\"host\":\"h.example\",\"path\":\"");
    out.push_str(&path);
    out.push_str("\"}]}");
    out
}

/// VCL with `n` findings: an unmatched `}` on each line.
pub fn findings_vcl(n: usize) -> String {
    "}\n".repeat(n)
}
