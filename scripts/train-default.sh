#!/usr/bin/env bash
# The built-in model's exact recipe (npm run train:default): build attn, build the corpus from its
# packages, train with a fixed seed on 2 threads, then measure the model and write models/default/
# (weights, tokenizer, MODEL_CARD.md, loss curves). A run interrupted with Ctrl-C continues where it
# stopped when this script is started again. Needs: npm install, and Debian's wordnet-base.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=data/runs/default
npm run -s build
node scripts/corpus/build-corpus.mjs --out data/corpus
ARGS=(train data/corpus/train.txt --heldout data/corpus/heldout.txt --out "$RUN"
  --vocab 8192 --layers 4 --heads 4 --embd 192 --context 128
  --batch 16 --steps 4000 --lr 0.002 --min-lr 0.0002 --warmup 200 --weight-decay 0.1 --dropout 0 --clip 1 --seed 1
  --eval-every 200 --eval-windows 256 --save-every 200 --dtype f32 --threads 2)
if [ -f "$RUN/training/state.safetensors" ]; then ARGS+=(--resume); fi
node dist/src/cli/main.js "${ARGS[@]}"
node dist/scripts/model-card/make-card.js --run "$RUN" --corpus data/corpus --dest models/default \
  ${ATTN_TRAIN_BENCH:+--bench "$ATTN_TRAIN_BENCH"}
