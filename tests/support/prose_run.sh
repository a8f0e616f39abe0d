# Sourced by the shell tests of the CUDA-machine scripts, which run them on the CPU with a short
# real pretraining run on a few prose files of the test data folder.

# Sets `data` to the test data folder (DAC_TEST_DATA, default ../shared/data beside the repository
# REPO) or, when it lacks the prose corpus, says so and exits 77 (skipped).
need_prose_data() {  # need_prose_data REPO
  data=${DAC_TEST_DATA:-$1/../shared/data}
  if [ ! -d "$data/gutenberg_books/books" ] || [ ! -d "$data/wikipedia_en_wikiextractor/AA" ]; then
    echo "skipped: no prose corpus under $data (set DAC_TEST_DATA to the data folder)"
    exit 77
  fi
}

# After need_prose_data: sets `work` to a scratch folder removed on exit, holding prose.tar.xz
# (two books and two Wikipedia files, packed as the scripts expect them).
make_prose_work() {
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/prose/gutenberg_books" "$work/prose/wikipedia_en_wikiextractor"
  cp "$data"/gutenberg_books/books/000[12].txt "$work/prose/gutenberg_books/"
  cp "$data"/wikipedia_en_wikiextractor/AA/wiki_0[01] "$work/prose/wikipedia_en_wikiextractor/"
  tar -C "$work/prose" -cJf "$work/prose.tar.xz" gutenberg_books wikipedia_en_wikiextractor
}

# dacrun arguments that make experiments/crammed_bert.toml a run of seconds on one CPU thread.
tiny_pretrain_args=(
  --set 'stages.pretrain.model={name = "crammed_bert", layers = 2, hidden = 64, heads = 2, intermediate = 128}'
  --set stages.data.vocab_size=8000 --set stages.pretrain.micro_batch=8
  --set stages.pretrain.batch_size=16 --set stages.pretrain.threads=1
)
