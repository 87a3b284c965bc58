// Encodes texts with the Rust Hugging Face `tokenizers` binding, to cross-check the Python encoders.
// stdin: JSON [{"tokenizer": path, "text": string}, ...]; stdout: JSON [{"ids", "typeIds", "tokens"}, ...].
import { Tokenizer } from 'tokenizers';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const requests = JSON.parse(input);
const cache = new Map();
const results = [];
for (const { tokenizer, text } of requests) {
  if (!cache.has(tokenizer)) cache.set(tokenizer, Tokenizer.fromFile(tokenizer));
  const enc = await cache.get(tokenizer).encode(text);
  results.push({ ids: enc.getIds(), typeIds: enc.getTypeIds(), tokens: enc.getTokens() });
}
process.stdout.write(JSON.stringify(results));
