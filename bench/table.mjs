// Turns bench/run.mjs's raw figures into the printed table: each attn figure beside its peers from the
// same run, with the ratio attn ÷ peer of the median times (below 1: attn is faster).

const fmtMs = (r) => (r ? `${r.median_ms.toFixed(r.median_ms < 10 ? 2 : 1)} ms` : '—');
const ratio = (a, p) => (a && p ? `${(a.median_ms / p.median_ms).toFixed(2)}×` : '—');

function find(raw, system, threads, match) {
  const run = raw[system]?.[threads];
  return run?.results?.find(match);
}

function columns(results) {
  return ['pytorch', 'onnxruntime'].filter((p) => results.peers[p].available);
}

/** The table as text (also stored in results.json). */
export function printTable(results) {
  const { raw, rows } = results;
  const peers = columns(results);
  const lines = [];
  const header = ['case', 'threads', 'attn', ...peers.flatMap((p) => [p === 'pytorch' ? 'PyTorch' : 'onnxruntime', 'attn ÷ it'])];
  const table = [header];
  const threads = Object.keys(raw.attn).map(Number).sort();
  for (const n of threads) {
    const m = (r) => r.kind === 'gemm';
    const a = find(raw, 'attn', n, m);
    const cells = peers.flatMap((p) => {
      const r = find(raw, p, n, m);
      return [r ? `${r.gflops.toFixed(0)} GFLOP/s (${(r.gflops / n).toFixed(0)}/thread)` : '—', ratio(a, r)];
    });
    table.push([`GEMM ${a?.shape?.join('×') ?? ''} (the op: copies in and out)`, n, a ? `${a.gflops.toFixed(1)} GFLOP/s (${(a.gflops / n).toFixed(1)}/thread)` : '—', ...cells]);
    if (a?.kernel_gflops) table.push([`GEMM ${a.shape.join('×')} (kernel alone, operands in wasm memory)`, n, `${a.kernel_gflops.toFixed(1)} GFLOP/s (${(a.kernel_gflops / n).toFixed(1)}/thread)`, ...peers.flatMap(() => ['', ''])]);
  }
  for (const n of threads) {
    for (const a of raw.attn[n]?.results?.filter((r) => r.kind === 'attention') ?? []) {
      const m = (r) => r.kind === 'attention' && r.T === a.T && r.causal === a.causal;
      table.push([`attention core T=${a.T}${a.causal ? ' causal' : ''}, with probabilities`, n, fmtMs(a), ...peers.flatMap((p) => [fmtMs(find(raw, p, n, m)), ratio(a, find(raw, p, n, m))])]);
    }
  }
  for (const n of threads) {
    for (const a of raw.attn[n]?.results?.filter((r) => r.kind === 'gpt2') ?? []) {
      const m = (r) => r.kind === 'gpt2' && r.T === a.T;
      table.push([`GPT-2 small forward T=${a.T}, every pattern`, n, fmtMs(a), ...peers.flatMap((p) => [fmtMs(find(raw, p, n, m)), ratio(a, find(raw, p, n, m))])]);
    }
  }
  const widths = header.map((_, i) => Math.max(...table.map((r) => String(r[i]).length)));
  const fmt = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  lines.push(fmt(table[0]), widths.map((w) => '─'.repeat(w)).join('  '), ...table.slice(1).map(fmt));
  const errors = ['attn', ...peers].flatMap((s) => threads.map((n) => [s, n, raw[s]?.[n]?.error]).filter(([, , e]) => e));
  for (const [s, n, e] of errors) lines.push(`! ${s} (${n} threads) failed: ${e}`);
  for (const [p, info] of Object.entries(results.peers)) if (!info.available) lines.push(`! ${p} missing: ${info.reason} (its columns are skipped)`);
  if (rows?.length) {
    lines.push('', 'one query row of the attention core (12 heads × 64, causal), attn only:');
    for (const r of rows) {
      if (r.error) lines.push(`  ! ${r.error}`);
      else lines.push(`  T=${String(r.T).padEnd(5)} ${r.ms.toFixed(0).padStart(6)} ms  peak RSS ${r.peak_rss_mib.toFixed(0).padStart(4)} MiB (inputs ${r.inputs_mib.toFixed(0)} MiB, wasm ${r.wasm_mib.toFixed(0)} MiB; the full pattern would be ${r.full_pattern_mib.toFixed(0)} MiB)`);
    }
  }
  lines.push('', 'targets (2 threads; ratios attn ÷ peer in this run):', ...targets(results));
  const attnInfo = raw.attn[threads[0]];
  const m = results.machine;
  lines.push('', `attn kernels: ${attnInfo?.backend ?? '?'}; ${m.cpu}, ${m.cores} cores, Node ${m.node}; load average before ${m.load_before.map((x) => x.toFixed(2)).join(' ')}, after ${m.load_after.map((x) => x.toFixed(2)).join(' ')}`);
  lines.push(`peers: ${Object.entries(results.peers).map(([p, i]) => `${p} ${i.available ? i.version ?? '' : 'missing'}${i.blas ? ` (${i.blas})` : ''}`).join(', ')}`);
  return lines.join('\n');
}

/** The issue's targets, checked against this run's figures. */
function targets(results) {
  const { raw, rows } = results;
  const out = [];
  const mark = (ok) => (ok === undefined ? '?' : ok ? 'met' : 'not met');
  const r = (sys, m) => find(raw, sys, 2, m);
  const g = r('attn', (x) => x.kind === 'gemm');
  if (g) out.push(`  GEMM ≥ 50 GFLOP/s per thread (relaxed SIMD): kernel ${(g.kernel_gflops / 2).toFixed(1)}, op ${(g.gflops / 2).toFixed(1)} → ${mark(g.kernel_gflops / 2 >= 50)} (kernel)`);
  for (const causal of [false, true]) {
    const m = (x) => x.kind === 'attention' && x.T === 1024 && x.causal === causal;
    const a = r('attn', m), o = r('onnxruntime', m), p = r('pytorch', m);
    if (!a) continue;
    const ro = o && a.median_ms / o.median_ms, rp = p && a.median_ms / p.median_ms;
    out.push(`  attention T=1024${causal ? ' causal' : ''}: ${ro ? `${ro.toFixed(2)}× onnxruntime (≤ 1.0: ${mark(ro <= 1)})` : 'onnxruntime missing'}, ${rp ? `${rp.toFixed(2)}× PyTorch (≤ 1.3: ${mark(rp <= 1.3)})` : 'PyTorch missing'}`);
  }
  const m64 = (x) => x.kind === 'gpt2' && x.T === 64;
  const a = r('attn', m64), o = r('onnxruntime', m64), p = r('pytorch', m64);
  if (a) {
    const ro = o && a.median_ms / o.median_ms, rp = p && a.median_ms / p.median_ms;
    out.push(`  GPT-2 small T=64: ${ro ? `${ro.toFixed(2)}× onnxruntime (≤ 2.0: ${mark(ro <= 2)})` : 'onnxruntime missing'}, ${rp ? `${rp.toFixed(2)}× PyTorch (≤ 1.3: ${mark(rp <= 1.3)})` : 'PyTorch missing'}`);
  }
  const row = rows?.find((x) => x.T === 8192 && !x.error);
  if (row) out.push(`  one row at T=8192: peak RSS ${row.peak_rss_mib.toFixed(0)} MiB, O(T) (one full pattern alone would be ${row.full_pattern_mib.toFixed(0)} MiB)`);
  return out;
}
