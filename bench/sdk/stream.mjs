// A reference client for bench/tls.sh: the official openai Node SDK streaming chat completions from the built-in
// simulator, closed loop, the way a user of the SDK reads a stream. Each request is stamped with
// process.hrtime.bigint(), CLOCK_MONOTONIC on Linux, the clock of System.nanoTime() and so of the simulator's log:
// t_send before create(), t_first_token when the SDK hands over the first chunk with content, t_end when the stream
// ends. One line per request in OUT/requests.jsonl, with the fields bench/tls_figures.py reads from tokenbench's.
// For https, NODE_EXTRA_CA_CERTS names the simulator's certificate. The SDK speaks HTTP/1.1 (Node's fetch).
// Usage: node stream.mjs BASE_URL CONCURRENCY REQUESTS WARMUP TOKENS OUT
import OpenAI from 'openai';
import { mkdirSync, writeFileSync } from 'node:fs';

const [baseURL, concurrency, requests, warmup, tokens, out] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: 'not-a-secret', maxRetries: 0, timeout: 120_000 });
const total = Number(warmup) + Number(requests);
const lines = [];
let next = 0;

async function one(i) {
  const id = `sdk-${i}`;
  const record = { request_id: id, warmup: i < Number(warmup), ok: false, http_version: 'http/1.1' };
  const tSend = process.hrtime.bigint();
  try {
    const stream = await client.chat.completions.create({
      model: 'sim',
      messages: [{ role: 'user', content: `Say something about request ${i}.` }],
      stream: true,
      max_completion_tokens: Number(tokens),
    }, { headers: { 'x-request-id': id } });
    let first = null;
    for await (const chunk of stream) {
      if (first === null && chunk.choices?.[0]?.delta?.content) {
        first = process.hrtime.bigint();
      }
    }
    const end = process.hrtime.bigint();
    Object.assign(record, {
      ok: first !== null,
      t_send_ns: Number(tSend),
      t_first_token_ns: Number(first),
      t_end_ns: Number(end),
      ttft_ms: Number(first - tSend) / 1e6,
    });
  } catch (e) {
    record.error = String(e);
  }
  lines.push(JSON.stringify(record));
}

async function worker() {
  while (next < total) {
    await one(next++);
  }
}

await Promise.all(Array.from({ length: Number(concurrency) }, worker));
mkdirSync(out, { recursive: true });
writeFileSync(`${out}/requests.jsonl`, lines.join('\n') + '\n');
